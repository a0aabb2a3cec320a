// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the AMD-V exit decoder (arch/x86/svm/svm_exit.c) on a VMCB whose first bytes are
 * the input (the first byte's bits 0 and 1 saying whether the CPU has NRIP-save and decode
 * assists), the rest zero. The record it fills keeps tests/fuzz/vm_exit_invariants.h.
 */
#include <stdlib.h>
#include <string.h>

#include "arch/x86/svm/svm_exit.h"
#include "tests/fuzz/vm_exit_invariants.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vmcb vmcb;
	struct vm_exit exit = { 0 };

	if (size < 1)
		return 0;
	memset(&vmcb, 0, sizeof(vmcb));
	memcpy(&vmcb, data + 1, MIN(size - 1, sizeof(vmcb)));
	svm_decode_exit(&vmcb, data[0] & 1, data[0] & 2, &exit);
	vm_exit_check_invariants(&exit);
	if (exit.reason == EXIT_IO && exit.io.size != 1 && exit.io.size != 2 && exit.io.size != 4)
		abort();
	return 0;
}
