#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/vioapic: how an OS programs the I/O APIC and an
interrupt's life, as fuzz_vioapic.c's 7-byte steps (what, offset or pin, size index, value).
Commit what it writes."""
import struct

from seed_writer import write_seeds

WRITE, READ, PIN, EOI = range(4)
IOREGSEL, IOWIN = 0x00, 0x10
DWORD = 2  # the index of 4 in the harness's sizes


def step(what, where, value, size=DWORD):
    return struct.pack("<BBBI", what, where, size, value)


def program(pin, low, high=0):
    return [step(WRITE, IOREGSEL, 0x10 + 2 * pin + 1), step(WRITE, IOWIN, high),
            step(WRITE, IOREGSEL, 0x10 + 2 * pin), step(WRITE, IOWIN, low)]


SEEDS = {
    # The UART on pin 4, edge-triggered, to APIC 0: a rising edge sends once.
    "edge-pin": program(4, 0x24) + [step(PIN, 4, 1), step(PIN, 4, 0), step(PIN, 4, 1)],
    # The PIT on pin 2, level-triggered: it sends, waits for the EOI, and sends again while
    # the pin is still up; masked, then the ID and version read.
    "level-pin-eoi": program(2, 0x8000 | 0x60) + [
        step(PIN, 2, 1), step(EOI, 0, 0x60), step(PIN, 2, 0), step(EOI, 0, 0x60),
        *program(2, 0x10000), step(WRITE, IOREGSEL, 0), step(READ, IOWIN, 0),
        step(WRITE, IOREGSEL, 1), step(READ, IOWIN, 0)],
    # Logical destination, lowest priority, byte-wide accesses to the window.
    "logical-bytes": program(9, 0x0900 | 0x0800 | 0x31, 0x03000000) + [
        step(PIN, 9, 1), step(WRITE, IOREGSEL, 0x12, 0), step(READ, IOWIN + 1, 0, 0)],
}


def main():
    write_seeds("vioapic", {n: b"".join(steps) for n, steps in SEEDS.items()})


if __name__ == "__main__":
    main()
