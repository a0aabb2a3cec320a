# SPDX-License-Identifier: MIT
"""make lab-trace-an-exit: boot the bench guest in a traced VM; once it has halted with
interrupts off, ask the console for its newest exits and look at the HLT's record; then build
and run the unit test of the records."""

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lab_check import GUESTS, LOGS, ROOT, Module, boot, finish  # noqa: E402

LAB = "trace-an-exit"
CONFIG = '[vm.halter]\nimage = "bench.elf"\nmemory = "4M"\ncmdline = "hold"\ntrace = true\n'
HALTED = r"vm1 halter: vCPU 0 halted with interrupts off"
HLT_LINE = r"trace: vm1 halter vCPU 0 \+[\d.]+ us HLT rip=0x[0-9a-f]+(.*), [\d.]+ us in Vireo"


def main() -> None:
    LOGS.mkdir(parents=True, exist_ok=True)
    config = LOGS / "halter.toml"
    config.write_text(CONFIG)
    run = boot(LAB, [Module(config, "vmconfig halter.toml"),
                     Module(GUESTS / "bench.elf", "bench.elf")],
               inputs=((HALTED, "trace halter show 3\r"),), until=HLT_LINE)
    problems = []
    shown = re.search(HLT_LINE, run.transcript)
    details = shown.group(1) if shown else ""
    if not shown:
        problems.append("the console showed no HLT record of the traced VM")
    elif " if=" not in details:
        problems.append("the trace's HLT records do not say whether the guest could take "
                        "interrupts: keep RFLAGS.IF at the exit in the record "
                        "(trace_record_exit, vmm/trace_record.c) and print it as if=0 or if=1 "
                        "(trace_record_details)")
    elif " if=0" not in details:
        problems.append(f"the guest halted with CLI; HLT, but its record says{details}: "
                        "take IF from the registers at the exit (regs->rflags)")
    test = ROOT / "tests" / "unit" / "test_trace_record.c"
    if '" if=1"' not in test.read_text():
        problems.append("tests/unit/test_trace_record.c does not check a HLT with interrupts "
                        "on (\" if=1\")")
    made = subprocess.run(["make", "-s", "-C", str(ROOT), "build/unit/test_trace_record"],
                          capture_output=True, text=True)
    ran = made.returncode == 0 and subprocess.run(
        [str(ROOT / "build" / "unit" / "test_trace_record")], capture_output=True).returncode == 0
    if not ran:
        problems.append("build/unit/test_trace_record does not build or does not pass "
                        "(what does it expect of a HLT now?):\n" + made.stdout + made.stderr)
    finish(LAB, problems)


main()
