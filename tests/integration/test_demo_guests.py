# SPDX-License-Identifier: MIT
"""The demo guests print what they compute, under AMD-V (QEMU) and VT-x (Bochs): mini-kvm's
counter and multiplication table over port 0x500, and a 32-bit guest that turns on paging."""

import re

from harness import GUESTS, Module

RAM_BYTES = 4 << 20
HIGH_ADDRESS = 0xC0000000
CR0_PG = 1 << 31
HEX = r"0x([0-9a-f]{8})"

DEMOS = [Module(GUESTS / "counter16.bin", "guest counter16 mem=2M"),
         Module(GUESTS / "multiply16.bin", "guest multiply16 mem=2M"),
         Module(GUESTS / "paging32.elf", f"guest paging32 mem={RAM_BYTES >> 20}M")]


def expect_lines(run, vm, want):
    got = [text for _, text in run.guest_lines(vm)]
    assert got == want, f"{run.emulator}: {vm} printed {got}, not {want}"
    run.expect(rf"vm\d {vm}: exited with code 0")


def expect_paging(run):
    text = run.guest_text("paging32")
    walk = re.search(rf"^{HEX}: directory entry {HEX} -> page table at {HEX}, its entry {HEX} "
                     rf"-> page {HEX}$", text, re.MULTILINE)
    assert walk, f"{run.emulator}: paging32 did not describe its mapping:\n{text}"
    va, pde, table, pte, page = (int(x, 16) for x in walk.groups())
    assert (va, pde, pte) == (HIGH_ADDRESS, HIGH_ADDRESS >> 22, 0)
    for pa in table, page:
        assert pa % 4096 == 0 and pa < RAM_BYTES, f"{pa:#x}: not a page of the VM's RAM"
    cr0 = int(run.expect_guest("paging32", rf"^paging on: CR0 = {HEX}$").group(1), 16)
    assert cr0 & CR0_PG, f"{run.emulator}: CR0 {cr0:#x} has PG clear"
    copies = re.findall(rf"^wrote {HEX} through {HEX}, read {HEX} through {HEX}: (.*)$", text,
                        re.MULTILINE)
    assert len(copies) == 2, f"{run.emulator}: paging32 wrote {len(copies)} times, not 2"
    for (wrote, to, read, via, verdict), pair in zip(copies, [(HIGH_ADDRESS, page),
                                                              (page, HIGH_ADDRESS)]):
        assert (int(to, 16), int(via, 16)) == pair
        assert read == wrote and verdict == "the same page"
    assert int(copies[0][0], 16) ^ int(copies[1][0], 16) == 0xFFFFFFFF
    run.expect_guest("paging32", r"^the CPU set the accessed and dirty bits")
    run.expect_guest("paging32", r"^and this line, written through 0xc0000000, was printed from "
                                 r"its physical address")
    run.expect(r"vm\d paging32: exited with code 0")


def test_demo_guests_print_what_they_compute(boot):
    run = boot(modules=DEMOS)
    expect_lines(run, "counter16",
                 ["counting from 0 to 9"] + [f"count {i}" for i in range(10)] + ["done"])
    expect_lines(run, "multiply16",
                 [f"{a} x {b} = {a * b}" for a in range(2, 10) for b in range(1, 10)])
    expect_paging(run)
    run.expect_not(r"WARNING|ERROR")
    run.expect_clean_shutdown()
