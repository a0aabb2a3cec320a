#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/vpic: the PC's 8259A set-up and an interrupt's life,
as fuzz_vpic.c's 3-byte steps (what, port index or IRQ, value). Commit what it writes."""
import os

WRITE, READ, IRQ, ACKNOWLEDGE = range(4)
MASTER_COMMAND, MASTER_DATA, SLAVE_COMMAND, SLAVE_DATA, ELCR_MASTER, ELCR_SLAVE = range(6)

# ICW1-ICW4 of both chips as a BIOS programs them: vectors 0x08 and 0x70, slave on IR2.
SETUP = [
    (WRITE, MASTER_COMMAND, 0x11), (WRITE, MASTER_DATA, 0x08), (WRITE, MASTER_DATA, 0x04),
    (WRITE, MASTER_DATA, 0x01), (WRITE, SLAVE_COMMAND, 0x11), (WRITE, SLAVE_DATA, 0x70),
    (WRITE, SLAVE_DATA, 0x02), (WRITE, SLAVE_DATA, 0x01), (WRITE, MASTER_DATA, 0x00),
    (WRITE, SLAVE_DATA, 0x00),
]

SEEDS = {
    # IRQ 0 pulses, is acknowledged and ended with a non-specific EOI.
    "timer-interrupt": SETUP + [(IRQ, 0, 1), (IRQ, 0, 0), (ACKNOWLEDGE, 0, 0),
                                (WRITE, MASTER_COMMAND, 0x20)],
    # IRQ 8 on the slave, level-triggered by the ELCR, read back through OCW3's ISR read.
    "slave-level-irq": SETUP + [(WRITE, ELCR_SLAVE, 0x01), (IRQ, 8, 1), (ACKNOWLEDGE, 0, 0),
                                (WRITE, SLAVE_COMMAND, 0x0B), (READ, SLAVE_COMMAND, 0),
                                (WRITE, SLAVE_COMMAND, 0x20), (WRITE, MASTER_COMMAND, 0x20),
                                (IRQ, 8, 0)],
    # A poll command instead of an INTA cycle.
    "poll": SETUP + [(IRQ, 1, 1), (WRITE, MASTER_COMMAND, 0x0C), (READ, MASTER_COMMAND, 0)],
}


def main():
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "vpic")
    os.makedirs(directory, exist_ok=True)
    for name, steps in SEEDS.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(bytes(b for s in steps for b in s))


if __name__ == "__main__":
    main()
