#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the small ELF, Multiboot1 and bzImage seeds of tests/fuzz/corpus/elf, corpus/multiboot1
and corpus/linux_boot.

Guest ELFs are built, not committed, so the image harnesses' seeds are made here: run it from
the repository's root after changing it, and commit what it writes.
"""
import struct

from seed_writer import write_seeds

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


def bzimage(version=0x020F, setup_sects=4, payload=4096, xloadflags=0x7F, relocatable=1):
    """A bzImage's setup header as Debian 12's (boot.rst): 2 MiB aligned, 16 MiB preferred."""
    header = bytearray(b"\xcc" * ((setup_sects + 1) * 512 + payload))
    header[0x1F1:0x270] = bytes(0x270 - 0x1F1)
    header[0x1F1] = setup_sects
    struct.pack_into("<H", header, 0x1FE, 0xAA55)
    header[0x201] = 0x6A  # the header ends at 0x26c
    header[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", header, 0x206, version)
    header[0x211] = 0x01  # LOADED_HIGH
    struct.pack_into("<III", header, 0x22C, 0x7FFFFFFF, 2 << 20, relocatable)
    struct.pack_into("<HI", header, 0x236, xloadflags, 2047)
    struct.pack_into("<Q", header, 0x258, 16 << 20)
    struct.pack_into("<I", header, 0x260, 64 << 20)
    return bytes(header)


def vm(ram_mib, boot_data_pages, cmdline_len, initrd_bytes):
    """The harness's first 8 bytes: the VM the image is planned in."""
    return struct.pack("<HBH", ram_mib - 2, boot_data_pages - 1, cmdline_len) + \
        (initrd_bytes >> 8).to_bytes(3, "little")


def main():
    write_seeds("elf", {"elf64-one-load": elf64(CODE), "elf32-one-load": elf32(CODE)})
    write_seeds("multiboot1", {"address-fields": multiboot1_flat(), "elf32": multiboot1_elf()})
    write_seeds("linux_boot", {
        "debian-256m-initrd": vm(256, 6, 13, 8 << 20) + bzimage(),
        "tight-64m": vm(64, 6, 2047, 0) + bzimage(),
        "no-room-for-initrd": vm(80, 6, 13, 0xFFFF00) + bzimage(),
        "protocol-2.11": vm(256, 6, 13, 0) + bzimage(version=0x020B),
        "not-relocatable": vm(256, 6, 13, 0) + bzimage(relocatable=0),
        "no-64-bit-entry": vm(256, 6, 13, 0) + bzimage(xloadflags=0),
        "setup-fills-file": vm(256, 6, 13, 0) + bzimage(payload=0),
    })


if __name__ == "__main__":
    main()
