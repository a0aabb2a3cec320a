# SPDX-License-Identifier: MIT
"""A misbehaving guest costs only itself: it is stopped with a clear reason and its registers,
while a sibling VM on another core runs to its end, on AMD-V (QEMU) and VT-x (Bochs)."""

import re

import pytest

from harness import GUESTS, Module

MISDEEDS = {  # argument of the hostile guest -> the stop reason Vireo must give
    "triple": r"triple fault \(an exception it could not handle\), at RIP 0x[0-9a-f]+",
    "virt": r"executed (VMRUN|VMXON), a virtualization instruction guests may not use",
    "hypercall": r"unknown hypercall number 0x7badc0de",
    "oob-read": r"read from guest-physical 0xc0000000, outside its 4 MiB of RAM",
    "oob-write": r"wrote to guest-physical 0xc0000000, outside its 4 MiB of RAM",
    "spin": r"ran out of time \(timeout=300ms\)",
}
TICKS = 8


@pytest.mark.parametrize("misdeed", sorted(MISDEEDS))
def test_hostile_guest_stops_only_its_vm(boot, request, misdeed):
    emulator = request.node.callspec.params["boot"]
    cpus = {"smp": 2} if emulator == "qemu" else {"cpus": 2}
    run = boot(modules=[
        Module(GUESTS / "hostile.elf", f"guest evil cpu=0 mem=4M timeout=300ms -- {misdeed}"),
        Module(GUESTS / "ticker.elf", f"guest sibling cpu=1 mem=4M -- {TICKS}"),
    ], **cpus)
    stop = run.expect(rf"WARNING: vm1 evil: stopped: {MISDEEDS[misdeed]}")
    run.expect(r"vm1 evil: RIP 00[01]8:[0-9a-f]{16} RSP [0-9a-f]{16} RFLAGS [0-9a-f]+ CPL 0")
    run.expect(r"vm1 evil: RAX [0-9a-f]{16} RBX")
    run.expect(r"vm1 evil: CR0 [0-9a-f]+ CR2 [0-9a-f]+ CR3 [0-9a-f]+ CR4 [0-9a-f]+ EFER")
    run.expect_not(r"still running, which is wrong")
    for tick in range(1, TICKS + 1):
        run.expect(rf"vm2 sibling: tick {tick} of {TICKS}")
    run.expect(r"vm2 sibling: exited with code 0")
    if misdeed != "spin":
        # The sibling was still running when its neighbour was stopped.
        last_tick = run.transcript.index(f"tick {TICKS} of {TICKS}")
        assert last_tick > stop.start(), "the sibling finished before the misdeed"
    run.expect_clean_shutdown()
