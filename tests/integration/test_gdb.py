# SPDX-License-Identifier: MIT
"""A stock gdb debugs a guest over the host's COM2 (the GDB stub, vmm/gdb_server.c): after some
noise on the line, it stops the spinning gdbspin guest (in long, protected or real mode, each
with its register layout) on connecting, reads registers and memory, stops it again with
Ctrl-C, stops at a hardware watchpoint, writes its memory to release it, stops at a breakpoint
on a symbol of its ELF, steps instructions, stops at a hardware breakpoint, and detaches, after
which the guest finishes; another VM ticks on all along.
On AMD-V (QEMU) and VT-x (Bochs)."""

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
import tty

import pytest

from harness import GUESTS, Module


class Guest:
    """A gdbspin build: the image Vireo runs, the ELF gdb reads, its program counter in gdb's
    layout for its mode, and where the hardware breakpoint goes."""

    def __init__(self, name, image, elf, pc, hbreak, says):
        self.name, self.image, self.elf = name, GUESTS / image, GUESTS / elf
        self.pc, self.hbreak, self.says = pc, hbreak, says


GDB_GUESTS = {
    "long": Guest("gdbspin", "gdbspin.elf", "gdbspin.elf", "rip", "guest_printf", "gdbspin"),
    "protected": Guest("gdbspin32", "gdbspin32.elf", "gdbspin32.elf", "eip", "guest_printf",
                       "gdbspin"),
    "real": Guest("gdbspin16", "gdbspin16.bin", "gdbspin16.elf", "eip", "done", "gdbspin16"),
}
PROMPT = "(gdb) "

pytestmark = pytest.mark.skipif(shutil.which("gdb") is None, reason="gdb is not installed")


class Com2:
    """COM2 of the emulated machine: a pseudo-terminal the emulator attaches to, relayed to
    one TCP client at a time (gdb's target remote)."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.done = False
        self.traffic = bytearray()  # what went each way, for a failure's message
        self.thread = threading.Thread(target=self._relay, daemon=True)
        self.thread.start()

    def _relay(self):
        while not self.done:
            if select.select([self.server], [], [], 0.2)[0]:
                conn, _ = self.server.accept()
                # Bochs's term mode turns on ONLCR when it opens the device: binary again.
                tty.setraw(self.slave)
                with conn:
                    self._copy(conn)

    def _copy(self, conn):
        while not self.done:
            ready = select.select([conn, self.master], [], [], 0.2)[0]
            try:
                if conn in ready:
                    data = conn.recv(4096)
                    if not data:
                        return
                    os.write(self.master, data)
                    self.traffic += b"\n> " + data
                if self.master in ready:
                    data = os.read(self.master, 4096)
                    conn.sendall(data)
                    self.traffic += b"\n< " + data
            except OSError:
                return

    def close(self):
        self.done = True
        self.thread.join()
        self.server.close()
        os.close(self.master)
        os.close(self.slave)


class Gdb:
    """A stock gdb on a gdbspin's symbols, driven a command at a time."""

    def __init__(self, elf):
        self.proc = subprocess.Popen(
            ["gdb", "-nx", "-q", "-ex", "set pagination off", "-ex", "set confirm off",
             "-ex", "set remotetimeout 30", str(elf)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.log = ""
        self.unread = ""  # printed after what the last read_until waited for
        self.read_until(PROMPT)

    def read_until(self, text, seconds=90):
        """What gdb printed up to and including text."""
        deadline = time.monotonic() + seconds
        while text not in self.unread:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} from gdb in:\n{self.log + self.unread}"
            if select.select([self.proc.stdout], [], [], left)[0]:
                chunk = os.read(self.proc.stdout.fileno(), 4096).decode(errors="replace")
                assert chunk, f"gdb ended before {text!r}:\n{self.log + self.unread}"
                self.unread += chunk
        end = self.unread.index(text) + len(text)
        seen, self.unread = self.unread[:end], self.unread[end:]
        self.log += seen
        return seen

    def send(self, command):
        self.log += command + "\n"
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()

    def run(self, command, seconds=90):
        """What gdb printed for command, up to its next prompt."""
        self.send(command)
        return self.read_until(PROMPT, seconds)

    def close(self):
        self.proc.kill()
        self.proc.wait()


def register(out, name):
    m = re.search(rf"^{name}\s+(0x[0-9a-f]+)", out, re.M)
    assert m, f"no {name} in:\n{out}"
    return int(m.group(1), 16)


def debug_session(gdb, port, guest):
    """The session; returns the PCs the five steps went through."""
    def symbol(name):
        out = subprocess.run(["nm", str(guest.elf)], capture_output=True, text=True,
                             check=True).stdout
        return int(re.search(rf"^([0-9a-f]+) \w {name}$", out, re.M).group(1), 16)

    out = gdb.run(f"target remote 127.0.0.1:{port}")
    assert "Remote debugging using" in out, out
    out = gdb.run("info registers")
    pc = register(out, guest.pc)
    assert symbol("main") <= pc < symbol("main") + 0x100, out  # in the spin loop
    # The layout of the guest's mode: x86-64 has r8, i386 and i8086 have eip and no r8.
    if guest.pc == "rip":
        register(out, "r8")
    else:
        assert not re.search(r"^(rip|r8)\s", out, re.M), out
    out = gdb.run("x/4xb &spins")
    assert re.search(r"<spins>:(\s+0x[0-9a-f]{2}){4}", out), out

    # Ctrl-C stops the spinning guest again.
    gdb.send("continue")
    gdb.read_until("Continuing.")
    time.sleep(1)
    gdb.proc.send_signal(signal.SIGINT)
    gdb.read_until("received signal SIGINT")
    gdb.read_until(PROMPT)
    out = gdb.run("print *(unsigned int *)&spins")
    assert int(re.search(r"= (\d+)", out).group(1)) > 0, out

    # A hardware watchpoint (a debug register) fires at the guest's next write.
    out = gdb.run("watch *(unsigned int *)&spins")
    assert "Hardware watchpoint 1: *(unsigned int *)&spins" in out, out
    out = gdb.run("continue")
    m = re.search(r"Hardware watchpoint 1: \*\(unsigned int \*\)&spins\s+Old value = (\d+)\s+"
                  r"New value = (\d+)", out)
    assert m and int(m.group(2)) == int(m.group(1)) + 1, out
    gdb.run("delete")

    # A memory write releases it; it stops at a breakpoint on a symbol.
    out = gdb.run("break reached")
    assert "Breakpoint 2 at" in out, out
    out = gdb.run("set {int}&released = 1")
    out = gdb.run("print *(int *)&released")
    assert "= 1" in out, out
    out = gdb.run("continue")
    assert re.search(r"Breakpoint 2, (0x[0-9a-f]+ in )?reached", out), out
    pcs = [register(gdb.run(f"info registers {guest.pc}"), guest.pc)]
    assert symbol("reached") <= pcs[0] < symbol("reached") + 0x10, gdb.log
    for _ in range(5):
        gdb.run("stepi")
        pcs.append(register(gdb.run(f"info registers {guest.pc}"), guest.pc))
    out = gdb.run("delete")
    # A hardware breakpoint (a debug register) on the function main calls next.
    out = gdb.run(f"hbreak {guest.hbreak}")
    assert "Hardware assisted breakpoint 3 at" in out, out
    out = gdb.run("continue")
    assert re.search(rf"Breakpoint 3, (0x[0-9a-f]+ in )?{guest.hbreak}", out), out
    assert register(gdb.run(f"info registers {guest.pc}"), guest.pc) == symbol(guest.hbreak), \
        gdb.log
    out = gdb.run("delete")
    out = gdb.run("detach")
    assert "Detaching" in out or "detached" in out, out
    return pcs


def assert_refused(conn, seconds):
    """Read conn until the GDB stub's '-' (a packet refused) arrives."""
    conn.settimeout(seconds)
    answer = b""
    try:
        while b"-" not in answer:
            chunk = conn.recv(64)
            assert chunk, f"COM2 closed before the GDB stub refused the bad packet: {answer!r}"
            answer += chunk
    except TimeoutError:
        raise AssertionError(f"the GDB stub did not refuse the bad packet in {seconds} s: "
                             f"{answer!r}") from None


@pytest.mark.parametrize("mode", GDB_GUESTS)
def test_gdb_debugs_a_guest_over_com2(boot, request, mode):
    qemu = request.node.callspec.params["boot"] == "qemu"
    guest = GDB_GUESTS[mode]
    com2 = Com2()
    pause = 3000000 if qemu else 400000
    # Both VMs share CPU 1; the boot CPU, which drains COM2 every millisecond, stays free for
    # it: Bochs interrupts a VT-x guest running with interrupts off only at its preemption
    # timer, which would leave COM2's FIFO to overflow.
    mods = [Module(guest.image, f"guest {guest.name} cpu=1 mem=4M"),
            Module(GUESTS / "ticker.elf", f"guest ticker cpu=1 mem=4M -- 100000 {pause}")]
    options = {"smp": 2, "extra": ("-serial", com2.path)} if qemu else {"cpus": 2,
                                                                       "com2": com2.path}
    result = {}
    # The run ends at the VM's statistics, printed after its exit: the test reads them.
    booted = threading.Thread(target=lambda: result.update(run=boot(
        cmdline=f"gdbvm={guest.name}", modules=mods, timeout=150 if qemu else 300,
        until=rf"vm\d+ {guest.name}: \d+ exits \(.*\) in \d+ ms;.*dropped$", **options)))
    booted.start()
    gdb = None
    try:
        time.sleep(4 if qemu else 15)  # gdbspin spins by then
        # Noise first: a Ctrl-C, bytes outside packets, a packet with a bad checksum.
        # The GDB stub must refuse the bad packet; its '-' is awaited here, or, late on a slow
        # machine, it would reach gdb as a refusal of gdb's first packet, which gdb sends again
        # and then takes the second answer to it for the answer to its next packet. The noise
        # goes in pieces: its first byte makes the GDB stub attach, and a burst longer than COM2's
        # 16-byte FIFO meanwhile could lose a byte of the bad packet (gdb would resend one).
        with socket.create_connection(("127.0.0.1", com2.port)) as noise:
            for piece in (b"\x03", b"\xff\x00garbage}*", b"$qBad#00", b"+-"):
                noise.sendall(piece)
                time.sleep(0.5)
            assert_refused(noise, seconds=60)
        gdb = Gdb(guest.elf)
        pcs = debug_session(gdb, com2.port, guest)
    except AssertionError as e:
        raise AssertionError(f"{e}\nCOM2 traffic:{com2.traffic[-3000:].decode(errors='replace')}")
    finally:
        if gdb:
            gdb.close()
        booted.join()
        com2.close()
    run = result["run"]
    log = gdb.log
    assert len(set(pcs)) == len(pcs), (pcs, log)  # every step moved the PC on
    for bad in ("Remote communication error", "Ignoring packet error", "internal-error"):
        assert bad not in log, log
    run.expect(rf"gdb: vm1 {guest.name} is the one debugged on port 0x2f8")
    run.expect_guest(guest.name, rf"^{guest.says}: released, reached\(\) says 34$")
    run.expect(rf"vm1 {guest.name}: exited with code 0")
    if mode != "real":
        # Its MOV DRs ran while gdb's hardware breakpoint was in the debug registers: they
        # exited, and it read back its own values.
        run.expect_guest(guest.name, r"^gdbspin: its debug registers read back right$")
        run.expect(rf"vm1 {guest.name}: \d+ exits \(.*DR access [1-9]")
    run.expect_not(r"PANIC|WARNING: vm")
    # The ticker ticked on while gdb held gdbspin: between the stub's first stop and the end.
    text = run.transcript
    held = text[text.index("is the one debugged"):text.index(f"{guest.says}: released")]
    assert len(re.findall(r"ticker> tick \d+", held)) >= 3, held
