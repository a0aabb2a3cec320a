/* SPDX-License-Identifier: MIT */
/* Guest linear memory: the walker over the guest's tables, then its RAM. */
#include "vmm/guest_access.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "vmm/guest_memory.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

#define EXT1_EDX_PDPE1GB BIT(26)
#define LEAF1_EDX_PSE36 BIT(17)

static int read_table(void *ctx, u64 gpa, void *buf, u32 len)
{
	return guest_memory_read(&((struct vcpu *)ctx)->vm->mem, gpa, buf, len);
}

static const struct guest_walk_ops walk_ops = { .read = read_table };

static void paging_of(struct vcpu *v, struct guest_paging *p)
{
	*p = (struct guest_paging){
		.cr0 = virt->get_cr(v, 0), .cr3 = virt->get_cr(v, 3), .cr4 = virt->get_cr(v, 4),
		.efer = virt->get_efer(v), .phys_addr_bits = cpu_features.phys_addr_bits,
		/* What the guest's CPUID offers: the policy passes both through from the host. */
		.pse36 = cpuid(1, 0).edx & LEAF1_EDX_PSE36, .gbpages = cpu_features.pdpe1gb,
	};
}

/* One page's worth: translate, then copy in or out, or say what the guest gets. */
static enum guest_access_result copy_in_page(struct vcpu *v, const struct guest_paging *p,
					     u64 gla, void *buf, u32 len, u32 access,
					     struct event *fault)
{
	u64 gpa;
	u32 error;
	int err;

	switch (guest_walk(p, &walk_ops, v, gla, access, &gpa, &error)) {
	case GW_OK:
		break;
	case GW_PAGE_FAULT:
		*fault = event_exception(VECTOR_PAGE_FAULT, true, error);
		fault->has_payload = true;
		fault->payload = gla;
		return GUEST_ACCESS_FAULT;
	case GW_NON_CANONICAL:
		*fault = event_exception(VECTOR_GENERAL_PROTECTION, true, 0);
		return GUEST_ACCESS_FAULT;
	default:
		return GUEST_ACCESS_OUTSIDE;
	}
	if (access & GW_WRITE)
		err = guest_memory_write(&v->vm->mem, gpa, buf, len);
	else
		err = guest_memory_read(&v->vm->mem, gpa, buf, len);
	return err < 0 ? GUEST_ACCESS_OUTSIDE : GUEST_ACCESS_OK;
}

/* Page by page: an access that crosses into a page it may not touch stops there. */
static enum guest_access_result copy_linear(struct vcpu *v, u64 gla, void *buf, u32 len,
					    u32 access, struct event *fault)
{
	struct guest_paging p;

	paging_of(v, &p);
	while (len) {
		u32 n = (u32)MIN((u64)len, PAGE_SIZE - (gla & (PAGE_SIZE - 1)));
		enum guest_access_result r = copy_in_page(v, &p, gla, buf, n, access, fault);

		if (r != GUEST_ACCESS_OK)
			return r;
		gla += n;
		buf = (u8 *)buf + n;
		len -= n;
	}
	return GUEST_ACCESS_OK;
}

enum guest_access_result guest_read_linear(struct vcpu *v, u64 gla, void *buf, u32 len,
					   u32 access, struct event *fault)
{
	return copy_linear(v, gla, buf, len, access & ~GW_WRITE, fault);
}

enum guest_access_result guest_write_linear(struct vcpu *v, u64 gla, const void *buf, u32 len,
					    u32 access, struct event *fault)
{
	return copy_linear(v, gla, (void *)buf, len, access | GW_WRITE, fault);	/* only read */
}

int guest_translate(struct vcpu *v, u64 gla, u32 access, u64 *gpa)
{
	struct guest_paging p;
	u32 error;

	paging_of(v, &p);
	return guest_walk(&p, &walk_ops, v, gla, access, gpa, &error) == GW_OK ? 0 : -EFAULT;
}

u32 guest_code_bits(struct vcpu *v)
{
	struct segment cs;

	if (!(virt->get_cr(v, 0) & X86_CR0_PE))
		return 16;
	virt->get_segment(v, SEG_CS, &cs);
	if ((virt->get_efer(v) & EFER_LMA) && (cs.attrib & SEG_ATTR_L))
		return 64;
	return cs.attrib & SEG_ATTR_DB ? 32 : 16;
}

u64 guest_segment_base(struct vcpu *v, enum segment_reg seg)
{
	struct segment s;

	if (guest_code_bits(v) == 64 && seg != SEG_FS && seg != SEG_GS)
		return 0;
	virt->get_segment(v, seg, &s);
	return s.base;
}

u32 guest_exit_instruction(struct vcpu *v, u8 *buf, u32 size)
{
	u32 n = v->exit.reason == EXIT_MEMORY ? MIN(size, (u32)v->exit.insn_bytes_len) : 0;

	if (!n)
		return guest_fetch_instruction(v, buf, size);
	memcpy(buf, v->exit.insn_bytes, n);
	return n;
}

u32 guest_fetch_instruction(struct vcpu *v, u8 *buf, u32 size)
{
	struct event fault;
	u32 access = GW_FETCH | (virt->guest_cpl(v) == 3 ? GW_USER : 0);
	u64 gla = guest_segment_base(v, SEG_CS) + v->regs.rip, first;
	u32 got;

	size = MIN(size, (u32)X86_MAX_INSN_LEN);
	if (guest_code_bits(v) != 64)
		gla = (u32)gla;
	first = MIN((u64)size, PAGE_SIZE - (gla & (PAGE_SIZE - 1)));
	if (guest_read_linear(v, gla, buf, (u32)first, access, &fault) != GUEST_ACCESS_OK)
		return 0;
	got = (u32)first;
	if (got < size && guest_read_linear(v, gla + got, buf + got, size - got, access,
					    &fault) == GUEST_ACCESS_OK)
		got = size;
	return got;
}
