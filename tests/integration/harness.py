# SPDX-License-Identifier: MIT
"""Boot Vireo ISOs under QEMU (AMD-V) and Bochs (VT-x) and collect the serial transcript.

Tests get these through the fixtures in conftest.py; `make bench` uses them directly.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
KERNEL = BUILD / "vireo.elf"
GUESTS = BUILD / "guests"
ISO_CACHE = BUILD / "test-isos"
BOCHSRC_TEMPLATE = ROOT / "tests" / "emulators" / "bochsrc.in"
BOCHS_RC = ROOT / "tests" / "emulators" / "bochs-continue.rc"

QEMU_AMD_CPU = "qemu64,+svm,+npt"
BANNER = re.compile(r"Vireo \d+\.\d+\.\d+")


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
    transcript: str = ""
    returncode: int | None = None
    timed_out: bool = False
    seconds: float = 0.0
    banner_seconds: float | None = None  # wall time from start to the banner line
    stopped_early: bool = False  # the until= pattern appeared and the run was cut short
    extra: dict = field(default_factory=dict)

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.transcript, re.MULTILINE) is not None

    def expect(self, pattern: str) -> re.Match:
        m = re.search(pattern, self.transcript, re.MULTILINE)
        assert m, f"{self.emulator}: no match for {pattern!r} in the transcript"
        return m

    def expect_not(self, pattern: str) -> None:
        m = re.search(pattern, self.transcript, re.MULTILINE)
        assert not m, f"{self.emulator}: unexpected {m.group(0)!r} in the transcript"

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


def _launch(command: list, output: Path, stdout: Path | None = None,
            **kwargs) -> subprocess.Popen:
    """Start an emulator in its own process group. Its messages go to `output`. With `stdout`
    (QEMU's -serial stdio) its standard output goes there and its input is a pipe to type
    into; otherwise its input is empty (Bochs's debugger would wait for it)."""
    with open(output, "wb") as err, open(stdout or output, "ab") as out:
        return subprocess.Popen(command, stdin=subprocess.PIPE if stdout else subprocess.DEVNULL,
                                stdout=out, stderr=err, start_new_session=True, **kwargs)


def _type(proc: subprocess.Popen, text: str) -> None:
    """Type into the serial port a character at a time, as a person (or a slow UART) would."""
    for ch in text.encode():
        proc.stdin.write(bytes([ch]))
        proc.stdin.flush()
        time.sleep(0.02)


def _watch(run: Run, proc: subprocess.Popen, serial: Path, timeout: float,
           until: str | None, inputs: tuple = ()) -> None:
    """Poll the serial output until the emulator exits, `until` matches, or time runs out.
    Each (pattern, text) of `inputs` is typed, in order, once its pattern has appeared after
    the previous input."""
    start = time.monotonic()
    pattern = re.compile(until, re.MULTILINE) if until else None
    pending = list(inputs)
    seen = 0  # how much of the transcript earlier inputs have consumed
    while True:
        text = serial.read_text(errors="replace") if serial.exists() else ""
        now = time.monotonic() - start
        if run.banner_seconds is None and BANNER.search(text):
            run.banner_seconds = now
        if proc.poll() is not None:
            break
        if pending:
            m = re.compile(pending[0][0], re.MULTILINE).search(text, seen)
            if m:
                seen = m.end()
                _type(proc, pending.pop(0)[1])
        if pattern and pattern.search(text):
            run.stopped_early = True
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
    # Serial output is raw: drop the carriage returns of CR LF line ends.
    run.transcript = serial.read_text(errors="replace").replace("\r\n", "\n") \
        if serial.exists() else ""


def run_qemu(iso: Path, smp: int = 4, cpu: str = QEMU_AMD_CPU, mem: str = "512M",
             timeout: float = 60, until: str | None = None, extra: tuple = (),
             inputs: tuple = ()) -> Run:
    """Boot under QEMU TCG; the AMD-V test bed (DESIGN.md section 4). The serial port is
    QEMU's standard input and output, so `inputs` can type into Vireo's console."""
    with tempfile.TemporaryDirectory() as tmp:
        serial = Path(tmp) / "serial.log"
        command = ["qemu-system-x86_64", "-boot", "d", "-cdrom", str(iso), "-cpu", cpu,
                   "-smp", str(smp), "-m", mem, "-display", "none", "-no-reboot",
                   "-monitor", "none", "-serial", "stdio", *extra]
        run = Run("qemu", command)
        proc = _launch(command, Path(tmp) / "qemu.out", stdout=serial)
        _watch(run, proc, serial, timeout, until, inputs)
        run.extra["emulator_output"] = (Path(tmp) / "qemu.out").read_text(errors="replace")
        return run


def bochsrc(iso: Path, cpus: int, serial: Path, log: Path) -> str:
    text = BOCHSRC_TEMPLATE.read_text()
    for key, value in {"@ISO@": iso, "@CPUS@": cpus, "@SERIAL@": serial, "@LOG@": log}.items():
        text = text.replace(key, str(value))
    return text


def run_bochs(iso: Path, cpus: int = 1, timeout: float = 180,
              until: str | None = None) -> Run:
    """Boot under Bochs with the Skylake-X model; the VT-x test bed (DESIGN.md section 4)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        serial = tmp / "com1.log"
        (tmp / "bochsrc").write_text(bochsrc(iso, cpus, serial, tmp / "bochs.log"))
        command = ["bochs", "-q", "-f", str(tmp / "bochsrc"), "-rc", str(BOCHS_RC)]
        run = Run("bochs", command)
        env = dict(os.environ, SDL_VIDEODRIVER="dummy")
        proc = _launch(command, tmp / "bochs.out", env=env, cwd=tmp)
        _watch(run, proc, serial, timeout, until)
        run.extra["emulator_output"] = (tmp / "bochs.out").read_text(errors="replace")[-4000:]
        return run
