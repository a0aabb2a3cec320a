# SPDX-License-Identifier: MIT
"""Exit tracing and statistics: a VM traced from its config runs the bench guest (a known
number of each exit), then the monitor shows its trace, its stats, and dumps the trace, which
tools/trace2json.py turns into Chrome Trace Event JSON; every count must agree."""

import collections
import json
import re
import subprocess
import sys

from harness import GUESTS, ROOT, Module

RUNS = 200  # guests/bench/bench.c: each exit it measures, this many times
CONFIG = ('[vm.traced]\nimage = "bench.elf"\nmemory = "4M"\ncmdline = "hold"\n'
          'trace = true\ntrace_entries = 4096\n')
HALTED = r"vm1 traced: vCPU 0 halted with interrupts off"
SHOWN = r"trace: vm1 traced vCPU 0 \+[\d.]+ us HLT rip=0x[0-9a-f]+, [\d.]+ us in Vireo"
STATS = r"vm1 traced: vCPU 0: \d+ exits \(.*\)"
DUMPED = r"vireo-trace-end vm=1 events=\d+"
OFF_SHOWN = r"vCPU 0: \d+ exits traced, 0 lost, tracing off"


def counts_of(summary: str) -> dict:
    """"I/O 200/31 us, CPUID 201/20 us" -> {"I/O": (200, 31), ...} (time None if untimed)."""
    out = {}
    for part in summary.split(", "):
        m = re.fullmatch(r"(.+?) (\d+)(?:/(\d+) us)?", part)
        assert m, f"not a count: {part!r} in {summary!r}"
        out[m[1]] = (int(m[2]), int(m[3]) if m[3] else None)
    return out


def test_trace_show_dump_json_and_stats_agree(boot, request, tmp_path):
    config = tmp_path / "traced.toml"
    config.write_text(CONFIG)
    run = boot(modules=[Module(config, "vmconfig traced.toml"),
                        Module(GUESTS / "bench.elf", "bench.elf")],
               inputs=((HALTED, "trace traced show 20\r"), (SHOWN, "stats traced\r"),
                       (STATS, "trace traced dump\r"), (DUMPED, "trace traced off\r"),
                       (r"tracing off", "trace traced show 1\r")),
               until=OFF_SHOWN, timeout=300,
               **({"smp": 1} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 1}))
    assert not run.timed_out, run.describe()

    # show 20: the newest 20 exits, decoded; the last is the HLT, before it the guest's
    # prints (VIREO_HC_WRITE, number 1) and the tail of its 200 port writes.
    shown = re.findall(r"trace: vm1 traced vCPU 0 \+[\d.]+ us (.+)", run.transcript)
    assert len(shown) >= 20, run.transcript[-4000:]
    shown = shown[:20]
    assert shown[-1].startswith("HLT rip=")
    assert any(re.match(r"hypercall rip=0x[0-9a-f]+ nr=1 cpl=0, [\d.]+ us in Vireo", s)
               for s in shown), shown
    assert any(re.match(r"I/O rip=0x[0-9a-f]+ port=0x80 size=1 dir=out value=0x42, [\d.]+ us "
                        r"in Vireo", s) for s in shown), shown
    run.expect(r"trace: vm1 traced vCPU 0: \d+ exits traced, 0 lost, tracing on")

    # The dump, as the script reads it from the transcript.
    transcript = tmp_path / "console.log"
    transcript.write_text(run.transcript)
    out = tmp_path / "trace.json"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "trace2json.py"),
                           str(transcript), str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with open(out) as f:
        doc = json.load(f)
    exits = [e for e in doc["traceEvents"] if e["ph"] == "X"]
    header = run.expect(r"vireo-trace-begin vm=1 name=traced vcpus=1 tsc_hz=(\d+) "
                        r"start=[0-9a-f]+ records=(\d+)")
    end = run.expect(r"vireo-trace-end vm=1 events=(\d+)")
    vcpu = run.expect(r"\bV 0 total=(\d+) lost=0")
    assert len(exits) == int(header[2]) == int(end[1]) == int(vcpu[1])
    assert all(e["pid"] == 1 and e["tid"] == 0 and e["dur"] > 0 for e in exits)
    times = [e["ts"] for e in exits]
    assert times == sorted(times) and times[0] >= 0

    by_reason = collections.Counter(e["name"] for e in exits)
    port_writes = [e for e in exits if e["name"] == "I/O" and e["args"].get("port") == 0x80]
    assert len(port_writes) == RUNS and all(e["args"]["value"] == 0x42 and
                                            e["args"]["dir"] == "out" for e in port_writes)
    nulls = [e for e in exits if e["name"] == "hypercall" and e["args"]["nr"] == 0]
    assert len(nulls) == RUNS
    leaves = [e for e in exits if e["name"] == "CPUID" and e["args"]["leaf"] == 0x40000000]
    assert len(leaves) == RUNS
    assert by_reason["HLT"] == 1 and exits[-1]["name"] == "HLT"

    # stats: per VM and per vCPU, the same counts as the trace, each reason timed.
    vm_line = run.expect(r"vm1 traced: (\d+) exits \((.*)\) in \d+ ms")
    vcpu_line = run.expect(STATS.replace(r"\d+ exits \(.*\)", r"(\d+) exits \((.*)\)"))
    for line in (vm_line, vcpu_line):
        assert int(line[1]) == len(exits)
        counts = counts_of(line[2])
        assert {name: n for name, (n, _) in counts.items()} == dict(by_reason)
        assert all(us is not None for _, us in counts.values()) or "none" in counts
    # The time per reason is the trace's, in microseconds at the dump's TSC rate.
    io_us = sum(e["dur"] for e in exits if e["name"] == "I/O")
    assert abs(counts_of(vcpu_line[2])["I/O"][1] - io_us) <= 1 + io_us / 100

    # Off keeps the records for show and dump.
    run.expect(r"monitor: vm1 traced: tracing off")



def test_trace_goes_on_and_off_at_the_console(qemu):
    """A VM not traced from its config: nothing to show, yet its stats time every reason; then
    on at the console, its exits (the ticker's writes and sleeps) recorded, then off, after
    which the count stays."""
    ticker = Module(GUESTS / "ticker.elf", "guest ticker cpu=1 mem=4M -- 100000 1000 20")
    on = r"trace: vm1 ticker vCPU 0: (\d+) exits traced, 0 lost, tracing on"
    off = r"trace: vm1 ticker vCPU 0: (\d+) exits traced, 0 lost, tracing off"
    twice = off + r"(?:.|\n)*" + off
    run = qemu(modules=[ticker], smp=2, timeout=90, until=twice,
               inputs=((r"ticker> tick 1 of", "trace ticker show\r"),
                       (r"vm1 ticker has no trace", "stats ticker\r"),
                       (r"vm1 ticker: vCPU 0: \d+ exits \(.*\)\n", "trace ticker on\r"),
                       (r"ticker> tick \d+ (?:.|\n)*ticker> tick \d+ ", "trace ticker show 4\r"),
                       (on, "trace ticker off\r"),
                       (r"tracing off\n", "trace ticker show 0\r"),
                       (r"ticker> tick \d+ (?:.|\n)*ticker> tick \d+ ", "trace ticker show 0\r")))
    assert not run.timed_out, run.describe()
    # Untraced, the stats still time each reason (the run loop's count_exit_time).
    untraced = counts_of(run.expect(r"vm1 ticker: vCPU 0: \d+ exits \((.*)\)")[1])
    assert untraced.get("hypercall", (0, None))[0] >= 2, untraced
    assert all(us is not None for _, us in untraced.values()), untraced
    run.expect(r"monitor: vm1 ticker: tracing on")
    traced = int(run.expect(on)[1])
    assert traced >= 2
    shown = re.findall(r"trace: vm1 ticker vCPU 0 \+[\d.]+ us (.+)", run.transcript)
    assert len(shown) == min(4, traced), shown
    # VIREO_HC_WRITE (1) prints each tick, VIREO_HC_SLEEP (7) waits after it; a host
    # interrupt may come between.
    calls = [re.match(r"hypercall rip=0x[0-9a-f]+ nr=(\d+) cpl=0, ", s) for s in shown]
    assert all(c or s.startswith("none ") for c, s in zip(calls, shown)), shown
    assert {int(c[1]) for c in calls if c} <= {1, 7} and any(calls), shown
    counts = [int(n) for n in re.findall(off, run.transcript)]
    assert len(counts) == 2 and counts[0] == counts[1] >= traced, counts
