/* SPDX-License-Identifier: MIT */
/* The GDB stub's thread, resume and breakpoint packets. Pure. */
#include "vmm/gdb_run.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "vmm/gdb_stub_reply.h"

void gdb_run_set_thread(struct gdb_stub *s, const char *p)
{
	char op = *p++;
	s32 vcpu;

	if ((op != 'g' && op != 'c') || gdb_stub_parse_thread(s, &p, &vcpu) || *p) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	if (op == 'g')
		s->thread = vcpu < 0 ? s->thread : (u32)vcpu;
	else
		s->step_thread = vcpu;
	gdb_stub_reply(s, "OK");
}

void gdb_run_thread_alive(struct gdb_stub *s, const char *p)
{
	s32 vcpu;

	if (gdb_stub_parse_thread(s, &p, &vcpu) || *p || vcpu < 0)
		gdb_stub_reply_error(s, -EINVAL);
	else
		gdb_stub_reply(s, "OK");
}

static void resume(struct gdb_stub *s, const enum gdb_resume_action *actions)
{
	s->vm = GDB_VM_RUNNING;
	s->ops->resume(s->ctx, actions, gdb_stub_thread_count(s));
}

/*
 * The Hc thread (else the current one) steps or continues, from addr if given; on 'c' every
 * other vCPU runs too, on 's' they stay. A signal means nothing to a guest and is ignored.
 */
bool gdb_run_legacy(struct gdb_stub *s, const char *p)
{
	enum gdb_resume_action actions[GDB_MAX_THREADS];
	bool step = *p == 's' || *p == 'S';
	u32 vcpu = s->step_thread < 0 ? s->thread : (u32)s->step_thread;
	const char *addr_text = NULL;
	u64 sig, addr;

	if (*p == 'C' || *p == 'S') {
		p++;
		if (gdb_hex_parse(&p, &sig) || (*p && *p != ';'))
			goto bad;
		if (*p == ';')
			addr_text = p + 1;
	} else if (p[1]) {
		addr_text = p + 1;
	}
	if (addr_text) {
		struct vcpu_state st;

		if (gdb_hex_parse(&addr_text, &addr) || *addr_text ||
		    s->ops->get_state(s->ctx, vcpu, &st))
			goto bad;
		st.regs.rip = addr;
		if (s->ops->set_state(s->ctx, vcpu, &st))
			goto bad;
	}
	for (u32 i = 0; i < gdb_stub_thread_count(s); i++)
		actions[i] = step ? GDB_RESUME_STAY : GDB_RESUME_CONTINUE;
	actions[vcpu] = step ? GDB_RESUME_STEP : GDB_RESUME_CONTINUE;
	resume(s, actions);
	return false;
bad:
	gdb_stub_reply_error(s, -EINVAL);
	return true;
}

/* One vCont action ("c", "s", "t", "Cxx", "Sxx"), or -EINVAL. */
static int parse_vcont_action(const char **p, enum gdb_resume_action *action)
{
	char c = *(*p)++;
	u64 sig;

	if ((c == 'C' || c == 'S') && gdb_hex_parse(p, &sig))
		return -EINVAL;
	if (c == 'c' || c == 'C')
		*action = GDB_RESUME_CONTINUE;
	else if (c == 's' || c == 'S')
		*action = GDB_RESUME_STEP;
	else if (c == 't')
		*action = GDB_RESUME_STAY;
	else
		return -EINVAL;
	return 0;
}

/*
 * "vCont;action[:thread];..." (GDB manual, "Packets", vCont): each vCPU takes the leftmost
 * action naming it or naming no thread; a vCPU no action names stays stopped. Returns whether
 * to reply now.
 */
static bool vcont(struct gdb_stub *s, const char *p)
{
	enum gdb_resume_action actions[GDB_MAX_THREADS];
	bool set[GDB_MAX_THREADS] = { false };
	u32 n = gdb_stub_thread_count(s);
	bool runs = false;

	while (*p == ';') {
		enum gdb_resume_action action;
		s32 vcpu = -1;

		p++;
		if (parse_vcont_action(&p, &action))
			goto bad;
		if (*p == ':') {
			p++;
			if (gdb_stub_parse_thread(s, &p, &vcpu))
				goto bad;
		}
		for (u32 i = 0; i < n; i++) {
			if (!set[i] && (vcpu < 0 || (u32)vcpu == i)) {
				set[i] = true;
				actions[i] = action;
			}
		}
	}
	if (*p)
		goto bad;
	for (u32 i = 0; i < n; i++) {
		if (!set[i])
			actions[i] = GDB_RESUME_STAY;
		runs |= actions[i] != GDB_RESUME_STAY;
	}
	/* Nothing would run, so no stop would ever answer: say so instead. */
	if (!runs)
		goto bad;
	resume(s, actions);
	return false;
bad:
	gdb_stub_reply_error(s, -EINVAL);
	return true;
}

bool gdb_run_v(struct gdb_stub *s, const char *p)
{
	if (strcmp(p, "vCont?") == 0)
		gdb_stub_reply(s, "vCont;c;C;s;S;t");
	else if (str_starts_with(p, "vCont;"))
		return vcont(s, p + strlen("vCont"));
	else
		gdb_stub_reply(s, "");	/* vMustReplyEmpty, vKill, vFile...: not supported */
	return true;
}

/* --- breakpoints ----------------------------------------------------------------------- */

/* "Z type,addr,kind" and "z type,addr,kind" (conditions after ';' are ignored). */
void gdb_run_breakpoint(struct gdb_stub *s, const char *p, bool insert)
{
	u64 type, addr, kind;
	int err;

	if (gdb_hex_parse(&p, &type) || *p++ != ',' || gdb_stub_parse_addr_len(&p, &addr, &kind) ||
	    (*p && *p != ';') || kind > 8) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	/* x86 debug registers cannot watch reads alone (SDM Vol. 3B 18.2.4, R/W 10 is I/O). */
	if (type == 3 || type > GDB_BP_ACCESS) {
		gdb_stub_reply(s, "");
		return;
	}
	err = insert ? s->ops->insert_breakpoint(s->ctx, type, addr, (u32)kind)
		     : s->ops->remove_breakpoint(s->ctx, type, addr, (u32)kind);
	if (err == -ENOSYS)
		gdb_stub_reply(s, "");	/* gdb falls back to writing int3 itself */
	else if (err)
		gdb_stub_reply_error(s, err);
	else
		gdb_stub_reply(s, "OK");
}

