/* SPDX-License-Identifier: MIT */
/* Wrappers for the VMX instructions (SDM Vol. 3C chapter 31). */
#ifndef VIREO_ARCH_X86_VMX_VMX_INSN_H
#define VIREO_ARCH_X86_VMX_VMX_INSN_H

#include "kernel/types.h"

/* VMX instructions report failure in CF (VMfailInvalid) or ZF (VMfailValid): "setna" catches both. */
static inline bool vmxon(u64 pa)
{
	u8 failed;

	__asm__ volatile("vmxon %1; setna %0" : "=q"(failed) : "m"(pa) : "cc", "memory");
	return !failed;
}

static inline bool vmclear(u64 pa)
{
	u8 failed;

	__asm__ volatile("vmclear %1; setna %0" : "=q"(failed) : "m"(pa) : "cc", "memory");
	return !failed;
}

static inline bool vmptrld(u64 pa)
{
	u8 failed;

	__asm__ volatile("vmptrld %1; setna %0" : "=q"(failed) : "m"(pa) : "cc", "memory");
	return !failed;
}

static inline u64 vmread(u32 field)
{
	u64 value;

	__asm__ volatile("vmread %1, %0" : "=r"(value) : "r"((u64)field) : "cc");
	return value;
}

/* Returns false when the field does not exist on this CPU (VMfailValid). */
static inline bool vmwrite(u32 field, u64 value)
{
	u8 failed;

	__asm__ volatile("vmwrite %1, %2; setna %0" : "=q"(failed) : "rm"(value), "r"((u64)field)
			 : "cc");
	return !failed;
}

struct __packed invept_descriptor {
	u64 eptp;
	u64 reserved;
};

struct __packed invvpid_descriptor {
	u16 vpid;
	u16 reserved[3];
	u64 linear_address;
};

#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXTS 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXTS 2

static inline void invept(u64 type, u64 eptp)
{
	struct invept_descriptor d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

static inline void invvpid(u64 type, u16 vpid)
{
	struct invvpid_descriptor d = { vpid, { 0, 0, 0 }, 0 };

	__asm__ volatile("invvpid %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

#endif
