// SPDX-License-Identifier: MIT
/* The exit record's invariants, checked for the exit decoders' harnesses. */
#include <stdlib.h>

#include "tests/fuzz/vm_exit_invariants.h"

/*
 * A re-delivered event is an external interrupt, an NMI or a hardware exception. (Its error
 * code bit is passed on as the CPU set it, which it does only for exceptions: not checked.)
 */
static void check_vectoring(const struct event *ev)
{
	if (ev->type != EVENT_EXTERNAL_INTERRUPT && ev->type != EVENT_NMI &&
	    ev->type != EVENT_EXCEPTION)
		abort();
}

void vm_exit_check_invariants(const struct vm_exit *e)
{
	if (e->reason >= EXIT_REASON_COUNT || !e->native_name)
		abort();
	if (e->insn_bytes_len > sizeof(e->insn_bytes))
		abort();
	if (e->vectoring_valid)
		check_vectoring(&e->vectoring);
	switch (e->reason) {
	case EXIT_VIRT_INSN:
	case EXIT_UNOFFERED_INSN:
		if (!e->insn.mnemonic)
			abort();
		break;
	case EXIT_ENTRY_FAILED:
		if (!e->entry_failed.why)
			abort();
		break;
	case EXIT_CR_ACCESS:
		if (e->cr.kind > CR_LMSW || (e->cr.decoded && e->cr.gpr > 15))
			abort();
		break;
	default:
		break;
	}
}
