# SPDX-License-Identifier: MIT
"""tinyos on a bare QEMU PC: the teaching OS itself (guests/tinyos/), booted by QEMU's own
Multiboot loader on QEMU's real devices (8259A, 8254, 8042, 16550A, MC146818), no Vireo.
These check the OS; the checks of it under Vireo's device models come with those models.

The menu is driven by typing into COM1 (a pseudo-terminal, as in harness.py) and, for the
keyboard, by QEMU's monitor command sendkey, which presses keys on the emulated PS/2 keyboard.

The clocks: the timer check counts PIT ticks over RTC seconds. Without -icount, QEMU's virtual
clock follows the host's and a busy host (this one is shared) makes QEMU late; its 8254 then
raises IRQ 0 once for all the periods it missed, and the count comes out low (97 instead of
100 seen here). With -icount shift=0 virtual time is counted in instructions (and,
while the CPU halts, follows the host's clock), and -rtc clock=vm puts the RTC on that same
clock: the two clocks then agree, 300 ticks in 3 s seen with both host cores busy. What is
left is QEMU waking late from the guest's HLT by more than a period: rare at 10 ms, common at
1 ms (906-983 ticks a second seen for 1000). So the check at 1000 Hz adds sleep=off: time
leaps to the next timer whenever the CPU halts, and the count is exact, but the emulator then
spins a host core through the guest's idle time and the RTC runs far ahead of the host's
clock; that boot only measures and exits. The other boots keep real time: tinyos must cost
nothing when idle, and its date must be today's.
"""

import datetime
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import harness

KERNEL = harness.GUESTS / "tinyos.elf"
CLOCKS = ("-icount", "shift=0", "-rtc", "clock=vm")
EXACT_CLOCKS = ("-icount", "shift=0,sleep=off", "-rtc", "clock=vm")
MEM_MIB = 64
MENU = r"select: "
CLK_TCK = os.sysconf("SC_CLK_TCK")


class TinyOS:
    """One QEMU PC running tinyos: its serial transcript, read as it comes, and its keys."""

    def __init__(self, tmp: Path, run: harness.Run, cmdline: str, clocks: tuple):
        self.serial = harness.Serial()
        self.run = run
        monitor = tmp / "monitor"
        run.command = ["qemu-system-i386", "-kernel", str(KERNEL), "-append", cmdline,
                       "-m", f"{MEM_MIB}M", "-display", "none", "-no-reboot", *clocks,
                       "-serial", self.serial.path,
                       "-monitor", f"unix:{monitor},server=on,wait=off",
                       "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
        self.output = open(tmp / "qemu.out", "wb")
        self.proc = subprocess.Popen(run.command, stdin=subprocess.DEVNULL, stdout=self.output,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.start = time.monotonic()
        self.seen = 0  # the transcript up to here has been matched already
        self.monitor = None
        for _ in range(100):
            try:
                self.monitor = socket.socket(socket.AF_UNIX)
                self.monitor.connect(str(monitor))
                break
            except OSError:
                time.sleep(0.05)

    def expect(self, pattern: str, timeout: float = 15) -> re.Match:
        """The next match of pattern after the last one, waiting for it to be printed."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            text = self.serial.poll()
            m = regex.search(text, self.seen)
            if m:
                self.seen = m.end()
                return m
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.run.transcript = text
                raise AssertionError(f"tinyos printed nothing matching {pattern!r} after: "
                                     f"{text[self.seen:][-2000:]!r}")
            time.sleep(0.05)

    def choose(self, key: str) -> None:
        """Wait for the menu, then type a key on the serial port."""
        self.expect(MENU)
        self.serial.type(key)

    def press(self, *keys: str) -> None:
        """Keys on the PS/2 keyboard, in QEMU's names: "3", "shift-h", "ret"."""
        for key in keys:
            self.monitor.sendall(f"sendkey {key}\n".encode())
            time.sleep(0.15)  # sendkey holds a key 100 ms

    def cpu_seconds(self) -> float:
        """User and system time QEMU has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def wait_exit(self, timeout: float = 10) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.run.timed_out = True
            raise

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.run.returncode = self.proc.returncode
        self.run.seconds = time.monotonic() - self.start
        self.run.transcript = self.serial.poll()
        self.serial.close()
        self.output.close()
        if self.monitor:
            self.monitor.close()


@pytest.fixture
def tinyos(runs):
    """boot(cmdline, clocks): tinyos on a bare QEMU PC; transcripts kept on failure (conftest.py)."""
    machines = []
    with tempfile.TemporaryDirectory() as tmp:
        def boot(cmdline: str = "", clocks: tuple = CLOCKS) -> TinyOS:
            run = harness.Run("qemu-i386", [])
            runs.append(run)
            machines.append(TinyOS(Path(tmp), run, cmdline, clocks))
            return machines[-1]
        yield boot
        for m in machines:
            m.close()
            m.run.extra["emulator_output"] = (Path(tmp) / "qemu.out").read_text(errors="replace")


def uptime(os_: TinyOS) -> int:
    os_.choose("4")
    m = os_.expect(r"^uptime: (\d+) ticks at 100 Hz = (\d+)\.(\d\d) s$")
    ticks = int(m[1])
    assert (int(m[2]), int(m[3])) == (ticks // 100, ticks % 100), m[0]
    return ticks


def test_menu(tinyos):
    """Every program of the menu, typed on the serial port, and the exit."""
    os_ = tinyos("hz=100 words for the shell")
    os_.expect(r"^tinyos: a teaching OS")
    m = os_.expect(r"^memory: \d+ KiB below 640 KiB, (\d+) KiB above 1 MiB \(mem_upper\)$")
    # QEMU keeps the top of RAM for its firmware's tables: a little less than all of it.
    assert (MEM_MIB - 2) * 1024 <= int(m[1]) < (MEM_MIB - 1) * 1024, m[0]
    os_.expect(r"^command line: '.*tinyos\.elf hz=100 words for the shell'$")
    os_.expect(r"^paging: on, \d+ MiB identity-mapped with 4 KiB pages \(16 page tables\)")
    os_.expect(r"^paging: 0xc0[0-3][0-9a-f]{5} -> physical 0x00[0-3][0-9a-f]{5} .*: the same$")
    os_.expect(r"^timer: PIT channel 0 at 100 Hz \(divisor 11932: 99\.99 Hz in fact\)")
    os_.expect(r"^keyboard: 8042, scancode set 1, IRQ 1$")
    os_.expect(r"^clock: MC146818 RTC, (BCD|binary), (24|12)-hour")

    first = uptime(os_)

    os_.choose("1")
    table = os_.expect(r"(?s)^2 x 1 =  2 .*?9 x 9 = 81$")[0]
    products = re.findall(r"(\d) x (\d) = +(\d+)", table)
    assert [(int(a), int(b)) for a, b, _ in sorted(products)] == \
        [(a, b) for a in range(2, 10) for b in range(1, 10)]
    assert all(int(a) * int(b) == int(p) for a, b, p in products)

    os_.choose("2")
    m = os_.expect(r"^counting: 0 1 2 3 4 5 6 7 8 9\n\(10 ticks apart; (\d+) ticks in all\)$")
    assert 90 <= int(m[1]) <= 92, m[0]

    os_.choose("3")
    os_.expect(r"^> ")
    os_.serial.type("hello tinyos\r")
    os_.expect(r"^echo: hello tinyos$")
    os_.expect(r"^> ")
    os_.serial.type("typo\x7f\x7f\x7f\x7fback\r")  # DEL, as a terminal's Backspace sends
    os_.expect(r"^echo: back$")
    os_.expect(r"^> ")
    os_.serial.type("\r")  # an empty line ends echo

    os_.choose("5")
    m = os_.expect(r"^date: (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$")
    # QEMU's RTC starts at the host's UTC time (its -rtc base=utc).
    rtc = datetime.datetime(*map(int, m.groups()), tzinfo=datetime.timezone.utc)
    drift = abs((rtc - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
    assert drift < 60, f"the RTC says {rtc}, {drift:.0f} s from the host's clock"

    os_.choose("6")
    os_.expect(r"^tinyos is a teaching OS")

    os_.choose("7")
    m = os_.expect(r"^ticks per second: (\d+) \(programmed 100 Hz; (\d+) ticks in 3 s\)$")
    assert abs(int(m[1]) - 100) <= 2, m[0]

    later = uptime(os_)
    assert later >= first + 300, f"uptime went from {first} to {later} ticks across 3 s and more"

    os_.choose("9")
    os_.expect(r"^no program '9'$")

    os_.choose("0")
    os_.expect(r"^bye$")
    assert os_.wait_exit() == 1, "no isa-debug-exit with code 0 (QEMU's status 0 * 2 + 1)"


def test_keyboard_fault_and_idle(tinyos):
    """The PS/2 keyboard drives the menu too (Shift included); a page fault stops only its
    program; and a tinyos waiting for a key costs the host almost nothing."""
    os_ = tinyos()
    os_.expect(MENU)
    before, start = os_.cpu_seconds(), time.monotonic()
    time.sleep(3)
    used = os_.cpu_seconds() - before
    # Sleeping in HLT, QEMU runs only the 100 ticks a second: a few percent of a core. An OS
    # polling its devices would keep a core busy.
    assert used < 0.25 * (time.monotonic() - start), f"idle at the menu, QEMU used {used:.2f} s"

    os_.press("3")
    os_.expect(r"^echo: type lines")
    os_.expect(r"^> ")
    os_.press("shift-k", "e", "y", "s", "spc", "shift-1", "shift-2", "caps_lock", "o", "k",
              "shift-a", "ret")
    os_.expect(r"^echo: Keys !@OKa$")
    os_.press("ret")

    os_.choose("8")
    os_.expect(r"^exception: #PF page fault \(vector 14\), error code 0x0, EIP 0x001[0-9a-f]{5}$")
    os_.expect(r"^exception: the address was 0x00000000 \(a page not present, reading\)$")
    os_.expect(r"^exception: the program is stopped; back to the menu$")
    os_.choose("2")  # the shell goes on, its interrupts still coming
    os_.expect(r"^counting: 0 1 2 3 4 5 6 7 8 9$")
    os_.press("0")
    os_.expect(r"^bye$")
    assert os_.wait_exit() == 1


def test_hz_option(tinyos):
    """hz= on the command line sets the PIT's rate; the RTC measures it, on exact clocks."""
    os_ = tinyos("hz=1000", clocks=EXACT_CLOCKS)
    os_.expect(r"^timer: PIT channel 0 at 1000 Hz \(divisor 1193: 1000\.15 Hz in fact\)")
    os_.choose("7")
    m = os_.expect(r"^ticks per second: (\d+) \(programmed 1000 Hz")
    assert abs(int(m[1]) - 1000) <= 20, m[0]
    os_.choose("0")
    assert os_.wait_exit() == 1
