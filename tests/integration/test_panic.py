# SPDX-License-Identifier: MIT
"""Deliberate faults in the hypervisor (selftest=NAME) produce a complete panic report."""

import pytest

REGISTERS = ["RIP", "RSP", "RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP",
             "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "CR0", "CR2", "CR3", "CR4"]

# selftest name -> (reason in the PANIC line, innermost functions of the backtrace)
FAULTS = {
    "ud": (r"#UD invalid opcode \(vector 6", ["fault_invalid_opcode", "run_test"]),
    "pf": (r"#PF page fault \(vector 14, error code 0x2 \(write to a not-present page\), "
           r"CR2 0x8\)", ["fault_null_write", "run_test"]),
    "gp": (r"#GP general protection fault \(vector 13", ["fault_non_canonical", "run_test"]),
    "de": (r"#DE divide error \(vector 0", ["fault_divide", "run_test"]),
    # With RSP broken, the frame-less leaf's caller cannot be found: kmain follows directly.
    "df": (r"#DF double fault \(vector 8", ["fault_double"]),
    "panic": (r"selftest: explicit panic requested on the command line",
              ["panic", "explicit_panic", "run_test"]),
}


def expect_panic_report(run, reason, innermost):
    run.expect(rf"ERROR: PANIC on CPU 0: {reason}")
    for reg in REGISTERS:
        run.expect(rf"\b{reg}:\s*[0-9a-f]{{4,16}}")
    run.expect(rf"RIP: 0008:ffffffff[0-9a-f]{{8}} <{innermost[0]}\+0x[0-9a-f]+>")
    run.expect(r"Backtrace:")
    # The backtrace names the chain of callers, innermost first, down to the boot entry.
    trace = run.transcript.split("Backtrace:")[1]
    callers = [line.split("<")[1].split("+")[0] for line in trace.splitlines()
               if line.strip().startswith("#") and "<" in line]
    guesses = [line for line in trace.splitlines() if " ?" in line]
    assert len(guesses) <= 1, guesses
    assert callers[:len(innermost)] == innermost, callers
    assert callers[-2:] == ["kmain", "kernel_entry64"], callers
    run.expect(r"Vireo stopped: panic on CPU 0 \(onpanic=poweroff\)")


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_selftest_fault_gives_panic_report(qemu, name):
    run = qemu(cmdline=f"selftest={name} onpanic=poweroff")
    reason, function = FAULTS[name]
    expect_panic_report(run, reason, function)
    assert not run.timed_out and run.returncode == 0


def test_panic_report_on_vtx_machine(bochs):
    run = bochs(cmdline="selftest=pf onpanic=poweroff")
    expect_panic_report(run, *FAULTS["pf"])
    assert not run.timed_out


def test_unknown_selftest_is_named_and_skipped(qemu):
    run = qemu(cmdline="selftest=nosuch")
    run.expect(r"WARNING: selftest 'nosuch' does not exist \(known: ud, pf, gp, de, df, panic, smp, "
               r"printk\)")
    run.expect_clean_shutdown()
