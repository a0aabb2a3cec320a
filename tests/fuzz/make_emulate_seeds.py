#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/x86_emulate: the header fuzz_x86_emulate.c reads (mode,
RFLAGS, failing call and DF, REP batch, 16 GPRs), an instruction that drivers use on device
registers, and the bytes its reads return. Commit what it writes."""
import struct

from seed_writer import write_seeds

MODE_16, MODE_32, MODE_64 = range(3)
NO_FAILURE = 0x7F
DF = 1
RCX = 1


def seed(mode, code, rcx=5, fail=NO_FAILURE, df=0, batch=4, memory=b"\x5a\xa5\x01\x80" * 4):
    gprs = [0x0100 * (n + 1) + n for n in range(16)]
    gprs[RCX] = rcx
    header = bytes([mode, 0x01, fail << 1 | df, batch - 1]) + struct.pack("<16h", *gprs)
    return header + code + memory


def main():
    write_seeds("x86_emulate", {
        "64-mov-store": seed(MODE_64, b"\x89\x08"),                    # mov [rax], ecx
        "64-add-to-memory": seed(MODE_64, b"\x01\x43\x08"),            # add [rbx+8], eax
        "64-add-write-faults": seed(MODE_64, b"\x01\x43\x08", fail=1),
        "64-cmp-rip-relative": seed(MODE_64, b"\x83\x3d\x10\x00\x00\x00\x05"),
        "64-xchg": seed(MODE_64, b"\x48\x87\x0a"),                     # xchg [rdx], rcx
        "64-movzx": seed(MODE_64, b"\x0f\xb6\x06"),                    # movzx eax, byte [rsi]
        "64-test": seed(MODE_64, b"\x84\x07"),                         # test [rdi], al
        "64-rep-movsb": seed(MODE_64, b"\xf3\xa4", rcx=9),
        "64-rep-stosd-down": seed(MODE_64, b"\xf3\xab", rcx=3, df=DF),
        "32-rep-movsw-faults": seed(MODE_32, b"\x66\xf3\xa5", rcx=6, fail=3),
        "16-lodsb": seed(MODE_16, b"\xac"),
        "32-sbb-from-memory": seed(MODE_32, b"\x1b\x0b"),              # sbb ecx, [ebx]
    })


if __name__ == "__main__":
    main()
