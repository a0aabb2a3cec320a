# SPDX-License-Identifier: MIT
"""The hypervisor console: typed commands, and a machine that cannot run guests stays up."""

import pytest

import harness
from harness import GUESTS, Module

PROMPT_READY = r"monitor: the hypervisor console is ready"
NO_VIRTUALIZATION = {  # QEMU CPU model -> why Vireo says it cannot run guests
    "qemu64,-svm": r"the CPU \(AuthenticAMD\) offers neither VT-x nor AMD-V \(CPUID shows no "
                   r"VMX or SVM\)",
    "qemu64,+svm,-npt": r"AMD-V without nested paging \(NPT\), which Vireo requires",
}


@pytest.mark.parametrize("cpu", sorted(NO_VIRTUALIZATION))
def test_without_virtualization_the_console_stays_alive(qemu, cpu):
    run = qemu(cpu=cpu, modules=[Module(GUESTS / "hello16.bin", "guest hello mem=2M")],
               inputs=((PROMPT_READY, "help\r"), (r"monitor: reboot", "vms\r"),
                       (r"vmm: no VMs", "cpus\r"), (r"CPU 3: APIC ID 3", "poweroff\r")),
               timeout=60)
    run.expect(rf"WARNING: vmm: no guests can run: {NO_VIRTUALIZATION[cpu]}")
    run.expect(r"boot complete in \d+ ms; 0 VM\(s\) started")
    run.expect(r"monitor: poweroff +power the machine off")
    run.expect(r"monitor: CPU 0: APIC ID 0, 0 vCPU\(s\), 0 waiting, 0 slices run, idle "
               r"\d+ ms, \d+% of the time since boot")
    run.expect(r"^poweroff$")  # the console echoes what is typed
    assert not run.timed_out and run.returncode == 0


def cpus(request, count):
    return {"smp": count} if request.node.callspec.params["boot"] == "qemu" else {"cpus": count}


def test_console_works_while_guests_run(boot, request):
    run = boot(modules=[Module(GUESTS / "hostile.elf", "guest spinner cpu=1 mem=4M -- spin")],
               inputs=((r"spinner> hostile guest 'spinner': about to spin", "vms\r"),
                       (r"vm1 spinner: running on CPU 1", "nonsense\r"),
                       (r"unknown command", "poweroff\r")),
               **cpus(request, 2))
    run.expect(r"vm1 spinner: running on CPU 1")
    run.expect(r"WARNING: monitor: unknown command 'nonsense'; 'help' lists them")
    assert not run.timed_out and run.returncode == 0, "poweroff with a guest spinning"


@pytest.mark.parametrize("emulator", ["qemu", "bochs"])
def test_default_iso_runs_its_guests_and_keeps_the_console(runs, emulator):
    """What `make run` boots: four guests that run to their end, one of two vCPUs, echo,
    which answers a line typed to it (Ctrl-]) and ends on "quit", and the teaching OS, whose
    menu takes the next Ctrl-] and a key; then the console stays up (ondone=console)."""
    others_done = "".join(rf"(?=(?:.|\n)*vm{i} \w+: exited with code 0)" for i in range(1, 5))
    inputs = ((others_done, "\x1d"),
              (r"console: keys go to vm5 echo now", "hi there\r"),
              (r"echo> you typed: hi there", "quit\r"),
              (r"vm5 echo: exited with code 0", "\x1d"),
              (r"console: keys go to vm6 tinyos now", "6"),
              (r"tinyos> select: 6", "0"),
              (r"the console stays up", "vms\r"),
              (r"vm6 tinyos: stopped: exited with code 0", "poweroff\r"))
    iso = harness.BUILD / "vireo.iso"
    if emulator == "qemu":
        run = harness.run_qemu(iso, smp=4, timeout=60, inputs=inputs)
    else:
        run = harness.run_bochs(iso, cpus=4, timeout=240, inputs=inputs)
    runs.append(run)
    for name, greeting in (("hello16", "Hello from real mode!"),
                           ("hello32", "Hello from 32-bit protected mode!"),
                           ("hello64", "Hello from 64-bit C!"),
                           ("tour", "exit tour done: 0 failure"),
                           ("echo", "you typed: hi there"),
                           ("tinyos", "select: 0")):
        run.expect_guest(name, greeting)
        run.expect(rf"vm\d {name}: stopped: exited with code 0")
    run.expect(r"vmm: every VM has stopped; the console stays up \(ondone=console\)")
    assert not run.timed_out and run.returncode == 0
