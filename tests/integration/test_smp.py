# SPDX-License-Identifier: MIT
"""SMP: every core starts, answers cross-CPU calls and runs its own timers; bad MADTs are survived."""

import re

import pytest

from acpi_tables import madt
from harness import Module

TIMER_FIRES = 5
TIMER_PERIOD_US = 2000
ONLINE = re.compile(r"smp: CPU (\d+) \(APIC ID (\d+)\) (?:online|is the boot CPU)")
CHECK = re.compile(r"selftest smp: CPU (\d+) \(APIC ID (\d+)\) (took|did NOT take) the call; "
                   r"its timer fired (\d+) times in (\d+) us")


def online_cpus(run):
    return {int(cpu): int(apic) for cpu, apic in ONLINE.findall(run.transcript)}


def expect_smp_check_passed(run, cpus):
    """Each of `cpus` took the cross-CPU call under its own APIC ID and its timer fired on
    schedule: never early, so five periods take at least 90% of five periods."""
    online = online_cpus(run)
    assert len(online) == cpus, online
    checked = {int(m[0]): m for m in CHECK.findall(run.transcript)}
    assert sorted(checked) == sorted(online), (checked, online)
    for cpu, (_, apic, took, fires, span_us) in checked.items():
        assert took == "took", f"CPU {cpu} did not take the call"
        assert int(apic) == online[cpu], f"CPU {cpu} answered with APIC ID {apic}"
        assert int(fires) == TIMER_FIRES, f"CPU {cpu}: timer fired {fires} times"
        assert int(span_us) >= 0.9 * TIMER_FIRES * TIMER_PERIOD_US, f"CPU {cpu} fired early"
    run.expect(rf"selftest smp: passed on {cpus} CPU\(s\)")


@pytest.mark.parametrize("cpus", [1, 2, 4, 8])
def test_every_core_comes_online_and_answers(qemu, cpus):
    run = qemu(cmdline="selftest=smp", smp=cpus)
    run.expect(r"local APIC: xAPIC mode, .* timer one-shot")
    if cpus == 1:  # no Start-up IPI was sent: no duration to give
        run.expect(r"smp: 1 of 1 CPU\(s\) online$")
    else:
        run.expect(rf"smp: {cpus} of {cpus} CPU\(s\) online; \d+ us from the first Start-up IPI "
                   r"to the last CPU online")
    expect_smp_check_passed(run, cpus)
    run.expect_clean_shutdown()


def test_vtx_machine_with_x2apic_and_tsc_deadline(bochs):
    run = bochs(cmdline="selftest=smp", cpus=2)
    run.expect(r"local APIC: x2APIC mode, .* timer TSC-deadline")
    run.expect(r"smp: 2 of 2 CPU\(s\) online")
    expect_smp_check_passed(run, 2)
    run.expect_clean_shutdown()


def test_x2apic_and_tsc_deadline_can_be_turned_off(bochs):
    run = bochs(cmdline="selftest=smp x2apic=off tscdeadline=off", cpus=2)
    run.expect(r"local APIC: xAPIC mode, .* timer one-shot")
    expect_smp_check_passed(run, 2)
    run.expect_clean_shutdown()


def test_lines_stay_whole_when_all_cores_print_at_once(qemu):
    run = qemu(cmdline="selftest=printk", smp=8)
    lines = [l for l in run.transcript.splitlines() if "selftest printk: CPU" in l]
    pattern = re.compile(r"^\[ *\d+\.\d{6} cpu(\d)\] selftest printk: CPU (\d) line (\d) of 5: "
                         r"the quick brown fox jumps over the lazy dog$")
    seen = set()
    for line in lines:
        m = pattern.match(line)
        assert m, f"mangled line: {line!r}"
        assert m[1] == m[2], f"line of CPU {m[2]} printed by cpu{m[1]}"
        seen.add((m[2], m[3]))
    assert seen == {(str(c), str(n)) for c in range(8) for n in range(1, 6)}, sorted(seen)
    run.expect(r"selftest printk: 8 of 8 CPU\(s\) printed their 5 lines")
    run.expect_clean_shutdown()


def test_smp_option_limits_the_cores_used(qemu):
    run = qemu(cmdline="smp=2 selftest=smp", smp=4)
    run.expect(r"smp: 2 more CPU\(s\) left off \(smp=2\)")
    run.expect(r"smp: 2 of 4 CPU\(s\) online")
    expect_smp_check_passed(run, 2)


def test_madt_with_bad_checksum_leaves_the_boot_cpu(qemu, tmp_path):
    table = tmp_path / "madt.bin"
    table.write_bytes(madt([0, 1, 2, 3], good_checksum=False))
    run = qemu(cmdline="selftest=smp", smp=4, modules=[Module(table, "acpi-table")])
    run.expect(r"WARNING: ACPI: APIC at 0x[0-9a-f]+ has a bad checksum; ignored")
    run.expect(r"WARNING: smp: no usable MADT, so no other CPU is known: running on the boot "
               r"CPU only")
    expect_smp_check_passed(run, 1)
    run.expect_clean_shutdown()


def test_cpu_that_never_answers_is_skipped(qemu, tmp_path):
    table = tmp_path / "madt.bin"
    table.write_bytes(madt([0, 1, 9, 2, 3]))  # APIC ID 9 does not exist in a 4-CPU QEMU
    run = qemu(cmdline="selftest=smp", smp=4, modules=[Module(table, "acpi-table")])
    run.expect(r"ACPI: 1 table\(s\) replaced by acpi-table modules")
    run.expect(r"ACPI: MADT lists 5 CPU\(s\)")
    run.expect(r"WARNING: smp: CPU with APIC ID 9 did not answer INIT-SIPI-SIPI within 100 ms; "
               r"skipped")
    run.expect(r"smp: 4 of 5 CPU\(s\) online")
    expect_smp_check_passed(run, 4)
    run.expect_clean_shutdown()
