/* SPDX-License-Identifier: MIT */
/* A traced exit's record from the neutral exit, and its text for the monitor and the dump. */
#include "vmm/trace_record.h"
#include "kernel/format.h"

void trace_record_exit(struct trace_record *r, const struct vm_exit *e,
		       const struct vcpu_regs *regs, u64 tsc)
{
	enum exit_reason reason = e->reason < EXIT_REASON_COUNT ? e->reason : EXIT_UNSUPPORTED;

	*r = (struct trace_record){ .tsc = tsc, .rip = regs->rip, .reason = (u8)reason,
				    .name = e->native_name };
	switch (e->reason) {
	case EXIT_IO:
		r->arg = e->io.port;
		r->size = e->io.size;
		r->flags = (e->io.in ? TRACE_IN : 0) | (e->io.string ? TRACE_STRING : 0) |
			   (e->io.rep ? TRACE_REP : 0);
		if (!e->io.in && !e->io.string)
			r->value = regs->rax & (e->io.size >= 4 ? 0xffffffffULL :
						(1ULL << (8 * e->io.size)) - 1);
		break;
	case EXIT_CPUID:
		r->arg = (u32)regs->rax;
		r->arg2 = (u32)regs->rcx;
		break;
	case EXIT_MSR_WRITE:
		r->value = (regs->rdx << 32) | (u32)regs->rax;
		r->arg = (u32)regs->rcx;
		break;
	case EXIT_MSR_READ:
		r->arg = (u32)regs->rcx;
		break;
	case EXIT_HYPERCALL:
		r->arg = (u32)regs->rax;
		r->arg2 = e->hypercall.cpl;
		break;
	case EXIT_MEMORY:
		r->value = e->memory.gpa;
		r->flags = (e->memory.read ? TRACE_READ : 0) | (e->memory.write ? TRACE_WRITE : 0) |
			   (e->memory.fetch ? TRACE_FETCH : 0);
		break;
	case EXIT_EXCEPTION:
		r->arg = e->exception.vector;
		r->arg2 = e->exception.error_code;
		r->flags = e->exception.has_error_code ? TRACE_ERROR_CODE : 0;
		break;
	case EXIT_CR_ACCESS:
		r->arg = e->cr.cr;
		r->arg2 = e->cr.kind;
		break;
	case EXIT_VIRT_INSN:
	case EXIT_UNOFFERED_INSN:
		r->name = e->insn.mnemonic;
		break;
	default:
		break;
	}
}

void trace_record_result(struct trace_record *r, const struct vcpu_regs *regs)
{
	if (r->reason == EXIT_IO && (r->flags & (TRACE_IN | TRACE_STRING)) == TRACE_IN)
		r->value = regs->rax & (r->size >= 4 ? 0xffffffffULL : (1ULL << (8 * r->size)) - 1);
}

/* Append to buf[*n..size), keeping *n at most size (format says how long it would be). */
static void append(char *buf, size_t size, size_t *n, const char *fmt, ...) __printf(4, 5);
static void append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*n += (size_t)format_v(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (*n >= size)
		*n = size ? size - 1 : 0;
}

/* Append " key=" and text as one word: its spaces as '_' ("preemption timer"). */
static void append_word(char *buf, size_t size, size_t *n, const char *key, const char *text)
{
	size_t start;

	append(buf, size, n, " %s=", key);
	start = *n;
	append(buf, size, n, "%s", text);
	for (size_t i = start; i < *n; i++)
		if (buf[i] == ' ')
			buf[i] = '_';
}

static const char *const cr_kinds[] = {
	[CR_MOV_TO] = "mov-to", [CR_MOV_FROM] = "mov-from", [CR_CLTS] = "clts",
	[CR_LMSW] = "lmsw",
};

int trace_record_details(char *buf, size_t size, const struct trace_record *r)
{
	size_t n = 0;

	if (size)
		buf[0] = '\0';
	switch (r->reason) {
	case EXIT_IO:
		append(buf, size, &n, " port=%#x size=%u dir=%s", r->arg, r->size,
		       r->flags & TRACE_IN ? "in" : "out");
		if (r->flags & TRACE_STRING)
			append(buf, size, &n, " string=%s", r->flags & TRACE_REP ? "rep" : "once");
		else
			append(buf, size, &n, " value=%#llx", r->value);
		break;
	case EXIT_CPUID:
		append(buf, size, &n, " leaf=%#x subleaf=%#x", r->arg, r->arg2);
		break;
	case EXIT_MSR_READ:
		append(buf, size, &n, " msr=%#x", r->arg);
		break;
	case EXIT_MSR_WRITE:
		append(buf, size, &n, " msr=%#x value=%#llx", r->arg, r->value);
		break;
	case EXIT_HYPERCALL:
		append(buf, size, &n, " nr=%u cpl=%u", r->arg, r->arg2);
		break;
	case EXIT_MEMORY:
		append(buf, size, &n, " gpa=%#llx access=%s%s%s", r->value,
		       r->flags & TRACE_READ ? "r" : "", r->flags & TRACE_WRITE ? "w" : "",
		       r->flags & TRACE_FETCH ? "x" : "");
		break;
	case EXIT_EXCEPTION:
		append(buf, size, &n, " vector=%u", r->arg);
		if (r->flags & TRACE_ERROR_CODE)
			append(buf, size, &n, " error=%#x", r->arg2);
		break;
	case EXIT_CR_ACCESS:
		append(buf, size, &n, " cr=%u kind=%s", r->arg,
		       r->arg2 < ARRAY_SIZE(cr_kinds) ? cr_kinds[r->arg2] : "?");
		break;
	default:
		break;
	}
	if (r->name && (r->reason == EXIT_VIRT_INSN || r->reason == EXIT_UNOFFERED_INSN ||
			r->reason == EXIT_NONE || r->reason == EXIT_UNSUPPORTED))
		append_word(buf, size, &n, "exit", r->name);
	return (int)n;
}

int trace_record_describe(char *buf, size_t size, const struct trace_record *r,
			  const char *reason, u64 at_ns, u64 took_ns)
{
	size_t n = 0;

	append(buf, size, &n, "+%llu.%03llu us %s rip=%#llx", at_ns / 1000, at_ns % 1000, reason,
	       r->rip);
	n += (size_t)trace_record_details(buf + n, size - n, r);
	if (r->took)
		append(buf, size, &n, ", %llu.%03llu us in Vireo", took_ns / 1000, took_ns % 1000);
	else
		append(buf, size, &n, ", in Vireo now");
	return (int)n;
}

int trace_record_line(char *buf, size_t size, const struct trace_record *r, u32 vcpu,
		      const char *reason)
{
	size_t n = 0;

	append(buf, size, &n, "E %u %llx %llx %llx", vcpu, r->tsc, r->took, r->rip);
	append_word(buf, size, &n, "reason", reason);
	n += (size_t)trace_record_details(buf + n, size - n, r);
	return (int)n;
}
