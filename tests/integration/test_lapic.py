# SPDX-License-Identifier: MIT
"""Local APICs and guest SMP the OS way, on AMD-V (QEMU) and VT-x (Bochs): a 4-vCPU VM on two
host cores enables its x2APICs, takes APIC timer interrupts on every vCPU, starts its APs with
INIT-SIPI-SIPI into a real-mode trampoline and sends fixed IPIs between them (the lapicsmp
guest), and takes the PIT through the I/O APIC, level-triggered, so that each interrupt needs its
EOI to reach the I/O APIC; a 3-vCPU one does the same through the xAPIC MMIO window; a VM without the "lapic"
device is told of no APIC and gets #GP for its MSR; the PIC still reaches vCPU 0 of a VM with
a local APIC (through LINT0 in ExtINT mode, as the firmware of a PC leaves it); a 64-bit VM's
CR8 and its APIC's TPR are one register (the tpr guest); a HLT takes an APIC timer interrupt
that came due with interrupts off (the haltwake guest). The 4-vCPU VM
is the whole PC platform at once (issue 12): it finds its CPUs and I/O APIC in the MP table and
the MADT, confirmed by fw_cfg, writes VGA text, sends a COM1 line a byte per interrupt through
the I/O APIC to its last AP, prints through REP OUTSB, and powers itself off through ACPI,
without a Vireo hypercall."""

import re

from harness import GUESTS, Module

TICKS = 10
CPUS = 4
PLATFORM = ('["debugcon", "lapic", "pic", "pit", "ioapic", "uart", "acpi", "mptable", "fwcfg", '
            '"vga"]')
COUNTS = re.compile(r"^lapicsmp: cpu (\d+): (\d+) timer interrupts, (\d+) IPIs$", re.MULTILINE)


def vm(name, devices, vcpus=CPUS, mode=""):
    return (f'[vm.{name}]\nimage = "lapicsmp.elf"\nmemory = "4M"\nvcpus = {vcpus}\n'
            f'devices = {devices}\ncmdline = "{TICKS} {mode}"\ntimeout = "60s"\n')


def expect_smp_counts(run, name, cpus, mode, end=r"exited with code 0"):
    run.expect_guest(name, r"^lapicsmp: CPUID APIC yes, x2APIC yes, TSC deadline yes$")
    run.expect_guest(name, r"^lapicsmp: APIC base 0xfee00900$")
    run.expect_guest(name, rf"^lapicsmp: {mode} mode; BSP APIC ID 0, timer ticking; "
                           rf"starting {cpus - 1} APs$")
    run.expect_guest(name, r"^lapicsmp: all ok$")
    counts = {int(c): (int(t), int(i)) for c, t, i in COUNTS.findall(run.guest_text(name))}
    assert sorted(counts) == list(range(cpus)), counts
    for cpu, (timer, ipis) in counts.items():
        assert timer >= TICKS, f"{run.emulator}: {name} cpu {cpu} took {timer} timer interrupts"
        # The BSP gets one IPI from each AP; an AP three from the BSP and one from the AP
        # before it in the ring of APs.
        want = cpus - 1 if cpu == 0 else 4
        assert ipis == want, f"{run.emulator}: {name} cpu {cpu} took {ipis} IPIs, not {want}"
    run.expect(rf"vm\d+ {name}: {end}")
    # Every vCPU ran, and its APIC's timer was delivered through the host timer.
    for cpu in range(cpus):
        run.expect(rf"vm\d+ {name}: vCPU {cpu} APIC: \d+ timer interrupts")


def expect_platform(run, name, cpus):
    """What the VM of the whole platform saw, and the screen it left, in the monitor."""
    ids = " ".join(str(i) for i in range(cpus))
    run.expect_guest(name, rf"^lapicsmp: the MP table has {cpus} CPUs, the MADT {cpus}, "
                           rf"fw_cfg {cpus}; APIC IDs {ids}; I/O APIC at 0xfec00000$")
    run.expect_guest(name, r"^lapicsmp: VGA text written, cursor read back at 80$")
    run.expect(rf"vm\d+ {name}: screen, cursor at row 1 column 0:")
    run.expect(rf"vm\d+ {name}: screen 00\|lapicsmp: a PC of its own$")
    # COM1's line: its bytes, one interrupt each and one to end, at the last AP.
    line = "lapicsmp: this line went out of COM1 a byte per interrupt"
    run.expect_guest(name, rf"^{line}$")
    run.expect_guest(name, rf"^lapicsmp: {len(line) + 2} COM1 interrupts through the I/O APIC "
                           rf"to APIC ID {cpus - 1} sent {len(line) + 1} bytes$")
    run.expect_guest(name, r"^lapicsmp: powering off through ACPI$")


def test_apic_timer_ipis_and_init_sipi_start_on_four_vcpus(boot, request, tmp_path):
    emulator = request.node.callspec.params["boot"]
    config = tmp_path / "lapic.toml"
    config.write_text(vm("smp", PLATFORM, CPUS, "ioapic restart platform") +
                      vm("xsmp", '["debugcon", "lapic"]', 3, "xapic restart") +
                      vm("bare", '["debugcon"]', 1) +
                      '[vm.pic]\nimage = "pctimer.elf"\nmemory = "4M"\n'
                      'devices = ["debugcon", "pic", "pit", "lapic"]\ncmdline = "100 1"\n' +
                      '[vm.tpr]\nimage = "tpr.elf"\nmemory = "4M"\ndevices = ["debugcon", "lapic"]\n')
    cores = {"smp": 2} if emulator == "qemu" else {"cpus": 2}
    run = boot(modules=[Module(config, "vmconfig lapic.toml"),
                        Module(GUESTS / "lapicsmp.elf", "lapicsmp.elf"),
                        Module(GUESTS / "pctimer.elf", "pctimer.elf"),
                        Module(GUESTS / "tpr.elf", "tpr.elf")],
               inputs=((r"lapicsmp: VGA text written", "screen smp\r"),),
               timeout=120 if emulator == "qemu" else 400, **cores)
    expect_platform(run, "smp", CPUS)
    expect_smp_counts(run, "smp", CPUS, "x2APIC", end=r"powered off through ACPI \(S5\)")
    expect_smp_counts(run, "xsmp", 3, "xAPIC")
    # INIT takes a running AP back (from its idle loop, then from HLT with interrupts off),
    # SIPIs to it running do nothing, nor INIT and SIPI to an APIC ID no vCPU has.
    for name, ap in (("smp", CPUS - 1), ("xsmp", 2)):
        run.expect_guest(name, rf"^lapicsmp: AP {ap} started 2 times again by INIT-SIPI-SIPI, "
                               r"200 SIPIs to it running ignored$")
    run.expect_not(r"INIT to running vCPU")
    pit = int(run.expect_guest("smp", r"^lapicsmp: (\d+) PIT interrupts through the I/O APIC$")
              .group(1))
    assert pit >= 10, f"{run.emulator}: {pit} PIT interrupts through the I/O APIC"
    # Without the device: no APIC in CPUID, and IA32_APIC_BASE is #GP (no IDT: it stops).
    run.expect_guest("bare", r"^lapicsmp: CPUID APIC no, x2APIC no, TSC deadline no$")
    run.expect(r"vm\d+ bare: stopped: triple fault")
    run.expect_guest("pic", r"^pctimer: 100 ticks in \d+ us")
    run.expect(r"vm\d+ pic: exited with code 0")
    # CR8 is the APIC's TPR[7:4]: each sets the other, and either holds back an IPI of its class.
    wrong = [line for line in run.guest_text("tpr").splitlines() if "WRONG" in line]
    assert not wrong, f"{run.emulator}: {wrong}"
    for what, value in (("TPR after CR8 = 5", "0x50"), ("CR8 after TPR = 0x3a", "0x3"),
                        ("IPIs of class 5 taken with CR8 = 5", "0"), ("IPIs once CR8 = 4", "0x1"),
                        ("IPIs of class 5 taken with TPR = 0x50", "0x1"),
                        ("IPIs once TPR = 0x4f", "0x2")):
        run.expect_guest("tpr", rf"^tpr: {re.escape(what)} = {value}$")
    run.expect(r"vm\d+ tpr: exited with code 0")


def test_hlt_takes_an_apic_timer_interrupt_that_came_due_with_interrupts_off(qemu, tmp_path):
    """An APIC timer whose deadline passed with interrupts off, sooner after its last interrupt
    than Vireo's host timer fires again (the haltwake guest): the HLT that follows takes it at
    once, as on a CPU, rather than coming back without it (an idle Linux then spun in its idle
    loop for ever). QEMU counts instructions here, so that each round's deadline passes before
    the host timer fires in every run; the model is Vireo's, one for both backends."""
    config = tmp_path / "haltwake.toml"
    config.write_text('[vm.haltwake]\nimage = "haltwake.elf"\nmemory = "4M"\n'
                      'devices = ["debugcon", "lapic"]\ntimeout = "60s"\n')
    run = qemu(modules=[Module(config, "vmconfig haltwake.toml"),
                        Module(GUESTS / "haltwake.elf", "haltwake.elf")],
               until=r"vm1 haltwake: (exited|stopped)", extra=("-icount", "shift=0"), timeout=120)
    run.expect_guest("haltwake", r"^haltwake: 100 rounds, 100 timer interrupts, "
                                 r"0 spurious wakes from HLT, 0 interrupts lost$")
    run.expect(r"vm1 haltwake: exited with code 0")
