# SPDX-License-Identifier: MIT
"""The firmware data of a PC under Vireo (docs/PLATFORM.md), through guests/fwscan, which finds
it as an OS does, without a hypercall: the BDA, the MP table, the ACPI tables and fw_cfg,
each describing the VM's own vCPU count and RAM, on AMD-V (QEMU) and VT-x (Bochs); a VM
without them finds none, and an image that would lie under them is refused."""

import re

from harness import GUESTS, Module

FIRMWARE = '["debugcon", "pic", "uart", "acpi", "mptable", "fwcfg"]'
BOOT_DATA_KIB = 32  # an ELF guest's boot data at the top of low RAM (vmm/loader.c)


def fwscan(name, vcpus, mem_mib, devices=FIRMWARE, cmdline="", onexit="stop"):
    return (f'[vm.{name}]\nimage = "fwscan.elf"\nmemory = "{mem_mib}M"\nvcpus = {vcpus}\n'
            f'devices = {devices}\ncmdline = "{cmdline}"\nonexit = "{onexit}"\n')


def boot_config(boot, tmp_path, text, **kwargs):
    config = tmp_path / "fw.toml"
    config.write_text(text)
    return boot(modules=[Module(config, "vmconfig fw.toml"),
                         Module(GUESTS / "fwscan.elf", "fwscan.elf")], **kwargs)


def expect_scan(run, vm, vcpus, mem_mib, end=r"exited with code 0"):
    """What fwscan finds in a VM of vcpus vCPUs and mem_mib MiB with all the firmware data."""
    lines = [text for _, text in run.guest_lines(vm)]
    assert not [line for line in lines if line.startswith("FAILED")], f"{run.emulator}: {lines}"
    ram_kib = 639 + mem_mib * 1024 - 1024 - BOOT_DATA_KIB
    for want in (
            r"bda: ebda 0x9fc00, base memory 639 KiB, com1 0x3f8, equipment 0x222",
            r"mp: floating pointer at 0xf0000, spec 1\.4",
            rf"mp: ioapic id {vcpus} version 0x11 at 0xfec00000",
            rf"mp: {vcpus} cpus, bsp lapic 0, 1 ioapic, 15 io interrupts \(irq0 -> pin 2\), "
            r"2 local interrupts",
            r"acpi: rsdp at 0xe0000, revision 2, oem VIREO ",
            r"acpi: table FACP at 0xe[0-9a-f]+", r"acpi: table APIC at 0xe[0-9a-f]+",
            rf"acpi: ioapic id {vcpus} at 0xfec00000 gsi base 0",
            r"acpi: override irq 0 -> gsi 2 flags 0x0", r"acpi: override irq 9 -> gsi 9 flags 0xd",
            rf"acpi: madt {vcpus} cpus, 1 ioapic, 1 nmi, lapic at 0xfee00000",
            r"acpi: fadt sci 9, pm timer 0xb008, reset 0xcf9 value 6",
            r"acpi: pm timer advances, sci_en 1, \\_S5 type 5",
            rf"fwcfg: signature QEMU, id 0x1, ram {mem_mib} MiB, cpus {vcpus}, max cpus {vcpus}",
            r"fwcfg: 2 files",
            rf"fwcfg: file etc/vireo/vm-name, {len(vm)} bytes: {vm}",
            rf"fwcfg: file etc/e820, 120 bytes: 6 entries, {ram_kib} KiB of RAM",
            r"fwscan: 0 check\(s\) failed"):
        run.expect_guest(vm, rf"^{want}$")
    run.expect(rf"vm\d+ {vm}: {end}")


def test_tables_describe_each_vm_on_amd_v(qemu, tmp_path):
    run = boot_config(qemu, tmp_path, fwscan("one", 1, 8) +
                      fwscan("two", 2, 32, cmdline="poweroff") +
                      fwscan("four", 4, 64) + fwscan("bare", 2, 8, '["debugcon"]'))
    expect_scan(run, "one", 1, 8)
    # An OS's power-off: \_S5's type with SLP_EN in PM1a_CNT stops the VM, a stop it asked for.
    expect_scan(run, "two", 2, 32, end=r"powered off through ACPI \(S5\)")
    expect_scan(run, "four", 4, 64)
    # Without the firmware devices there is nothing to find, and nothing fwscan checks fails.
    for want in (r"bda: ebda 0x0, base memory 0 KiB, com1 0x0, equipment 0x0",
                 r"mp: no floating pointer", r"acpi: no rsdp", r"fwcfg: no signature",
                 r"fwscan: 0 check\(s\) failed"):
        run.expect_guest("bare", rf"^{want}$")
    run.expect_clean_shutdown()


def test_tables_describe_the_vm_on_vt_x(bochs, tmp_path):
    run = boot_config(bochs, tmp_path, fwscan("four", 4, 16, cmdline="poweroff"))
    expect_scan(run, "four", 4, 16, end=r"powered off through ACPI \(S5\)")


def test_an_image_under_the_firmware_data_is_refused(qemu, tmp_path):
    low = ('[vm.low]\nimage = "hello16.bin"\nformat = "flat"\nload_address = 0x400\n'
           'entry = 0x400\ndevices = ["debugcon", "acpi"]\n')
    config = tmp_path / "low.toml"
    config.write_text(low + fwscan("ok", 1, 8))
    run = qemu(modules=[Module(config, "vmconfig low.toml"),
                        Module(GUESTS / "hello16.bin", "hello16.bin"),
                        Module(GUESTS / "fwscan.elf", "fwscan.elf")])
    run.expect(r"vm\d+ low: cannot load its image: segment at 0x400-0x[0-9a-f]+ overlaps the "
               r"BIOS data area 0x400-0x500; not created")
    run.expect_guest("ok", r"^fwscan: 0 check\(s\) failed$")


def test_a_restarted_vm_gets_its_tables_again(qemu, tmp_path):
    """Each life wipes the firmware data before it exits; the next finds it whole again."""
    inputs = ((r"vm1 again: restart 2 ", "destroy again\r"),
              (r"every VM has stopped; the console stays up", "poweroff\r"))
    run = boot_config(qemu, tmp_path, fwscan("again", 2, 8, cmdline="scribble", onexit="restart"),
                      cmdline="ondone=console", inputs=inputs)
    run.expect(r"vm1 again: destroyed from the console")
    text = run.guest_text("again")
    assert "FAILED" not in text and "no floating pointer" not in text, text
    assert len(re.findall(r"^fwscan: wiping", text, re.MULTILINE)) >= 2, text
    lives = len(re.findall(r"^fwscan: 0 check\(s\) failed$", text, re.MULTILINE))
    assert lives >= 2, text  # two lives ended before "restart 2"
    # A life the destroy cut short may have printed some of its lines, never other counts.
    assert len(re.findall(r"^mp: 2 cpus, ", text, re.MULTILINE)) >= lives, text
    assert len(re.findall(r"^acpi: madt 2 cpus, ", text, re.MULTILINE)) >= lives, text
    assert not re.search(r"^(mp|acpi: madt) [013-9] cpus", text, re.MULTILINE), text
