# SPDX-License-Identifier: MIT
"""INS and OUTS, with and without REP, on AMD-V (QEMU, no decode assists) and VT-x (Bochs):
forwards and backwards, bytes and words, a 32-bit address size, and a fault midway that leaves
the registers at the element that faulted."""

from harness import GUESTS, Module


def test_string_io_moves_through_the_port_bus(boot):
    run = boot(modules=[Module(GUESTS / "stringio.elf", "guest strings mem=8M")])
    run.expect_guest("strings", r"^rep outsb: this line went out through port 0xe9$")
    run.expect_guest("strings", r"^rep outsb with DF=1 printed this reversed buffer$")
    run.expect_guest("strings", r"^addr32 rep outsb: ESI and ECX, not RSI and RCX$")
    # The four bytes before the unmapped page went out, then the #PF came.
    run.expect_guest("strings", r"^EDGE$")
    run.expect_guest("strings", r"^fault: vector 14, CR2 0x400000, RCX 4$")
    lines = [text for _, text in run.guest_lines("strings")]
    failed = [line for line in lines if line.endswith("FAILED")]
    assert not failed, f"{run.emulator}: {failed}"
    assert sum(line.endswith(": ok") for line in lines) == 6
    run.expect_guest("strings", r"^stringio: all ok$")
    run.expect(r"vm1 strings: exited with code 0")
    run.expect_clean_shutdown()
