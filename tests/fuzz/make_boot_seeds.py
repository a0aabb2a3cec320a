#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/{multiboot1_info,multiboot2,acpi,guest_ram}: what a
loader, GRUB and a PC's firmware hand over, as fuzz_NAME.c reads it. Commit what it writes."""
import struct

from seed_writer import write_seeds

MiB = 1 << 20
PAGE = 4096


def mb1_info(ram_mib, kernel_end, loader_pages, modules, name, args, loader):
    """fuzz_multiboot1_info.c: RAM, kernel end, loader pages, modules (size, name), strings."""
    out = struct.pack("<HIBB", ram_mib // 2 - 1, kernel_end, loader_pages, len(modules))
    for size, _ in modules:
        out += struct.pack("<IB", size, 0)
    out += name + b"\0" + args + b"\0" + loader + b"\0"
    for _, module_name in modules:
        out += (b"\1" + module_name + b"\0") if module_name is not None else b"\0"
    return out


def mb2_tag(tag_type, body):
    tag = struct.pack("<II", tag_type, 8 + len(body)) + body
    return tag + b"\0" * (-len(tag) % 8)


def mb2_block(tags):
    body = b"".join(tags) + mb2_tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def mb2_mmap(entries):
    return mb2_tag(6, struct.pack("<II", 24, 0) +
                   b"".join(struct.pack("<QQII", b, l, t, 0) for b, l, t in entries))


def checksummed(table, at):
    """Set the byte at offset at so that the table sums to 0."""
    table = bytearray(table)
    table[at] = (-sum(table)) & 0xff
    return bytes(table)


def sdt(signature, body, revision=1):
    header = signature + struct.pack("<IBB6s8sI4sI", 36 + len(body), revision, 0, b"VIREO ",
                                     b"FUZZSEED", 1, b"VIRO", 1)
    return checksummed(header + body, 9)


def acpi_memory(xsdt_at=0x100, madt_at=0x200, fadt_at=0x300, dsdt_at=0x500):
    """An ACPI 2.0 RSDP at 0 and its flag byte, then an XSDT, MADT, FADT and DSDT."""
    rsdp = b"RSD PTR " + b"\0" + b"VIREO " + bytes([2]) + struct.pack("<I", 0)
    rsdp = checksummed(rsdp, 8)
    rsdp += struct.pack("<IQB3s", 36, xsdt_at, 0, b"\0\0\0")
    rsdp = rsdp[:32] + bytes([(-sum(rsdp)) & 0xff]) + rsdp[33:]
    madt = sdt(b"APIC", struct.pack("<II", 0xfee00000, 1) +
               bytes([0, 8, 0, 0]) + struct.pack("<I", 1) +          # CPU 0
               bytes([0, 8, 1, 1]) + struct.pack("<I", 1) +          # CPU 1
               bytes([1, 12, 0, 0]) + struct.pack("<II", 0xfec00000, 0) +
               bytes([2, 10, 0, 0]) + struct.pack("<IH", 2, 0) +     # IRQ 0 on GSI 2
               bytes([4, 6, 0xff]) + struct.pack("<H", 5) + bytes([1]) +
               bytes([9, 16, 0, 0]) + struct.pack("<III", 300, 1, 2))
    aml = bytes([0x08]) + b"_S5_" + bytes([0x12, 0x08, 0x04, 0x0a, 5, 0x0a, 5, 0, 0])
    dsdt = sdt(b"DSDT", aml)
    fadt_body = bytearray(244 - 36)
    struct.pack_into("<I", fadt_body, 40 - 36, dsdt_at)      # DSDT
    struct.pack_into("<I", fadt_body, 48 - 36, 0xb2)         # SMI_CMD
    fadt_body[52 - 36] = 0xf0                                # ACPI_ENABLE
    struct.pack_into("<I", fadt_body, 64 - 36, 0x604)        # PM1a_CNT_BLK
    struct.pack_into("<H", fadt_body, 109 - 36, 0x2)         # IAPC_BOOT_ARCH: 8042
    struct.pack_into("<I", fadt_body, 112 - 36, 1 << 10)     # flags: RESET_REG_SUP
    fadt_body[116 - 36] = 1                                  # RESET_REG in I/O space
    fadt_body[117 - 36] = 8
    struct.pack_into("<Q", fadt_body, 120 - 36, 0xcf9)
    fadt_body[128 - 36] = 6
    fadt = sdt(b"FACP", bytes(fadt_body), revision=6)
    xsdt = sdt(b"XSDT", struct.pack("<QQ", madt_at, fadt_at))
    memory = bytearray(dsdt_at + len(dsdt))
    memory[0:36] = rsdp
    memory[36] = 0                                           # the flags: 2.0 length
    for at, table in ((xsdt_at, xsdt), (madt_at, madt), (fadt_at, fadt), (dsdt_at, dsdt)):
        memory[at:at + len(table)] = table
    return bytes(memory)


def ram_queries(ram_pages, holes, queries):
    """fuzz_guest_ram.c: RAM pages, whole-page flag, holes (start, size in pages), buffers."""
    out = struct.pack("<I", ram_pages)[:3] + b"\1" + bytes([len(holes)])
    for start, size in holes:
        out += struct.pack("<II", start, size)
    return out + b"".join(struct.pack("<QQ", gpa, length) for gpa, length in queries)


GiB_PAGES = (1 << 30) // PAGE

SEEDS = {
    "multiboot1_info": {
        "no-modules": mb1_info(64, 0x110000, 2, [], b"mb1hello", b"", b"Vireo 1.0"),
        "three-modules": mb1_info(512, 0x180000, 2,
                                  [(5000, b"initrd"), (0, b"empty"), (PAGE * 3, None)],
                                  b"tinyos", b"console=ttyS0 quiet", b"Vireo 1.0"),
        "above-4g": mb1_info(5120, 0x200000, 2, [(1 << 20, b"big")], b"vm", b"x", b"L"),
    },
    "multiboot2": {
        "grub": mb2_block([mb2_tag(1, b"vireo smp=4\0"), mb2_tag(2, b"GRUB 2.12\0"),
                           mb2_tag(3, struct.pack("<II", 0x200000, 0x210000) + b"guest a=1\0"),
                           mb2_tag(4, struct.pack("<II", 639, 523264)),
                           mb2_mmap([(0, 0x9fc00, 1), (0x9fc00, 0x400, 2),
                                     (0x100000, 511 * MiB, 1)]),
                           mb2_tag(8, struct.pack("<QIIIBBH", 0xb8000, 160, 80, 25, 16, 2, 0)),
                           mb2_tag(14, b"RSD PTR " + bytes(12))]),
        "acpi-new-first": mb2_block([mb2_tag(15, b"RSD PTR " + bytes(28)),
                                     mb2_tag(14, b"RSD PTR " + bytes(12))]),
    },
    "acpi": {
        "xsdt-madt-fadt-dsdt": acpi_memory(),
        # The same tables read through an ACPI 1.0 RSDP length (flag bit 0).
        "rsdp-v1": acpi_memory()[:36] + b"\1" + acpi_memory()[37:],
    },
    "guest_ram": {
        # 4 GiB around the PC's device hole, buffers in, across and past the RAM.
        "pc-hole": ram_queries(4 * GiB_PAGES, [(3 * GiB_PAGES, GiB_PAGES)],
                               [(0x1000, 4096), (3 * (1 << 30) - 8, 16), (4 << 30, 1 << 30),
                                (5 << 30, 1), (0xfffffffffffff000, 0x2000), (0, 0)]),
        "no-holes": ram_queries(512, [], [(0, 512 * PAGE), (1, 512 * PAGE), (511 * PAGE, PAGE)]),
    },
}


def main():
    for harness, seeds in SEEDS.items():
        write_seeds(harness, seeds)


if __name__ == "__main__":
    main()
