# SPDX-License-Identifier: MIT
"""A stock gdb against the GDB stub: build/gdb-fake-vm runs the stub over stdin/stdout in
front of the unit tests' fake VM (two vCPUs, RAM byte i holding i at guest-virtual
0x400000 + i, nops at 0x401000, an unmapped page at 0x402000; a continue runs to the next
breakpoint, or adds one to a watched byte). make unit-test builds it."""

import os
import re
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAKE_VM = ROOT / "build" / "gdb-fake-vm"

pytestmark = pytest.mark.skipif(shutil.which("gdb") is None, reason="gdb is not installed")


def gdb(*commands, mode=""):
    """Run gdb --batch connected to a fresh fake VM; return what it printed."""
    if not FAKE_VM.exists():
        pytest.fail(f"{FAKE_VM} is missing: make {FAKE_VM.relative_to(ROOT)}")
    args = ["gdb", "-nx", "--batch", "-ex", "set remotetimeout 5",
            "-ex", f"target remote | {FAKE_VM} {mode}"]
    for c in commands:
        args += ["-ex", c]
    run = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=ROOT)
    out = run.stdout + run.stderr
    check_no_protocol_trouble(out)
    return out


def check_no_protocol_trouble(out):
    for bad in ("internal-error", "Remote communication error", "Ignoring packet error",
                "Remote replied unexpectedly", "Truncated register", "Bogus trace status"):
        assert bad not in out, out


def register(out, name):
    m = re.search(rf"^{name}\s+(0x[0-9a-f]+)", out, re.M)
    assert m, f"no {name} in:\n{out}"
    return int(m.group(1), 16)


def test_long_mode_registers_and_description():
    out = gdb("show architecture", "info registers", "info registers st0")
    assert '(currently "i386:x86-64")' in out
    assert register(out, "rax") == 0x1111111111111100
    assert register(out, "rbx") == 0x4444444444444400
    assert register(out, "r15") == 0x0F0F0F0F0F0F0F0F
    assert register(out, "rip") == 0x401000
    assert register(out, "cs") == 0x8
    assert register(out, "fs_base") == 0xFEEDF00D0000
    assert register(out, "cr3") == 0x9000
    assert re.search(r"^eflags\s+0x246\s+\[ PF ZF IF \]", out, re.M), out
    assert re.search(r"^st0\s+<unavailable>", out, re.M), out


def test_memory_through_the_page_tables_and_physical():
    out = gdb("x/4xb 0x400010", "x/4xb 0x401ffe", "monitor phys on", "x/4xb 0x2000",
              "monitor phys off", "set *(int *)0x400200 = 0x11223344", "x/wx 0x400200",
              "x/2i 0x401000")
    assert re.search(r"0x400010:\s+0x10\s+0x11\s+0x12\s+0x13", out), out
    assert "Cannot access memory at address 0x402000" in out, out
    assert "memory: guest-physical addresses" in out
    assert re.search(r"0x2000:\s+0x00\s+0x01\s+0x02\s+0x03", out), out
    assert re.search(r"0x400200:\s+0x11223344", out), out
    assert re.search(r"0x401000:\s+nop", out), out


def test_step_breakpoints_and_watchpoints():
    out = gdb("stepi", "p/x $pc", "break *0x401010", "continue", "p/x $pc",
              "hbreak *0x401020", "continue", "p/x $pc", "watch *(int *)0x400100",
              "delete")
    assert "$1 = 0x401001" in out, out
    assert "hit Breakpoint 1, 0x0000000000401010" in out, out
    assert "$2 = 0x401010" in out, out
    assert "Hardware assisted breakpoint 2 at 0x401020" in out, out
    assert "$3 = 0x401020" in out, out
    assert "Hardware watchpoint 3: *(int *)0x400100" in out, out


def test_watchpoints_report_the_address():
    out = gdb("watch *(char *)0x400100", "continue", "delete",
              "awatch *(char *)0x400108", "continue")
    assert "hit Hardware watchpoint 1: *(char *)0x400100" in out, out
    assert re.search(r"Old value = 0 .*\nNew value = 1 ", out), out
    assert "hit Hardware access (read/write) watchpoint 2: *(char *)0x400108" in out, out
    assert "rwatch" not in out


def read_until(proc, text, seconds=20):
    """What gdb printed up to and including text (fails after seconds)."""
    seen = ""
    deadline = time.monotonic() + seconds
    while text not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {text!r} in:\n{seen}"
        if select.select([proc.stdout], [], [], left)[0]:
            chunk = os.read(proc.stdout.fileno(), 4096).decode()
            assert chunk, f"gdb ended before {text!r}:\n{seen}"
            seen += chunk
    return seen


def test_ctrl_c_stops_a_running_vm():
    """gdb's Ctrl-C (SIGINT while the target runs) sends 0x03; the stop is SIGINT."""
    proc = subprocess.Popen(["gdb", "-nx", "-q", "-ex", "set remotetimeout 5",
                             "-ex", f"target remote | {FAKE_VM}"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out = read_until(proc, "(gdb) ")
        proc.stdin.write(b"continue\n")
        proc.stdin.flush()
        out += read_until(proc, "Continuing.")
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out += read_until(proc, "received signal SIGINT, Interrupt.")
        proc.stdin.write(b"p/x $pc\ndetach\nquit\n")
        proc.stdin.flush()
        rest, _ = proc.communicate(timeout=20)
        out += rest.decode()
    finally:
        proc.kill()
    check_no_protocol_trouble(out)
    assert "= 0x401000" in out, out
    assert "detached" in out, out


def test_one_thread_per_vcpu():
    out = gdb("info threads", "thread 2", "p/x $rax", "set $rax = 0x1234", "p/x $rax",
              "stepi", "p/x $pc")
    assert re.search(r"1\s+Thread 1\s+0x0000000000401000", out), out
    assert re.search(r"2\s+Thread 2\s+0x0000000000401100", out), out
    assert "$1 = 0x1111111111111101" in out, out
    assert "$2 = 0x1234" in out, out
    assert "$3 = 0x401101" in out, out


def test_monitor_commands():
    out = gdb("monitor help", "monitor mode", "monitor frob")
    assert "phys on|off" in out
    assert "long mode (x86-64 registers); gdb was given long mode" in out
    assert 'unknown command "frob"' in out


@pytest.mark.parametrize("mode,arch", [("--i386", "i386"), ("--real", "i8086")])
def test_32_bit_and_real_mode_layouts(mode, arch):
    out = gdb("show architecture", "info registers", "stepi", "p/x $pc", mode=mode)
    assert f'(currently "{arch}")' in out, out
    assert register(out, "eax") == 0x11111100
    assert register(out, "eip") == 0x401000
    assert register(out, "cr3") == 0x9000
    assert "rax" not in out
    assert "$1 = 0x401001" in out, out
    assert "warning: A handler for the OS ABI" not in out, out
