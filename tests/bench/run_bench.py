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


def boot(emulator: str, *module_args: str, config: str = "") -> "harness.Run":
    """One CPU, a bench VM for each of module_args (its arguments after "--"), or the VMs of
    a config file naming bench.elf."""
    bench = harness.BUILD / "guests" / "bench.elf"
    modules = tuple(harness.Module(bench, f"guest bench{i} cpu=0 mem=4M -- {args}")
                    for i, args in enumerate(module_args))
    if config:
        path = harness.BUILD / "bench-vms.toml"
        path.write_text(config)
        modules = (harness.Module(path, "vmconfig bench-vms.toml"),
                   harness.Module(bench, "bench.elf"))
    iso = harness.make_iso("loglevel=3", modules)
    if emulator == "AMD-V":
        return harness.run_qemu(iso, smp=1, timeout=120, extra=("-icount", "shift=0,sleep=off"))
    return harness.run_bochs(iso, cpus=1, timeout=600)


def results(run: "harness.Run", emulator: str, count: int = 1) -> dict:
    """bench: NAME VALUE lines of every bench VM; the smallest value of each name."""
    found = {}
    for i in range(count):
        for name, value in re.findall(r"^bench: (\w+) (\d+)$", run.guest_text(f"bench{i}"),
                                      re.MULTILINE):
            found[name] = min(int(value), found.get(name, int(value)))
    if not found:
        print(run.describe())
        raise SystemExit(f"bench: the {emulator} run printed no result")
    return found


def measure(emulator: str) -> dict:
    deltas = results(boot(emulator, ""), emulator)
    if set(deltas) != {"nop", "hypercall", "cpuid", "pio"}:
        raise SystemExit(f"bench: the {emulator} run printed no complete result")
    # The same exits with the VM's exit tracing on (vmm/trace.c), its ring wrapping round.
    traced = results(boot(emulator, config='[vm.bench0]\nimage = "bench.elf"\nmemory = "4M"\n'
                          'trace = true\ntrace_entries = 64\n'), emulator)
    for key, _ in EXITS:
        deltas[f"{key} traced"] = traced[key]
    deltas["yield alone"] = results(boot(emulator, "yield"), emulator)["yield"]
    deltas["yield pair"] = results(boot(emulator, "yield", "yield"), emulator, 2)["yield"]
    run = boot(emulator, "compute")
    deltas["compute"] = results(run, emulator)["compute"]
    summary = re.search(r"vm1 bench0: \d+ exits \(([^)]*)\)", run.transcript)
    none = re.search(r"(?:^|, )none (\d+)", summary.group(1)) if summary else None
    deltas["host exits"] = int(none.group(1)) if none else 0
    run = boot(emulator, config='[vm.bench0]\nimage = "bench.elf"\nmemory = "4M"\n'
               'devices = ["debugcon", "post", "pic", "pit"]\ncmdline = "irq"\n')
    deltas["eoi"] = results(run, emulator)["eoi"]
    timer = re.search(r"vm1 bench0: \d+ interrupts from the PIC; PIT timer to injection (\d+) "
                      r"TSC ticks at best, (\d+) on average", run.transcript)
    if not timer:
        print(run.describe())
        raise SystemExit(f"bench: the {emulator} run timed no timer interrupt")
    deltas["timer best"], deltas["timer mean"] = int(timer.group(1)), int(timer.group(2))
    run = boot(emulator, config='[vm.bench0]\nimage = "bench.elf"\nmemory = "4M"\nvcpus = 2\n'
               'devices = ["debugcon", "lapic"]\ncmdline = "lapic"\n')
    found = results(run, emulator)
    timer = re.search(r"vm1 bench0: vCPU 0 APIC: \d+ timer interrupts .*; timer to injection "
                      r"(\d+) TSC ticks at best, (\d+) on average", run.transcript)
    if not timer or not {"lapic_eoi", "ipi_send", "ipi_round_trip"} <= set(found):
        print(run.describe())
        raise SystemExit(f"bench: the {emulator} LAPIC run printed no complete result")
    deltas.update({k: found[k] for k in ("lapic_eoi", "ipi_send", "ipi_round_trip")})
    deltas["lapic timer best"] = int(timer.group(1))
    deltas["lapic timer mean"] = int(timer.group(2))
    return deltas


def report(emulator: str, deltas: dict) -> None:
    nop = deltas["nop"]
    print(f"\n{emulator} path lengths, in instructions (RDTSC delta around a NOP: {nop})")
    print(f"  {'exit':<58} {'Vireo':>7} {'KVM':>7} {'KVM/Vireo':>10}")
    for key, label in EXITS:
        path = deltas[key] - nop + 1
        kvm = KVM[emulator][key]
        print(f"  {label:<58} {path:>7} {kvm:>7} {kvm / path:>9.1f}x")
    for key, _ in EXITS:  # the same exits in a VM with trace = true
        traced = deltas[f"{key} traced"] - nop + 1
        print(f"  {key + ', its exits traced (trace = true)':<58} {traced:>7}"
              f"   +{traced - (deltas[key] - nop + 1)} for tracing")
    # A's yield with B waiting: A's exit, the switch to B, B's return and its next yield, the
    # switch back. Less two lone yields (the exits themselves), halved: one VM-to-VM switch
    # (it still holds the few instructions of B's loop between its two RDTSCs).
    switch = (deltas["yield pair"] - 2 * deltas["yield alone"]) // 2
    print(f"  {'VM-to-VM switch on one CPU (put, run queue, load)':<58}"
          f" {switch:>7}")
    # From the host timer's interrupt handler to the VM entry that injects IRQ 0 (Vireo's log),
    # then the guest handler's EOI, an OUT to the PIC model (the guest's RDTSC pair).
    eoi = deltas["eoi"] - nop + 1
    print(f"  {'timer interrupt: host timer to the injecting entry, best':<58}"
          f" {deltas['timer best']:>7}")
    print(f"  {'timer interrupt: host timer to the injecting entry, mean':<58}"
          f" {deltas['timer mean']:>7}")
    print(f"  {'timer interrupt: the EOI its handler writes (OUT 0x20)':<58} {eoi:>7}")
    print(f"  {'timer interrupt: one delivered and acknowledged (best + EOI)':<58}"
          f" {deltas['timer best'] + eoi:>7}")
    # The same with a local APIC: its timer's host timer to the injecting entry (Vireo's log),
    # the handler's EOI (an x2APIC MSR write), and an IPI to a second vCPU on the same CPU:
    # the ICR write alone, and a ping answered by a pong (two switches and two injections).
    lapic_eoi = deltas["lapic_eoi"] - nop + 1
    print(f"  {'LAPIC timer: host timer to the injecting entry, best':<58}"
          f" {deltas['lapic timer best']:>7}")
    print(f"  {'LAPIC timer: host timer to the injecting entry, mean':<58}"
          f" {deltas['lapic timer mean']:>7}")
    print(f"  {'LAPIC EOI write (x2APIC MSR 0x80B)':<58} {lapic_eoi:>7}")
    print(f"  {'LAPIC timer: one delivered and acknowledged (best + EOI)':<58}"
          f" {deltas['lapic timer best'] + lapic_eoi:>7}")
    print(f"  {'IPI to another vCPU: the ICR write (x2APIC MSR 0x830)':<58}"
          f" {deltas['ipi_send'] - nop + 1:>7}")
    print(f"  {'IPI ping-pong, two vCPUs on one CPU: round trip':<58}"
          f" {deltas['ipi_round_trip'] - nop + 1:>7}")
    per_million = deltas["host exits"] / (deltas["compute"] / 1e6)
    print(f"  hypervisor-caused exits of a compute-bound guest: {deltas['host exits']} in "
          f"{deltas['compute'] / 1e6:.0f} M instructions, {per_million:.2f} per 10^6")


def main() -> None:
    backends = sys.argv[1:] or ["AMD-V", "VT-x"]
    for emulator in backends:
        report(emulator, measure(emulator))


if __name__ == "__main__":
    main()
