/* SPDX-License-Identifier: MIT */
/*
 * What every decoded exit record (vmm/exit.h) must satisfy whatever the VMCB or VMCS held, for
 * the exit decoders' harnesses: the dispatch table and the messages may rely on it.
 */
#ifndef VIREO_TESTS_FUZZ_VM_EXIT_INVARIANTS_H
#define VIREO_TESTS_FUZZ_VM_EXIT_INVARIANTS_H

#include "vmm/exit.h"

/* Abort, for libFuzzer to report, when e breaks one. */
void vm_exit_check_invariants(const struct vm_exit *e);

#endif
