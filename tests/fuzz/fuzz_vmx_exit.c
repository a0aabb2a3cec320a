// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the VT-x exit decoder (arch/x86/vmx/vmx_exit.c) on VMCS exit-information fields
 * taken from the input (zero past its end). The record it fills keeps
 * tests/fuzz/vm_exit_invariants.h.
 */
#include <string.h>

#include "arch/x86/vmx/vmx_exit.h"
#include "tests/fuzz/vm_exit_invariants.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vmx_exit_info info = { 0 };
	struct vm_exit exit = { 0 };

	memcpy(&info, data, MIN(size, sizeof(info)));
	vmx_decode_exit(&info, &exit);
	(void)vmx_exit_is_nmi(&info);
	vm_exit_check_invariants(&exit);
	return 0;
}
