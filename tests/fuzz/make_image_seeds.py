#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the small ELF and Multiboot1 seeds of tests/fuzz/corpus/elf and corpus/multiboot1.

Guest ELFs are built, not committed, so the image harnesses' seeds are made here: run it from
the repository's root after changing it, and commit what it writes.
"""
import os
import struct

CODE = b"\xf4\xeb\xfd"  # hlt; jmp $-1
LOAD_ADDRESS = 0x100000
MB1_MAGIC = 0x1BADB002


def elf64(code):
    """An x86-64 ET_EXEC with one PT_LOAD of code at LOAD_ADDRESS."""
    ehsize, phsize = 64, 56
    offset = ehsize + phsize
    header = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, LOAD_ADDRESS, ehsize, 0, 0,
                          ehsize, phsize, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, offset, LOAD_ADDRESS, LOAD_ADDRESS,
                       len(code), len(code) + 16, 0x1000)
    return header + phdr + code


def elf32(code):
    """An i386 ET_EXEC with one PT_LOAD of code at LOAD_ADDRESS."""
    ehsize, phsize = 52, 32
    offset = ehsize + phsize
    header = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    header += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, LOAD_ADDRESS, ehsize, 0, 0,
                          ehsize, phsize, 1, 0, 0, 0)
    phdr = struct.pack("<IIIIIIII", 1, offset, LOAD_ADDRESS, LOAD_ADDRESS,
                       len(code), len(code), 5, 0x1000)
    return header + phdr + code


def multiboot1_header(flags, fields=()):
    checksum = (-(MB1_MAGIC + flags)) & 0xFFFFFFFF
    return struct.pack("<III", MB1_MAGIC, flags, checksum) + struct.pack(
        "<%dI" % len(fields), *fields)


def multiboot1_flat():
    """A kernel loaded by the header's address fields (flag 16), no ELF."""
    header_len = 12 + 20
    image_len = header_len + len(CODE)
    fields = (LOAD_ADDRESS, LOAD_ADDRESS, LOAD_ADDRESS + image_len, LOAD_ADDRESS + image_len + 64,
              LOAD_ADDRESS + header_len)
    return multiboot1_header(1 << 16, fields) + CODE


def multiboot1_elf():
    """An i386 ELF whose code starts with a Multiboot1 header without address fields."""
    return elf32(multiboot1_header(1 << 1) + CODE)


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    write(os.path.join(root, "elf"), "elf64-one-load", elf64(CODE))
    write(os.path.join(root, "elf"), "elf32-one-load", elf32(CODE))
    write(os.path.join(root, "multiboot1"), "address-fields", multiboot1_flat())
    write(os.path.join(root, "multiboot1"), "elf32", multiboot1_elf())


if __name__ == "__main__":
    main()
