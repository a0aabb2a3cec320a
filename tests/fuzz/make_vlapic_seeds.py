#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/vlapic: how an OS sets up its local APIC, takes a
timer interrupt and sends an IPI, as fuzz_vlapic.c's 7-byte steps (what, two selector bytes,
a 32-bit value). Commit what it writes."""
import struct

from seed_writer import write_seeds

(MMIO_WRITE, MMIO_READ, MSR_WRITE, MSR_READ, APIC_BASE, ACCEPT, ACK, TIME,
 DEADLINE) = range(9)
# The registers, as x2APIC MSR offsets (xAPIC window offset / 16).
SVR, EOI, TPR, ICR = 0x0f, 0x0b, 0x08, 0x30
LVT_TIMER, TIMER_INITIAL, TIMER_DIVIDE = 0x32, 0x38, 0x3e


def step(what, a, b, value):
    return struct.pack("<BBBI", what, a, b, value)


XAPIC_SETUP = [step(MMIO_WRITE, SVR, 0, 0x1ff), step(MMIO_WRITE, TIMER_DIVIDE, 0, 0xb),
               step(MMIO_WRITE, LVT_TIMER, 0, 0x20040), step(MMIO_WRITE, TIMER_INITIAL, 0, 1000)]

SEEDS = {
    # The timer periodic at vector 0x40: time passes, the core takes it, the EOI ends it.
    "xapic-timer": XAPIC_SETUP + [step(TIME, 0, 0, 9000), step(ACK, 0, 0, 0),
                                  step(MMIO_WRITE, EOI, 0, 0), step(TIME, 0, 0, 9000),
                                  step(MMIO_READ, 0x10, 0, 0)],
    # A device's level-triggered vector under a raised TPR, then the EOI back to the I/O APIC.
    "level-under-tpr": XAPIC_SETUP + [step(MMIO_WRITE, TPR, 0, 0x50), step(ACCEPT, 0x41, 1, 0),
                                      step(ACCEPT, 0x61, 1, 0), step(ACK, 0, 0, 0),
                                      step(MMIO_WRITE, EOI, 0, 0), step(MMIO_WRITE, TPR, 0, 0),
                                      step(ACK, 0, 0, 0)],
    # x2APIC mode, a self IPI and an INIT to all but self through the 64-bit ICR, then the
    # TSC-deadline timer.
    "x2apic-icr-deadline": [step(APIC_BASE, 0, 0, 0xfee00d00), step(MSR_WRITE, SVR, 0, 0x1ff),
                            step(MSR_WRITE, 0x3f, 0, 0x50), step(MSR_WRITE, ICR, 0, 0xc4500),
                            step(MSR_WRITE, LVT_TIMER, 0, 0x40060), step(DEADLINE, 0, 0, 500),
                            step(TIME, 0, 0, 600), step(ACK, 0, 0, 0), step(MSR_READ, 0x02, 0, 0)],
}


def main():
    write_seeds("vlapic", {n: b"".join(steps) for n, steps in SEEDS.items()})


if __name__ == "__main__":
    main()
