# SPDX-License-Identifier: MIT
"""Boot Vireo ISOs under QEMU (AMD-V) and Bochs (VT-x) and collect the serial transcript.

Tests get these through the fixtures in conftest.py; `make bench` uses them directly.
"""

import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import tty
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
KERNEL = BUILD / "vireo.elf"
GUESTS = BUILD / "guests"
ISO_CACHE = BUILD / "test-isos"
BOCHSRC_TEMPLATE = ROOT / "tests" / "emulators" / "bochsrc.in"
BOCHS_HOST_MEGS_MAX = 2048  # Bochs keeps at most this much guest RAM in host memory, pages out the rest
BOCHS_RC = ROOT / "tests" / "emulators" / "bochs-continue.rc"

QEMU_AMD_CPU = "qemu64,+svm,+npt"
BANNER = re.compile(r"Vireo \d+\.\d+\.\d+")
# The colour of a VM's console lines (ANSI SGR). Transcripts are matched without them; the raw
# bytes stay in Run.raw_transcript for the tests of colour itself.
SGR = re.compile(r"\x1b\[[0-9;]*m")
# A guest's console line: the log header, then "vmN NAME> " and the guest's own text. The host's
# lines about a VM read "vmN NAME: ...", so a guest cannot print a line that passes for one.
GUEST_LINE = re.compile(r"^\[ *[\d.]+ cpu(?P<cpu>\d+)\] vm\d+ (?P<vm>[A-Za-z0-9._-]+)> "
                        r"(?P<text>.*)$")


@dataclass(frozen=True)
class Module:
    """A Multiboot2 module: a file and the command line GRUB passes with it."""

    path: Path
    cmdline: str


@dataclass
class Run:
    """One boot: what the serial port printed and how the emulator ended."""

    emulator: str
    command: list
    transcript: str = ""  # without colours (SGR sequences)
    raw_transcript: str = ""  # as it came
    returncode: int | None = None
    timed_out: bool = False
    seconds: float = 0.0
    banner_seconds: float | None = None  # wall time from start to the banner line
    stopped_early: bool = False  # the until= pattern appeared and the run was cut short
    extra: dict = field(default_factory=dict)

    @property
    def host_text(self) -> str:
        """The transcript without the guests' console lines: what the host itself printed."""
        return "\n".join(l for l in self.transcript.splitlines() if not GUEST_LINE.match(l))

    def guest_lines(self, vm: str) -> list:
        """(cpu, text) of every console line VM `vm` printed, in order."""
        return [(int(m["cpu"]), m["text"]) for m in map(GUEST_LINE.match,
                self.transcript.splitlines()) if m and m["vm"] == vm]

    def guest_text(self, vm: str) -> str:
        return "\n".join(text for _, text in self.guest_lines(vm))

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.host_text, re.MULTILINE) is not None

    def expect(self, pattern: str) -> re.Match:
        """A line the host printed matches; guests' console lines are never searched."""
        m = re.search(pattern, self.host_text, re.MULTILINE)
        assert m, f"{self.emulator}: no match for {pattern!r} in the host's lines"
        return m

    def expect_not(self, pattern: str) -> None:
        m = re.search(pattern, self.host_text, re.MULTILINE)
        assert not m, f"{self.emulator}: unexpected {m.group(0)!r} in the host's lines"

    def expect_guest(self, vm: str, pattern: str) -> re.Match:
        """A console line of VM `vm` (its text, without the header) matches."""
        m = re.search(pattern, self.guest_text(vm), re.MULTILINE)
        assert m, f"{self.emulator}: VM {vm} printed nothing matching {pattern!r}"
        return m

    def guest_cpus(self, vm: str, pattern: str) -> set:
        """The CPUs on which VM `vm` printed lines matching `pattern`."""
        return {cpu for cpu, text in self.guest_lines(vm) if re.search(pattern, text)}

    def expect_clean_shutdown(self) -> None:
        """The run ended by Vireo powering the machine off, not by a timeout or a crash."""
        assert not self.timed_out, f"{self.emulator}: timed out after {self.seconds:.1f} s"
        self.expect(r"shutting down \(ondone=poweroff\)")
        self.expect_not(r"PANIC")
        assert self.returncode == 0, f"{self.emulator}: exit status {self.returncode}"

    def describe(self) -> str:
        status = "timed out" if self.timed_out else f"exit status {self.returncode}"
        return (f"$ {' '.join(map(str, self.command))}\n# {self.emulator}: {status} after "
                f"{self.seconds:.2f} s\n{self.transcript}")


def make_iso(cmdline: str = "", modules: tuple = (), kernel: Path = KERNEL) -> Path:
    """An ISO booting `kernel` with `cmdline` and `modules`; cached by content."""
    digest = hashlib.sha256()
    digest.update(cmdline.encode())
    for path in [kernel] + [m.path for m in modules]:
        digest.update(Path(path).read_bytes())
    for m in modules:
        digest.update(m.cmdline.encode())
    iso = ISO_CACHE / f"{digest.hexdigest()[:16]}.iso"
    if iso.exists():
        return iso
    ISO_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ISO_CACHE) as stage:
        stage = Path(stage)
        (stage / "boot" / "grub").mkdir(parents=True)
        (stage / "boot" / "modules").mkdir()
        shutil.copy(kernel, stage / "boot" / "vireo.elf")
        lines = ["set timeout=0", "set default=0", 'menuentry "Vireo (test)" {',
                 f"\tmultiboot2 /boot/vireo.elf {cmdline}".rstrip()]
        for i, m in enumerate(modules):
            name = f"{i}-{Path(m.path).name}"
            shutil.copy(m.path, stage / "boot" / "modules" / name)
            lines.append(f"\tmodule2 /boot/modules/{name} {m.cmdline}".rstrip())
        lines += ["\tboot", "}"]
        (stage / "boot" / "grub" / "grub.cfg").write_text("\n".join(lines) + "\n")
        tmp_iso = stage / "out.iso"
        subprocess.run(["grub-mkrescue", "-o", str(tmp_iso), str(stage)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.replace(tmp_iso, iso)
    return iso


class Serial:
    """COM1 of the emulated machine: a pseudo-terminal that QEMU and Bochs alike attach to,
    so the harness reads what Vireo prints as it prints it and can type into its console."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line editing, no CR/LF translation
        self.path = os.ttyname(self.slave)
        self.data = bytearray()

    def poll(self) -> str:
        """Everything received so far, without its colours."""
        return SGR.sub("", self.raw())

    def raw(self) -> str:
        """Everything received so far, as it came (but for line ends)."""
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.data += chunk
        # Serial output is raw: drop the carriage returns of CR LF line ends.
        return self.data.decode(errors="replace").replace("\r\n", "\n")

    def type(self, text: str) -> None:
        """Type a character at a time, as a person (or a slow UART) would."""
        for ch in text.encode():
            os.write(self.master, bytes([ch]))
            time.sleep(0.02)

    def close(self) -> None:
        os.close(self.master)
        os.close(self.slave)


def _launch(command: list, output: Path, **kwargs) -> subprocess.Popen:
    """Start an emulator in its own process group, its own messages going to `output`."""
    with open(output, "wb") as out:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, **kwargs)


def _drain(proc: subprocess.Popen, serial: Serial, quiet: float = 1.0, most: float = 5.0):
    """What the machine prints right after the `until` line (a VM's statistics follow its
    exit) is read too: until the output has been quiet for `quiet` seconds."""
    start = last = time.monotonic()
    size = len(serial.poll())
    while proc.poll() is None and time.monotonic() - last < quiet and \
            time.monotonic() - start < most:
        time.sleep(0.05)
        grown = len(serial.poll())
        if grown != size:
            size, last = grown, time.monotonic()


def _watch(run: Run, proc: subprocess.Popen, serial: Serial, timeout: float,
           until: str | None, inputs: tuple = ()) -> None:
    """Follow the serial output until the emulator exits, `until` matches, or time runs out.
    Each (pattern, text) of `inputs` is typed, in order, once its pattern has appeared after
    the previous input."""
    start = time.monotonic()
    pattern = re.compile(until, re.MULTILINE) if until else None
    pending = list(inputs)
    seen = 0  # how much of the transcript earlier inputs have consumed
    while True:
        text = serial.poll()
        now = time.monotonic() - start
        if run.banner_seconds is None and BANNER.search(text):
            run.banner_seconds = now
        if proc.poll() is not None:
            break
        if pending:
            m = re.compile(pending[0][0], re.MULTILINE).search(text, seen)
            if m:
                seen = m.end()
                serial.type(pending.pop(0)[1])
        if pattern and pattern.search(text):
            run.stopped_early = True
            _drain(proc, serial)
            break
        if now > timeout:
            run.timed_out = True
            break
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    run.seconds = time.monotonic() - start
    run.returncode = proc.returncode
    run.transcript = serial.poll()
    run.raw_transcript = serial.raw()
    serial.close()


def run_qemu(iso: Path, smp: int = 4, cpu: str = QEMU_AMD_CPU, mem: str = "512M",
             timeout: float = 60, until: str | None = None, extra: tuple = (),
             inputs: tuple = ()) -> Run:
    """Boot under QEMU TCG; the AMD-V test bed (DESIGN.md section 4)."""
    serial = Serial()
    with tempfile.TemporaryDirectory() as tmp:
        command = ["qemu-system-x86_64", "-boot", "d", "-cdrom", str(iso), "-cpu", cpu,
                   "-smp", str(smp), "-m", mem, "-display", "none", "-no-reboot",
                   "-monitor", "none", "-serial", serial.path, *extra]
        run = Run("qemu", command)
        proc = _launch(command, Path(tmp) / "qemu.out")
        _watch(run, proc, serial, timeout, until, inputs)
        run.extra["emulator_output"] = (Path(tmp) / "qemu.out").read_text(errors="replace")
        return run


BOCHS_INTEL = "corei7_skylake_x"  # VT-x with EPT, unrestricted guest, preemption timer
BOCHS_IPS = 10_000_000  # instructions per emulated second, and so the TSC rate
BOCHS_AMD = "ryzen"  # AMD-V with NPT and NRIP-save: a second AMD-V test bed


def bochsrc(iso: Path, cpus: int, megs: int, serial: str, log: Path,
            model: str = BOCHS_INTEL, com2: str | None = None, ips: int = BOCHS_IPS) -> str:
    """The Bochs configuration: tests/emulators/bochsrc.in with COM1 on a terminal device,
    and COM2 on the terminal device com2 if given."""
    text = BOCHSRC_TEMPLATE.read_text()
    if com2:
        text += f"com2: enabled=1, mode=term, dev={com2}\n"
    for key, value in {"@ISO@": iso, "@MODEL@": model, "@CPUS@": cpus, "@MEGS@": megs,
                       "@HOST_MEGS@": min(megs, BOCHS_HOST_MEGS_MAX), "@SERIAL_MODE@": "term",
                       "@SERIAL@": serial, "@LOG@": log, "@IPS@": ips}.items():
        text = text.replace(key, str(value))
    return text


def run_bochs(iso: Path, cpus: int = 1, megs: int = 256, timeout: float = 180,
              until: str | None = None, inputs: tuple = (), model: str = BOCHS_INTEL,
              com2: str | None = None, ips: int = BOCHS_IPS) -> Run:
    """Boot under Bochs, by default with the Skylake-X model: the VT-x test bed (DESIGN.md
    section 4). com2: a terminal device for COM2 (QEMU takes a second -serial in extra)."""
    serial = Serial()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "bochsrc").write_text(bochsrc(iso, cpus, megs, serial.path, tmp / "bochs.log",
                                             model, com2, ips))
        command = ["bochs", "-q", "-f", str(tmp / "bochsrc"), "-rc", str(BOCHS_RC)]
        run = Run("bochs", command)
        env = dict(os.environ, SDL_VIDEODRIVER="dummy")
        proc = _launch(command, tmp / "bochs.out", env=env, cwd=tmp)
        _watch(run, proc, serial, timeout, until, inputs)
        run.extra["emulator_output"] = (tmp / "bochs.out").read_text(errors="replace")[-4000:]
        return run
