# SPDX-License-Identifier: MIT
"""The scheduler shares CPUs fairly: CPU-bound VMs, more than there are CPUs, are spread evenly
and each gets its share, as its own progress counter shows (ticker lines), on VT-x and AMD-V.

Bochs runs its CPUs in lockstep, a fixed number of instructions per emulated second (ips): the
test bed for several CPUs, as Intel and as AMD. QEMU with -icount counts time in instructions
too, but runs all its vCPUs in one thread, each as fast as the others let it: one CPU there."""

import collections
import re
import statistics

import pytest

from harness import GUESTS, Module

VMS = 8
TICKS = 30


def progress_when_first_done(run):
    """Each VM's ticks at the moment the first one printed its last tick."""
    ticks = {f"p{i}": 0 for i in range(VMS)}
    for line in run.transcript.splitlines():
        m = re.search(r"vm\d+ (p\d+)> tick (\d+) of (\d+)$", line)
        if not m:
            continue
        ticks[m.group(1)] = int(m.group(2))
        if m.group(2) == m.group(3):
            return ticks
    raise AssertionError(f"no VM finished: {ticks}")


def expect_fair(ticks):
    """Within 10% of the mean, measured to a tick (the leader may be owed one)."""
    fair = statistics.mean(ticks.values())
    assert all(abs(t - fair) <= 0.1 * fair + 1 for t in ticks.values()), ticks


@pytest.mark.parametrize("emulator, cpus", [("bochs", 2), ("bochs", 4), ("ryzen", 2),
                                            ("ryzen", 4), ("qemu", 1)])
def test_cpu_bound_vms_get_fair_shares(qemu, bochs, ryzen, emulator, cpus):
    # A tick is about one 10 ms slice of work: about 7 instructions an iteration, and a
    # nanosecond an instruction under -icount shift=0, 100 ns under Bochs's ips=10000000.
    pause = 1500000 if emulator == "qemu" else 15000
    mods = [Module(GUESTS / "ticker.elf", f"guest p{i} mem=4M -- {TICKS} {pause}")
            for i in range(VMS)]
    if emulator == "qemu":
        run = qemu(modules=mods, smp=cpus, timeout=120, extra=("-icount", "shift=0,sleep=off"))
    else:
        run = {"bochs": bochs, "ryzen": ryzen}[emulator](modules=mods, cpus=cpus, timeout=300)
    placed = dict(re.findall(r"vm\d+ (p\d+): running on CPU (\d+)", run.transcript))
    per_cpu = collections.Counter(placed.values())
    assert sorted(per_cpu.values()) == [VMS // cpus] * cpus, placed
    expect_fair(progress_when_first_done(run))
    for i in range(VMS):
        run.expect(rf"vm{i + 1} p{i}: exited with code 0")
    run.expect_clean_shutdown()


def cpu_lines(run, cpu):
    """Each `cpus` line of a CPU: (log time in ms, vCPUs placed, slices run, idle ms)."""
    return [(float(t) * 1000, int(v), int(n), int(idle)) for t, v, n, idle in re.findall(
        rf"^\[ *([\d.]+) cpu\d+\] monitor: CPU {cpu}: APIC ID \d+, (\d+) vCPU\(s\), \d+ waiting, "
        r"(\d+) slices run, idle (\d+) ms, \d+% of the time since boot$", run.transcript,
        re.MULTILINE)]


def idle_between(run, cpu):
    """The share of the time between its first and last `cpus` lines that a CPU was idle."""
    lines = cpu_lines(run, cpu)
    assert len(lines) >= 2, lines
    (t0, _, _, idle0), (t1, _, _, idle1) = lines[0], lines[-1]
    return (idle1 - idle0) / (t1 - t0)


def test_spinning_guest_cannot_starve_and_halted_guest_costs_nothing(boot, request):
    """CPU 1 holds a guest asleep in HLT; CPU 2 a guest spinning with interrupts off and a
    ticker, which still gets its turns. The console's idle accounting, between two `cpus`:
    CPU 1 idle nearly all the time, CPU 2 nearly never."""
    qemu = request.node.callspec.params["boot"] == "qemu"
    work = "10 10000000" if qemu else "10 100000"  # long enough to type `cpus` meanwhile
    mods = [Module(GUESTS / "sleeper.bin", "guest sleeper cpu=1 mem=2M"),
            Module(GUESTS / "hostile.elf", "guest spinner cpu=2 mem=4M timeout=60s -- spin"),
            Module(GUESTS / "ticker.elf", f"guest ticker cpu=2 mem=4M -- {work}")]
    inputs = ((r"ticker> tick 1 of", "cpus\r"),
              (r"vm3 ticker: exited with code 0", "cpus\r"),
              (r"monitor: CPU 2: .*\n", "stats spinner\r"),
              (r"vm2 spinner: vCPU 0 ran .*\n", "poweroff\r"))
    run = boot(modules=mods, inputs=inputs, **({"smp": 3} if qemu else {"cpus": 3}))
    run.expect_guest("spinner", r"about to spin")
    for tick in range(1, 11):
        run.expect_guest("ticker", rf"^tick {tick} of 10$")
    run.expect_not(r"vm2 spinner: (stopped|exited)")
    idle = idle_between(run, 1)
    assert idle >= 0.9, f"CPU 1, with a guest in HLT, idle {idle:.0%} of the time"
    idle = idle_between(run, 2)
    slices = cpu_lines(run, 2)[-1][2] - cpu_lines(run, 2)[0][2]
    assert idle <= 0.1 and slices >= 10, f"CPU 2, spinning: idle {idle:.0%}, {slices} slices"
    # The console's stats of the spinner, still running: its exits, time and slices on CPU 2.
    run.expect(r"vm2 spinner: \d+ exits \([^)]*hypercall \d+[^)]*\) in \d+ ms; \d+ console lines")
    count = int(run.expect(r"vm2 spinner: vCPU 0 ran \d+ ms in (\d+) slice\(s\), last on CPU 2, "
                           r"moved 0 time\(s\)").group(1))
    assert count >= slices // 2, f"the spinner ran {count} of CPU 2's {slices} slices"


def test_higher_priority_runs_first_and_equals_take_turns(boot, request):
    """One CPU: two tickers of the default priority and one of priority 2. The high one runs
    to its end before the others tick at all; then those two share the CPU."""
    qemu = request.node.callspec.params["boot"] == "qemu"
    work = "5 1000000" if qemu else "5 30000"  # several slices a tick
    mods = [Module(GUESTS / "ticker.elf", f"guest {name} mem=4M {prio}-- {work}")
            for name, prio in (("low1", ""), ("low2", "priority=1 "), ("high", "priority=2 "))]
    run = boot(modules=mods, **({"smp": 1} if qemu else {"cpus": 1}))
    order = re.findall(r"vm\d (low1|low2|high)> tick (\d) of 5", run.transcript)
    names = [name for name, _ in order]
    assert names[:5] == ["high"] * 5, order
    lows = names[5:]
    assert sorted(lows) == ["low1"] * 5 + ["low2"] * 5, order
    assert sum(1 for a, b in zip(lows, lows[1:]) if a != b) >= 3, f"no turns: {order}"
    for name in ("low1", "low2", "high"):
        run.expect(rf"vm\d {name}: exited with code 0")
    run.expect_clean_shutdown()


def test_sleep_hypercall_takes_its_time_and_no_cpu(boot, request):
    """A ticker on CPU 1 sleeps 100 ms after each tick (VIREO_HC_SLEEP): its ticks come 100 ms
    apart or more (host time), and CPU 1 is idle nearly all the while (two `cpus` while it
    runs: typing one takes Bochs most of a second)."""
    qemu = request.node.callspec.params["boot"] == "qemu"
    inputs = ((r"sleepy> tick 2 of", "cpus\r"), (r"sleepy> tick 8 of", "cpus\r"))
    run = boot(modules=[Module(GUESTS / "ticker.elf", "guest sleepy cpu=1 mem=4M -- 20 1 100")],
               inputs=inputs, **({"smp": 2} if qemu else {"cpus": 2}))
    run.expect(r"vm1 sleepy: exited with code 0")
    run.expect_not(r"FAIL")
    stamps = [float(t) for t in re.findall(r"^\[ *([\d.]+) cpu\d+\] vm1 sleepy> tick \d+ of 20$",
                                            run.transcript, re.MULTILINE)]
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(gaps) == 19 and min(gaps) >= 0.099, f"ticks apart by {gaps}"
    idle = idle_between(run, 1)
    assert idle >= 0.9, f"CPU 1, its guest asleep, idle {idle:.0%} of the time"
    run.expect_clean_shutdown()


@pytest.mark.parametrize("pinned", [False, True])
def test_idle_cpu_takes_waiting_vcpus_unless_pinned(boot, request, pinned):
    """Two CPUs, four tickers placed in turn: a and c (short) on CPU 0, b and d (long) on
    CPU 1. Once a and c have ended, CPU 0 is idle while b and d share CPU 1: one of them moves
    to CPU 0 at its next slice end. Pinned to CPU 1 (cpu=1), neither does."""
    qemu = request.node.callspec.params["boot"] == "qemu"
    short, long = ("2 100000", "30 1500000") if qemu else ("2 1000", "30 15000")
    pin = "cpu=1 " if pinned else ""
    mods = [Module(GUESTS / "ticker.elf", f"guest {name} mem=4M {pin if name in 'bd' else ''}"
                                          f"-- {short if name in 'ac' else long}")
            for name in "abcd"]
    run = boot(modules=mods, **({"smp": 2} if qemu else {"cpus": 2}))
    last = {}
    for name in "bd":
        m = run.expect(rf"vm\d {name}: vCPU 0 ran \d+ ms in \d+ slice\(s\), last on CPU (\d), "
                       r"moved (\d+) time\(s\)")
        last[name] = (int(m.group(1)), int(m.group(2)))
    if pinned:
        assert last == {"b": (1, 0), "d": (1, 0)}, last
    else:
        assert {cpu for cpu, _ in last.values()} == {0, 1}, last
        assert sum(moves for _, moves in last.values()) >= 1, last
    run.expect_clean_shutdown()
