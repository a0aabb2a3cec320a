# SPDX-License-Identifier: MIT
"""MMIO emulation, the I/O APIC and VGA text mode on AMD-V (QEMU, no decode assists) and VT-x
(Bochs): a guest programs the I/O APIC through many instruction forms, takes the PIT's IRQ 0
through its pin 2 with the 8259 pair masked, and writes to the screen, which the monitor shows;
a guest whose x87 load reaches the I/O APIC stops alone, naming the bytes. And the PC's resets
(0xCF9, port 0x92, the 8042, a triple fault) stop the VM by default and restart it with
on_reset = "restart"."""

import re

from harness import GUESTS, Module

PC_VM = ('[vm.pc]\nimage = "pcmmio.elf"\nmemory = "4M"\n'
         'devices = ["debugcon", "pic", "pit", "ioapic", "vga"]\n')
FPU_VM = ('[vm.fpu]\nimage = "pcmmio.elf"\nmemory = "4M"\ncmdline = "fpu"\n'
          'devices = ["debugcon", "ioapic"]\n')


def test_ioapic_through_mmio_and_the_vga_screen(boot, tmp_path):
    config = tmp_path / "mmio.toml"
    config.write_text(PC_VM + FPU_VM)
    run = boot(modules=[Module(config, "vmconfig mmio.toml"),
                        Module(GUESTS / "pcmmio.elf", "pcmmio.elf")],
               inputs=((r"pcmmio: all ok", "screen pc\r"),
                       (r"vm1 pc: screen 24\|", "destroy pc\r")),
               until=r"vm1 pc: (destroyed|stopped)")
    text = run.guest_text("pc")
    wrong = [line for line in text.splitlines() if "WRONG" in line]
    assert not wrong, f"{run.emulator}: {wrong}"
    for form in ("mov load 4", "mov load 2", "movzx byte", "movzx word at +2", "cmp byte",
                 "movsx byte", "movs to RAM", "and, then test", "lods", "or into a register",
                 "xchg"):
        assert f"({form}" in text, f"{run.emulator}: no check of {form}"
    run.expect_guest("pc", r"^pcmmio: version \(mov load 4\) = 0x170011$")
    run.expect_guest("pc", r"^pcmmio: PIT ticks through the I/O APIC = 0x1$")
    run.expect_guest("pc", r"^pcmmio: all ok$")
    # The monitor's screen: the guest's text, and the cursor it set through the CRTC.
    run.expect(r"vm1 pc: screen, cursor at row 2 column 21:")
    run.expect(r"vm1 pc: screen 00\|Vireo pcmmio$")
    run.expect(r"vm1 pc: screen 01\|$")
    run.expect(r"vm1 pc: screen 02\|VGA text mode works\.$")
    # The x87 load stopped only its own VM, naming the instruction's bytes.
    run.expect(r"vm2 fpu: stopped: an access to guest-physical 0xfec00000 at RIP 0x[0-9a-f]+ "
               r"that Vireo cannot decode \(bytes: d9 00")
    run.expect_not(r"still running, which is wrong")
    assert len(re.findall(r"vm1 pc: screen \d\d\|", run.host_text)) == 25


def hostile(name, misdeed, on_reset=None):
    extra = f'on_reset = "{on_reset}"\n' if on_reset else ""
    return (f'[vm.{name}]\nimage = "hostile.elf"\nmemory = "4M"\n'
            f'devices = ["debugcon", "keyboard"]\ncmdline = "{misdeed}"\n{extra}')


def test_resets_stop_by_default_and_restart_when_asked(qemu, tmp_path):
    config = tmp_path / "resets.toml"
    config.write_text(hostile("cf9", "cf9-reset") + hostile("fast", "fast-reset") +
                      hostile("kbd", "kbd-reset") + hostile("triple", "triple") +
                      hostile("cf9r", "cf9-reset", "restart") +
                      hostile("fastr", "fast-reset", "restart") +
                      hostile("tripler", "triple", "restart"))
    run = qemu(modules=[Module(config, "vmconfig resets.toml"),
                        Module(GUESTS / "hostile.elf", "hostile.elf")],
               # each once past its second restart (the three may come in any order)
               inputs=((r"cf9r: restart ([2-9]|\d\d+) \(", "destroy cf9r\r"),
                       (r"fastr: restart ([2-9]|\d\d+) \(", "destroy fastr\r"),
                       (r"tripler: restart ([2-9]|\d\d+) \(", "destroy tripler\r")),
               timeout=120)
    stopped = r"vm\d+ {}: stopped: {} \(on_reset = \"stop\"\)"
    run.expect(stopped.format("cf9", r"reset through the reset control register \(port 0xcf9\)"))
    run.expect(stopped.format("fast", r"reset through port 0x92 \(fast reset\)"))
    run.expect(stopped.format("kbd", r"reset through the keyboard controller \(0xfe to port "
                              r"0x64\)"))
    run.expect(stopped.format("triple", r"triple fault \(an exception it could not handle\), "
                              r"at RIP 0x[0-9a-f]+"))
    for name in ("cf9", "fast", "kbd", "triple"):
        run.expect_not(rf"vm\d+ {name}: restart ")
    for name in ("cf9r", "fastr", "tripler"):
        run.expect(rf"vm\d+ {name}: restart 2 \(")
        # "restart 2" is logged as the third life is made: two at least have run
        assert len(re.findall(rf"hostile guest '{name}': about to", run.transcript)) >= 2
    run.expect_guest("fast", r"^port 0x92 reads 0x2$")
    run.expect_not(r"still running, which is wrong")
