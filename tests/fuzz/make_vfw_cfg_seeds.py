#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/vfw_cfg: a VM (RAM size, CPUs, files) and what a
test kernel reads of fw_cfg, as fuzz_vfw_cfg.c's input (a header, files, 4-byte steps).
Commit what it writes."""
import struct

from seed_writer import write_seeds

SELECT, READ, WRITE, READ_SELECTOR = range(4)
WORD, BYTE, DWORD = 1, 0, 2  # the harness's size indices


def step(what, value=0, size=WORD):
    return struct.pack("<BBH", what, size, value)


def reads(n):
    return b"".join(step(READ) for _ in range(n))


def file(name, data):
    return bytes([len(name), len(data)]) + name + data


VM = bytes([0x40, 3, 2]) + file(b"etc/e820", bytes(range(20))) + file(b"opt/vireo", b"hello")

SEEDS = {
    # The signature, the interface ID, RAM size and the CPU counts, each read past its end.
    "signature-and-numbers": bytes([0x10, 1, 0]) + step(SELECT, 0x00) + reads(6) +
    step(SELECT, 0x01) + reads(5) + step(SELECT, 0x03) + reads(9) + step(SELECT, 0x05) +
    reads(3) + step(SELECT, 0x0f) + reads(3),
    # The file directory, then both files.
    "file-dir-and-files": VM + step(SELECT, 0x19) + reads(140) + step(SELECT, 0x20) +
    reads(24) + step(SELECT, 0x21) + reads(8),
    # A byte write to the selector, the write flag, a data write, a selector read, no such key.
    "flags-bytes-writes": VM + step(SELECT, 0x20, BYTE) + reads(2) + step(SELECT, 0x8020) +
    step(WRITE, 0x1234) + reads(4) + step(READ_SELECTOR, 0, DWORD) + step(SELECT, 0x7777) +
    reads(2),
}


def main():
    write_seeds("vfw_cfg", SEEDS)


if __name__ == "__main__":
    main()
