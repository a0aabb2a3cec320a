# SPDX-License-Identifier: MIT
"""Build ACPI tables for acpi-table modules: replacement firmware tables for tests."""

import struct


def _sdt(signature: bytes, body: bytes, revision: int = 1, good_checksum: bool = True) -> bytes:
    """A system description table: the 36-byte header with a checksum, then the body."""
    length = 36 + len(body)
    header = struct.pack("<4sIBB6s8sI4sI", signature, length, revision, 0, b"VIREO ",
                         b"VIREOTST", 1, b"VIRE", 1)
    table = bytearray(header + body)
    table[9] = (-sum(table)) & 0xFF
    if not good_checksum:
        table[9] = (table[9] + 0x5A) & 0xFF
    return bytes(table)


def madt(apic_ids, ioapic_address=0xFEC00000, good_checksum=True) -> bytes:
    """A MADT: one enabled processor-local-APIC entry per APIC ID, one I/O APIC, and the ISA
    timer override QEMU's own MADT has."""
    body = struct.pack("<II", 0xFEE00000, 1)  # local APIC address, PCAT_COMPAT
    for uid, apic_id in enumerate(apic_ids):
        body += struct.pack("<BBBBI", 0, 8, uid, apic_id, 1)
    body += struct.pack("<BBBBII", 1, 12, 0, 0, ioapic_address, 0)
    body += struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)
    return _sdt(b"APIC", body, revision=3, good_checksum=good_checksum)
