#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seeds of tests/fuzz/corpus/gdb_stub: gdb sessions with the fake VM, as
fuzz_gdb_stub.c's input (a VM byte, then records of kind, length, bytes). Commit them."""
from seed_writer import write_seeds

PACKET, RAW, STOP = range(3)
STEP, SW_BREAKPOINT, HW_BREAKPOINT, WATCHPOINT, INTERRUPTED, EXITED = range(6)


def session(vm_byte, records):
    out = bytes([vm_byte])
    for kind, body in records:
        out += bytes([kind, len(body)]) + body
    return out


def packets(*texts):
    return [(PACKET, t.encode()) for t in texts]


ATTACH = packets("qSupported:multiprocess+;swbreak+;hwbreak+") + [(STOP, bytes([INTERRUPTED, 0]))]

SEEDS = {
    # Two vCPUs in long mode: registers, memory, a breakpoint, continue and the hit.
    "breakpoint": session(1, ATTACH + packets(
        "qXfer:features:read:target.xml:0,fff", "?", "qfThreadInfo", "Hg2", "g",
        "m401000,40", "M400100,4:90909090", "Z0,401010,1", "c") +
        [(STOP, bytes([SW_BREAKPOINT, 1]))] + packets("z0,401010,1", "p10", "P0=0100000000000000", "D")),
    # One vCPU in protected mode: a watchpoint, stepping with vCont, physical memory.
    "watch-and-step": session(4, ATTACH + packets(
        "Z2,400200,4", "vCont;s:1", "qRcmd,6d6f6465") + [(STOP, bytes([STEP, 0]))] +
        packets("vCont;c") + [(STOP, bytes([WATCHPOINT, 0, 0, 0x20]))] +
        packets("qRcmd,7068797320" + "6f6e", "m1000,10", "X1000,2:ab", "k")),
    # Line noise: an interrupt byte, a bad checksum, a NACK, then the VM exits.
    "noise-and-exit": session(2, [(RAW, b"\x03"), (STOP, bytes([INTERRUPTED, 0])),
                                  (RAW, b"$g#00-+$?#3f"), (PACKET, b"c"),
                                  (STOP, bytes([EXITED, 0, 0, 7]))]),
}


def main():
    write_seeds("gdb_stub", SEEDS)


if __name__ == "__main__":
    main()
