/* SPDX-License-Identifier: MIT */
/*
 * What the GDB stub's packet handlers share (vmm/gdb_stub.c, gdb_access.c, gdb_run.c): the
 * reply being built in s->reply and the parsers of common arguments. Pure.
 */
#ifndef VIREO_VMM_GDB_STUB_REPLY_H
#define VIREO_VMM_GDB_STUB_REPLY_H

#include "vmm/gdb_stub.h"

/* The reply is text. */
void gdb_stub_reply(struct gdb_stub *s, const char *text);

/* The reply is formatted (kernel/format.h). */
void gdb_stub_replyf(struct gdb_stub *s, const char *fmt, ...) __printf(2, 3);

/* The reply is an error: "Enn" with nn the errno in decimal ("E14": EFAULT). */
void gdb_stub_reply_error(struct gdb_stub *s, int err);

/* Parse "addr,len" (hex) at *p, advancing it. 0 or -EINVAL. */
int gdb_stub_parse_addr_len(const char **p, u64 *addr, u64 *len);

/*
 * Parse a thread id at *p: "-1" (all), "0" (any: the current one), or a thread's hex id.
 * Sets *vcpu to -1 for all, else the 0-based vCPU. 0, or -EINVAL for no such thread.
 */
int gdb_stub_parse_thread(struct gdb_stub *s, const char **p, s32 *vcpu);

/* The vCPUs gdb sees: the target's count, at most GDB_MAX_THREADS. */
u32 gdb_stub_thread_count(struct gdb_stub *s);

#endif
