# SPDX-License-Identifier: MIT
"""make bench: measure the hypervisor's path length for single exits, in instructions.

The bench guest brackets each exit with RDTSC. Under QEMU with -icount shift=0 (AMD-V) and
under Bochs with one CPU and clock sync=none (VT-x), the TSC advances once per instruction,
so (delta - delta around a NOP) + 1 is the instruction count of the exit's round trip through
Vireo, the world switch included (DESIGN.md section 5). Prints numbers; asserts nothing.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import harness  # noqa: E402

# Linux 6.1 KVM measured the same way (DESIGN.md section 5).
KVM = {
    "AMD-V": {"hypercall": 2619, "cpuid": 2458, "pio": 1440},
    "VT-x": {"hypercall": 950, "cpuid": 943, "pio": 1248},
}
EXITS = [("hypercall", "null hypercall (VMMCALL / VMCALL)"), ("cpuid", "CPUID"),
         ("pio", "port write to a device in the hypervisor (OUT 0x80)")]


def measure(emulator: str) -> dict:
    iso = harness.make_iso("loglevel=3", (harness.Module(harness.BUILD / "guests" / "bench.elf",
                                                          "guest bench mem=4M"),))
    if emulator == "AMD-V":
        run = harness.run_qemu(iso, smp=1, timeout=120, extra=("-icount", "shift=0,sleep=off"))
    else:
        run = harness.run_bochs(iso, cpus=1, timeout=600)
    deltas = {m[0]: int(m[1]) for m in re.findall(r"^bench: (\w+) (\d+)$", run.guest_text("bench"),
                                               re.MULTILINE)}
    if set(deltas) != {"nop", "hypercall", "cpuid", "pio"}:
        print(run.describe())
        raise SystemExit(f"bench: the {emulator} run printed no complete result")
    return deltas


def report(emulator: str, deltas: dict) -> None:
    nop = deltas["nop"]
    print(f"\n{emulator} path lengths, in instructions (RDTSC delta around a NOP: {nop})")
    print(f"  {'exit':<58} {'Vireo':>7} {'KVM':>7} {'KVM/Vireo':>10}")
    for key, label in EXITS:
        path = deltas[key] - nop + 1
        kvm = KVM[emulator][key]
        print(f"  {label:<58} {path:>7} {kvm:>7} {kvm / path:>9.1f}x")


def main() -> None:
    backends = sys.argv[1:] or ["AMD-V", "VT-x"]
    for emulator in backends:
        report(emulator, measure(emulator))


if __name__ == "__main__":
    main()
