# SPDX-License-Identifier: MIT
"""A misbehaving guest costs only itself: it is stopped with a clear reason and its registers,
or gets what bare hardware would give it, while a sibling VM on another core keeps its pace and
the host stays in charge (its timers fire, its console answers, it reaches ondone= by itself),
on AMD-V (QEMU) and VT-x (Bochs)."""

import re
import statistics

import pytest

from harness import GUESTS, Module

TICKS = 6


def cpus(request, count=2):
    return {"smp": count} if request.node.callspec.params["boot"] == "qemu" else {"cpus": count}


def emulator_of(request):
    return request.node.callspec.params["boot"]


def with_sibling(image, args, timeout="300ms", mem="4M"):
    """The hostile VM on CPU 0 (the boot CPU, which also runs the console) and a ticker on 1."""
    return [Module(GUESTS / image, f"guest evil cpu=0 mem={mem} timeout={timeout} -- {args}"),
            Module(GUESTS / "ticker.elf", f"guest sibling cpu=1 mem=4M -- {TICKS}")]


def tick_times(run):
    """Host time stamps of the sibling's ticks (the log header of each of its lines)."""
    stamps = re.findall(r"^\[ *([\d.]+) cpu\d+\] vm\d+ sibling> tick \d+ of \d+$",
                        run.transcript, re.MULTILINE)
    return [float(s) for s in stamps]


def expect_sibling_kept_its_pace(run):
    """Every tick came, none of them far later than the others: nothing stalled the host. (The
    emulators' clocks follow the host's, so a busy test machine alone can stretch a gap a few
    times; a stalled host stretches it without end.)"""
    for tick in range(1, TICKS + 1):
        run.expect_guest("sibling", rf"^tick {tick} of {TICKS}$")
    run.expect(r"vm\d sibling: exited with code 0")
    times = tick_times(run)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert max(gaps) <= max(10 * statistics.median(gaps), 1.0), f"the sibling stalled: {gaps}"


def expect_stopped(run, reason):
    """The stop line and register dump; returns the host time of the stop."""
    stop = run.expect(rf"^\[ *([\d.]+) cpu\d+\] WARNING: vm1 evil: stopped: {reason}")
    run.expect(r"vm1 evil: RIP 00[01][0-9a-f]:[0-9a-f]{16} RSP [0-9a-f]{16} RFLAGS [0-9a-f]+ CPL \d")
    run.expect(r"vm1 evil: RAX [0-9a-f]{16} RBX")
    run.expect(r"vm1 evil: CR0 [0-9a-f]+ CR2 [0-9a-f]+ CR3 [0-9a-f]+ CR4 [0-9a-f]+ EFER")
    return float(stop.group(1))


MISDEEDS = {  # argument of the hostile guest -> the stop reason Vireo must give
    "triple": r"triple fault \(an exception it could not handle\), at RIP 0x[0-9a-f]+",
    "virt": r"executed (VMRUN|VMXON), a virtualization instruction guests may not use",
    "oob-read": r"read from guest-physical 0xc0000000( \(linear 0xc0000000\))?, outside its "
                r"4 MiB of RAM, at RIP 0x[0-9a-f]+ \(bytes: [0-9a-f]{2}( [0-9a-f]{2})*\)",
    "oob-write": r"wrote to guest-physical 0xc0000000( \(linear 0xc0000000\))?, outside its "
                 r"4 MiB of RAM, at RIP 0x[0-9a-f]+ \(bytes: [0-9a-f]{2}( [0-9a-f]{2})*\)",
    "spin": r"ran out of time \(timeout=300ms\)",
}


@pytest.mark.parametrize("misdeed", sorted(MISDEEDS))
def test_hostile_guest_stops_only_its_vm(boot, request, misdeed):
    run = boot(modules=with_sibling("hostile.elf", misdeed), **cpus(request))
    stopped_at = expect_stopped(run, MISDEEDS[misdeed])
    if misdeed.startswith("oob") and emulator_of(request) == "bochs":
        run.expect(r"guest-physical 0xc0000000 \(linear 0xc0000000\)")  # VT-x names it
    run.expect_guest("evil", rf"about to {misdeed}")
    run.expect_not(r"still running, which is wrong")
    expect_sibling_kept_its_pace(run)
    if misdeed != "spin":
        assert tick_times(run)[-1] > stopped_at, "the sibling finished before the misdeed"
    run.expect_clean_shutdown()


def test_cr8_never_reaches_the_hosts_task_priority(boot, request):
    """A guest that masks every interrupt class with CR8 masks only its own: the host's timer
    still ends it (timeout=), and the console on the same CPU still answers."""
    run = boot(modules=with_sibling("hostile.elf", "cr8", timeout="1500ms"),
               inputs=((r"evil> CR8 reads 15", "vms\r"),), **cpus(request))
    run.expect_guest("evil", r"^CR8 reads 15; spinning")
    # The console's answer to "vms", on the guest's CPU, while it spins there.
    run.expect(r"vm1 evil: (running|runnable) on CPU 0$")
    assert len(re.findall(r"vm1 evil: (?:running|runnable) on CPU 0$", run.host_text,
                          re.MULTILINE)) == 2, "the console on the guest's CPU did not answer"
    expect_stopped(run, r"ran out of time \(timeout=1500ms\)")
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


def test_control_register_and_efer_abuse_gets_gp(boot, request):
    """Reserved and unoffered CR0/CR4 bits, PG without PE, NW without CD, EFER.LME cleared in
    64-bit mode, EFER.SVME: each raises #GP, as on bare hardware, and changes nothing."""
    run = boot(modules=with_sibling("hostile.elf", "cr-abuse", timeout="10s"),
               **cpus(request))
    for bits in ("0x100000000", "0x21", "0x20000000"):
        run.expect_guest("evil", rf"^CR0 \^ {bits}: #GP$")
    for bits in ("0x80000000", "0x4000000", "0x1000", "0x2000", "0x4000", "0x20000",
                 "0x40000", "0x400000", "0x800000", "0x1000000"):
        run.expect_guest("evil", rf"^CR4 \^ {bits}: #GP$")
    for bits in ("0x100", "0x1000", "0x8000000000000000"):
        run.expect_guest("evil", rf"^EFER \^ {bits}: #GP$")
    run.expect_guest("evil", r"^cr-abuse: 16 of 16 writes refused; CR4 unchanged$")
    run.expect(r"vm1 evil: exited with code 0")
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


def test_rdtscp_hidden_by_cpuid_raises_ud(boot, request):
    run = boot(modules=with_sibling("hostile.elf", "rdtscp", timeout="10s"), **cpus(request))
    run.expect_guest("evil", r"^RDTSCP: #UD, as CPUID hides it$")
    run.expect(r"vm1 evil: exited with code 0")
    expect_sibling_kept_its_pace(run)


def test_invd_is_a_no_op(boot, request):
    """INVD must never discard the host's caches: VT-x always exits on it, AMD-V intercepts it,
    and the guest goes on. (QEMU 7.2 checks the WBINVD intercept for INVD, so no exit shows
    there; its INVD does nothing anyway.)"""
    run = boot(modules=with_sibling("hostile.elf", "invd", timeout="10s"), **cpus(request))
    run.expect_guest("evil", r"^INVD: done, still running$")
    run.expect(r"vm1 evil: exited with code 0")
    if emulator_of(request) == "bochs":
        run.expect(r"vm1 evil: \d+ exits \(.*INVD 1")
    expect_sibling_kept_its_pace(run)


def test_alignment_check_loop_costs_only_its_vm(boot, request):
    """CVE-2015-5307: an #AC whose delivery raises #AC loops inside the CPU unless the
    hypervisor intercepts #AC. Ring 3 with AC set on a misaligned stack, the #AC gate leading
    to ring 3. (QEMU's TCG does no alignment checks: there the guest just spins.)"""
    run = boot(modules=with_sibling("hostile32.elf", "ac-loop", timeout="1s", mem="16M"),
               **cpus(request))
    run.expect_guest("evil", r"to ring 3 with AC set on a misaligned stack")
    expect_stopped(run, r"ran out of time \(timeout=1000ms\)")
    if emulator_of(request) == "bochs":
        exits = int(run.expect(r"vm1 evil: \d+ exits \(.*exception (\d+)").group(1))
        assert exits > 100, f"only {exits} #AC exits: the loop did not run through Vireo"
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


@pytest.mark.parametrize("cpu", ["intel", "amd"])
def test_debug_exception_loop_costs_only_its_vm(bochs, ryzen, cpu):
    """CVE-2015-8104: a data breakpoint on the IST slot that #DB delivery writes. On the AMD
    model the loop runs, through Vireo, until the timeout; the Intel model raises no data
    breakpoint for the pushes of an event VM entry injects, so there it ends after one
    reflected #DB. (QEMU 7.2 aborts on any data breakpoint hit during an exception's delivery,
    with or without Vireo: so this runs on Bochs alone.) Either way it costs nothing but its VM."""
    boot = ryzen if cpu == "amd" else bochs
    run = boot(modules=with_sibling("hostile.elf", "db-loop", timeout="1s"), cpus=2)
    exits = int(run.expect(r"vm1 evil: \d+ exits \(.*exception (\d+)").group(1))
    if cpu == "amd":
        expect_stopped(run, r"ran out of time \(timeout=1000ms\)")
        assert exits > 100, f"only {exits} #DB exits: the loop did not run through Vireo"
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


def test_invd_exits_on_amd(ryzen):
    """On an AMD CPU that checks the INVD intercept (unlike QEMU 7.2), INVD exits and is a
    no-op."""
    run = ryzen(modules=with_sibling("hostile.elf", "invd", timeout="10s"), cpus=2)
    run.expect_guest("evil", r"^INVD: done, still running$")
    run.expect(r"vm1 evil: \d+ exits \(.*INVD 1")
    expect_sibling_kept_its_pace(run)


def test_lme_with_paging_off_is_legal_and_harmless(boot, request):
    """EFER.LME with paging and PAE off is a legal state (QEMU 7.2 hangs the host if a VMCB holds
    it at an exit: Vireo keeps LME out of the VMCB until paging is on)."""
    run = boot(modules=with_sibling("hostile32.elf", "lme-nopg", timeout="10s", mem="16M"),
               **cpus(request))
    run.expect_guest("evil", r"EFER.LME set with paging off, still running")
    run.expect(r"vm1 evil: exited with code 0")
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


def test_lme_with_paging_on_gets_gp(boot, request):
    run = boot(modules=with_sibling("hostile32.elf", "lme-paged", timeout="10s", mem="16M"),
               **cpus(request))
    run.expect_guest("evil", r"EFER.LME with paging on: #GP$")
    run.expect(r"vm1 evil: exited with code 0")
    expect_sibling_kept_its_pace(run)


def test_hardware_task_switch(boot, request):
    """AMD-V lets the CPU switch tasks; VT-x reports the switch, which Vireo does not emulate:
    that VM stops, naming it."""
    run = boot(modules=with_sibling("hostile32.elf", "task-switch", timeout="10s", mem="16M"),
               **cpus(request))
    if emulator_of(request) == "qemu":
        run.expect_guest("evil", r"running in task B after a hardware task switch")
        run.expect(r"vm1 evil: exited with code 0")
    else:
        expect_stopped(run, r"a hardware task switch \(through a task gate, a far JMP or CALL "
                            r"to a TSS, or IRET with NT set\), which Vireo does not emulate on "
                            r"VT-x")
    expect_sibling_kept_its_pace(run)


def test_guest_cannot_forge_host_lines(boot, request):
    """What a guest prints is marked as its own ("vmN NAME> "): the host's lines cannot be
    faked, and checks on them (PANIC, a VM's exit code) see only the host's."""
    run = boot(modules=with_sibling("hostile.elf", "forge", timeout="10s"), **cpus(request))
    run.expect_guest("evil", r"^ERROR: PANIC on CPU 0: forged by the guest$")
    run.expect_guest("evil", r"^vm1 evil: exited with code 0$")
    run.expect_not(r"PANIC")
    run.expect_not(r"vm1 evil: exited with code 0")
    run.expect(r"vm1 evil: exited with code 3")
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()


def test_every_dropped_console_line_is_counted(boot, request):
    """A flood over the rate limit loses lines, but says how many: the lines shown and the
    lines reported dropped add up to what the guest wrote, its last line included."""
    run = boot(modules=with_sibling("hostile.elf", "flood", timeout="60s"), **cpus(request))
    written = 3000 + 2  # the announcement, the flood, its final line
    summary = run.expect(r"vm1 evil: \d+ exits \(.*\) in \d+ ms; (\d+) console lines, "
                         r"(\d+) dropped")
    assert int(summary.group(1)) == written
    dropped = sum(int(n) for n in re.findall(r"vm1 evil: (\d+) console lines dropped "
                                             r"\(over 100 lines/s\)", run.host_text))
    shown = len(run.guest_lines("evil"))
    assert dropped == int(summary.group(2)) > 0
    assert shown + dropped == written, f"{shown} shown + {dropped} dropped != {written}"
    expect_sibling_kept_its_pace(run)
    run.expect_clean_shutdown()
