# SPDX-License-Identifier: MIT
"""The PC devices under Vireo, through the teaching OS (guests/tinyos), on AMD-V (QEMU) and
VT-x (Bochs): it finds the 8259 pair, 8254, 16550A, 8042 and MC146818, takes keys through the
UART and through the keyboard, ticks at the rate it programs by the RTC's seconds, reads the
host's date, and two instances keep their own clocks and keyboards as the focus moves."""

import datetime
import re

from harness import GUESTS, Module

FOCUS = "\x1d"  # Ctrl-]: the console's focus moves to the next VM
PC = '["debugcon", "pic", "pit", "uart", "keyboard", "rtc"]'


def menu_end(vm):
    """The last line of the menu: the shell waits for a key from here on."""
    return rf"{vm}>   0\. exit$"


def tinyos(name, hz=100, input_to="auto"):
    return (f'[vm.{name}]\nimage = "tinyos.elf"\nmemory = "16M"\ndevices = {PC}\n'
            f'input = "{input_to}"\ncmdline = "hz={hz}"\n')


def boot_config(boot, tmp_path, text, inputs, **kwargs):
    config = tmp_path / "tinyos.toml"
    config.write_text(text)
    return boot(cmdline="ondone=console", modules=[Module(config, "vmconfig tinyos.toml"),
                                                  Module(GUESTS / "tinyos.elf", "tinyos.elf")],
                inputs=inputs, **kwargs)


def ticks_per_second(run, vm):
    m = re.search(r"^ticks per second: (\d+) \(programmed (\d+) Hz", run.guest_text(vm),
                  re.MULTILINE)
    assert m, f"{run.emulator}: {vm} printed no timer check"
    return int(m.group(1)), int(m.group(2))


def test_teaching_os_menu_through_the_uart(boot, tmp_path):
    run = boot_config(boot, tmp_path, tinyos("tos"), (
        (menu_end("tos"), FOCUS), (r"keys go to vm1 tos", "1"),
        (r"9 x 9 = 81", "7"), (r"ticks per second", "5"), (r"date: ", "0")),
        until=r"vm1 tos: exited")
    for found in (r"^timer: PIT channel 0 at 100 Hz", r"^keyboard: 8042, scancode set 1, IRQ 1$",
                  r"^serial: COM1 16550A at 115200 8N1, receiving on IRQ 4$",
                  r"^clock: MC146818 RTC, BCD, 24-hour, update interrupt on IRQ 8$",
                  r"^memory: 639 KiB below 640 KiB, 15348 KiB above 1 MiB"):
        run.expect_guest("tos", found)
    table = run.guest_text("tos")
    for a in range(2, 10):
        for b in range(1, 10):
            assert re.search(rf"\b{a} x {b} = +{a * b}\b", table), f"{run.emulator}: {a} x {b}"
    ticks, programmed = ticks_per_second(run, "tos")
    assert programmed == 100 and abs(ticks - 100) <= 2, f"{run.emulator}: {ticks} ticks/s"
    date = run.expect_guest("tos", r"^date: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$")
    shown = datetime.datetime.strptime(date.group(1), "%Y-%m-%d %H:%M:%S")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert abs((now - shown).total_seconds()) < 600, f"{run.emulator}: the RTC says {shown}"
    run.expect(r"vm1 tos: exited with code 0")


def test_two_instances_keep_their_own_clocks_and_keyboards(boot, tmp_path):
    """vm1 takes keys through its UART, vm2 through its 8042 (scancodes, IRQ 1) at 250 Hz:
    each sees only what was typed while it had the focus."""
    config = tinyos("serial") + tinyos("keys", hz=250, input_to="keyboard")
    run = boot_config(boot, tmp_path, config, (
        (r">   0\. exit$(?s:.*)>   0\. exit$", FOCUS),  # both menus are up
        (r"keys go to vm1 serial", "4"), (r"serial> uptime", FOCUS),
        (r"keys go to vm2 keys", "7"), (r"keys> ticks per second", "0")),
        until=r"vm2 keys: exited")
    ticks, programmed = ticks_per_second(run, "keys")
    assert programmed == 250 and abs(ticks - 250) <= 5, f"{run.emulator}: {ticks} ticks/s"
    run.expect_guest("serial", r"^uptime: \d+ ticks")
    assert "select: 7" not in run.guest_text("serial"), "vm1 got vm2's key"
    assert "select: 4" not in run.guest_text("keys"), "vm2 got vm1's key"
    run.expect(r"vm2 keys: exited with code 0")


def test_keyboard_controller_reset_makes_the_vm_again(boot, tmp_path):
    """A guest that pulses the reset line through the 8042 (0xFE to port 0x64) is made again
    from its image, as a PC reboots; the console's destroy ends it."""
    config = tmp_path / "reset.toml"
    config.write_text('[vm.evil]\nimage = "hostile.elf"\nmemory = "4M"\n'
                      'devices = ["debugcon", "keyboard"]\ncmdline = "kbd-reset"\n'
                      'on_reset = "restart"\n')
    run = boot(modules=[Module(config, "vmconfig reset.toml"),
                        Module(GUESTS / "hostile.elf", "hostile.elf")],
               inputs=((r"(?s)reset through the keyboard controller.*"
                        r"reset through the keyboard controller", "destroy evil\r"),))
    assert len(re.findall(r"about to kbd-reset", run.transcript)) >= 2, "no second life"
    run.expect(r"vm1 evil: restart 1 \(")
    run.expect(r"vm1 evil: (destroyed|stopped)")
    run.expect_not(r"still running, which is wrong")


def test_a_guest_that_resets_for_ever_stops_as_a_crash_loop(qemu, tmp_path):
    """Resets count as lives: after 200 within a minute the VM is not made again."""
    config = tmp_path / "loop.toml"
    config.write_text('[vm.evil]\nimage = "hostile.elf"\nmemory = "2M"\n'
                      'devices = ["debugcon", "keyboard"]\ncmdline = "kbd-reset"\n'
                      'on_reset = "restart"\n')
    run = qemu(modules=[Module(config, "vmconfig loop.toml"),
                        Module(GUESTS / "hostile.elf", "hostile.elf")],
               until=r"resetting it gives up", timeout=120)
    run.expect(r"vm1 evil: restart 200 \(")
    run.expect(r"vm1 evil: exited 200 times within 60 s; resetting it gives up \('start evil' "
               r"makes it again\)")
    run.expect_not(r"vm1 evil: restart 201 ")
