# SPDX-License-Identifier: MIT
"""Debian's Linux kernel in a Vireo VM (docs/LINUX.md): loaded by its boot protocol with a
busybox initramfs (make linux), on the PC platform, to a shell on its 16550 that runs what is
typed into it, on AMD-V (QEMU) and VT-x (Bochs); beside another VM on the same core; and off
again by its own poweroff, which ends only its VM.

The commands typed print markers computed by the shell ($((...))), so that the echo of a
command line never matches what the test waits for."""

import re

import pytest

from harness import BUILD, GUESTS, Module

LINUX = BUILD / "linux"
FOCUS = "\x1d"  # Ctrl-]: the console's keys go to the next VM
READY = r"vireo-linux: shell ready on console=ttyS0$"
PROMPT = r"/ # "
# What real hardware would not make Linux say (issue 13's list, and the usual suspects).
BAD_DMESG = r"TSC unstable|Marking TSC unstable|APIC timer|unchecked MSR|Call Trace|BUG:|WARNING:"


def linux_vm(name="linux", vcpus=1, memory="192M", cpus="[0]"):
    return (f'[vm.{name}]\nimage = "vmlinuz"\nformat = "linux"\nmemory = "{memory}"\n'
            f'vcpus = {vcpus}\ncpus = {cpus}\nmodules = ["initramfs.cpio"]\n'
            'cmdline = "console=ttyS0"\ninput = "uart"\n'
            'devices = ["debugcon", "pic", "pit", "uart", "keyboard", "rtc"]\n')


def modules(tmp_path, config):
    for part in ("vmlinuz", "initramfs.cpio"):
        assert (LINUX / part).exists(), f"{LINUX / part} is missing: run make linux"
    path = tmp_path / "linux.toml"
    path.write_text(config)
    return [Module(path, "vmconfig linux.toml"), Module(LINUX / "vmlinuz", "vmlinuz"),
            Module(LINUX / "initramfs.cpio", "initramfs.cpio"),
            Module(GUESTS / "ticker.elf", "ticker.elf")]


def session(*commands):
    """Inputs for the harness: the focus to the first VM once Linux is up, then each command
    after the shell's next prompt."""
    return ((READY, FOCUS), *((PROMPT, command + "\r") for command in commands))


def counts(text, irq):
    """The CPU columns of /proc/interrupts' line for irq ("0:", "4:"), summed, per listing."""
    return [sum(map(int, m.group(1).split()))
            for m in re.finditer(rf"^\s*{irq}:((?:\s+\d+)+)\s", text, re.MULTILINE)]


def test_linux_boots_to_a_shell_that_runs_commands(boot, request, tmp_path):
    """The acceptance session on both vendors: uname, the CPUs, interrupts that advance, a
    clean dmesg, and poweroff ending only the Linux VM while a ticker on the same core runs."""
    on_bochs = request.node.callspec.params["boot"] == "bochs"
    config = linux_vm() + '[vm.ticker]\nimage = "ticker.elf"\nmemory = "4M"\ncpus = [0]\n' \
                          'cmdline = "100000 1000 200"\n'
    args = {"cpus": 2, "megs": 512, "timeout": 900} if on_bochs else {"smp": 2, "timeout": 300}
    run = boot(modules=modules(tmp_path, config), until=r"vm1 linux: (exited|stopped)",
               inputs=session("uname -a", "echo CPUS-$(grep -c ^processor /proc/cpuinfo)-$((0))",
                              "cat /proc/interrupts; sleep 1; cat /proc/interrupts",
                              f"echo BAD-$(dmesg | grep -cE '{BAD_DMESG}')-$((0))",
                              "poweroff"),
               **args)
    text = run.guest_text("linux")
    assert re.search(r"^Linux \(none\) 6\.\d+\.\d+-\d+-amd64 #1 SMP .* x86_64 GNU/Linux$", text,
                     re.MULTILINE), f"{run.emulator}: no uname"
    run.expect_guest("linux", r"^CPUS-1-0$")
    timer, serial = counts(text, "0"), counts(text, "4")
    assert len(timer) == 2 and timer[1] > timer[0] + 50, f"{run.emulator}: timer {timer}"
    assert len(serial) == 2 and serial[1] > serial[0], f"{run.emulator}: serial {serial}"
    bad = re.findall(BAD_DMESG, text)
    run.expect_guest("linux", r"^BAD-0-0$")
    assert not bad, f"{run.emulator}: dmesg says {bad}"
    run.expect(r"vm1 linux: exited")
    ticks = re.findall(r"^tick (\d+) of 100000$", run.guest_text("ticker"), re.MULTILINE)
    assert len(ticks) >= 5, f"{run.emulator}: the ticker beside Linux ticked {len(ticks)} times"
    run.expect_not(r"PANIC")
