# SPDX-License-Identifier: MIT
"""The foundation: boot to the banner, report the machine, shut down cleanly, fail clearly."""

from harness import GUESTS, Module


def test_boots_to_banner_and_powers_off(boot):
    run = boot(cmdline="loglevel=3")
    run.expect(r"Vireo \d+\.\d+\.\d+ \(\S+\) - a bare-metal x86-64 microhypervisor")
    run.expect(r"command line: 'loglevel=3'")
    run.expect(r"memory map \(\d+ entries\)")
    run.expect(r"0x000000100000-0x[0-9a-f]+ usable +[\d.]+ MiB \(type 1\)")
    run.expect(r"memory: [\d.]+ MiB usable, .* free")
    run.expect(r"ACPI: revision \d+, OEM 'BOCHS ', tables:.* APIC")
    run.expect_clean_shutdown()


def test_module_list_shows_names_and_sizes(boot, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x5a" * 5000)
    run = boot(modules=[Module(GUESTS / "hello16.bin", "guest first mem=2M"),
                        Module(blob, "acpi-nonsense")])
    run.expect(r"modules \(2\):")
    run.expect(r"0: 'guest first mem=2M' at 0x[0-9a-f]+, \d+ B")
    run.expect(r"1: 'acpi-nonsense' at 0x[0-9a-f]+, 4.8 KiB")
    # Not a kind, so a file's name; one that no VM uses is most likely a typo.
    run.expect(r"WARNING: module 1: 'acpi-nonsense' is a file no VM uses \(not a kind: guest, "
               r"acpi-table, vmconfig\)")
    run.expect_clean_shutdown()


def test_no_modules_warns_and_still_shuts_down(qemu):
    run = qemu()
    run.expect(r"WARNING: modules: none given, so there are no guests to run")
    run.expect_clean_shutdown()


def test_unknown_and_bad_options_warn_and_boot_goes_on(qemu):
    run = qemu(cmdline="frobnicate=1 loglevel=banana smp=0 onpanic=explode")
    run.expect(r"WARNING: command line: unknown option 'frobnicate=1' ignored")
    run.expect(r"WARNING: command line: option 'loglevel': bad value 'banana' \(expected a "
               r"number 0-4")
    run.expect(r"WARNING: command line: option 'smp': bad value '0'")
    run.expect(r"WARNING: command line: option 'onpanic': bad value 'explode' \(expected "
               r"halt, reboot or poweroff\)")
    run.expect_clean_shutdown()


def test_loglevel_filters_messages(qemu):
    quiet = qemu(cmdline="loglevel=1")
    quiet.expect_not(r"memory map")
    quiet.expect(r"WARNING: modules: none given")
    verbose = qemu(cmdline="loglevel=3")
    verbose.expect(r"memory map")


def test_uefi_boot_of_the_hybrid_iso(qemu):
    run = qemu(smp=2, extra=("-bios", "/usr/share/ovmf/OVMF.fd"), timeout=90)
    run.expect(r"ACPI: revision 2, OEM 'BOCHS '")
    run.expect(r"memory map \(\d+ entries\)")
    run.expect_clean_shutdown()


def test_cpu_without_long_mode_gets_a_clear_message(qemu):
    run = qemu(cpu="qemu32", until=r"halted", timeout=30)
    run.expect(r"Vireo: this CPU cannot run Vireo: it has no 64-bit long mode")
    assert not run.timed_out


def test_long_command_line_is_taken_whole(qemu):
    """Options past 511 bytes of the command line still count, and the log shows the line in
    pieces rather than cutting it."""
    cmdline = "x2apic=on " * 60 + "smp=1"
    run = qemu(cmdline=cmdline, smp=2)
    run.expect(r"command line: 'x2apic=on x2apic=on ")
    run.expect(r"command line: \(continued\) '.*smp=1'$")
    run.expect(r"smp: 1 more CPU\(s\) left off \(smp=1\)")
    run.expect_clean_shutdown()
