# SPDX-License-Identifier: MIT
"""A VM's life at run time: onexit=restart makes it again each time its guest exits, the
console's destroy ends it for good, and all it held comes back (the frame allocator's and the
heap's counters are the same before every life and after the last), on AMD-V and VT-x."""

import re

from harness import GUESTS, Module

RESTART = re.compile(r"^\[ *[\d.]+ cpu\d+\] vm1 again: restart (\d+) \((\d+) frames free, "
                     r"heap (\d+) bytes in use\)$", re.MULTILINE)


def test_restarted_vm_gives_back_everything_it_held(boot, request):
    lives = 100
    inputs = ((rf"vm1 again: restart {lives} ", "destroy again\r"),
              (r"every VM has stopped; the console stays up", "mem\r"),
              (r"memory: .* heap \d+ bytes in use", "poweroff\r"))
    machine = {"smp": 2} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 2}
    run = boot(cmdline="ondone=console",
               modules=[Module(GUESTS / "hello16.bin", "guest again mem=2M onexit=restart")],
               inputs=inputs, timeout=240, **machine)
    run.expect(r"vm1 again: destroyed from the console")
    restarts = [tuple(int(g) for g in m.groups()) for m in RESTART.finditer(run.transcript)]
    assert [n for n, _, _ in restarts] == list(range(1, len(restarts) + 1))
    assert len(restarts) >= lives
    # Every life began with the same free frames and heap: the one before gave all back.
    assert len({(frames, heap) for _, frames, heap in restarts}) == 1, restarts
    _, frames, heap = restarts[0]
    run.expect(rf"memory: .* free \({frames} frames\); .* heap {heap} bytes in use")
    # Each life ran the guest to its end.
    assert len(re.findall(r"vm1 again: exited with code 0", run.transcript)) >= lives


def test_console_restart_makes_the_vm_again_and_destroy_ends_it(boot, request):
    inputs = ((r"ticker> tick 2 of", "restart ticker\r"),
              (r"vm1 ticker: restart 1 ", "vms\r"),
              (r"vm1 ticker: running on CPU \d+\n(?:.|\n)*ticker> tick 2 of", "destroy ticker\r"))
    machine = {"smp": 1} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 1}
    run = boot(modules=[Module(GUESTS / "ticker.elf", "guest ticker mem=4M -- 1000")],
               inputs=inputs, **machine)
    run.expect(r"vm1 ticker: restarted from the console")
    run.expect(r"vm1 ticker: destroyed from the console")
    ticks = [text for _, text in run.guest_lines("ticker") if text.startswith("tick ")]
    # The first life counted to 2 at least (typing takes a while); the second began again at 1.
    again = ticks.index("tick 1 of 1000", 1)
    assert ticks[:again] == [f"tick {i} of 1000" for i in range(1, again + 1)], ticks
    assert again >= 2 and ticks[again + 1] == "tick 2 of 1000", ticks
    run.expect_not(r"vm1 ticker: exited with code")
    run.expect(r"vmm: every VM has stopped; shutting down")


def test_console_start_makes_an_ended_vm_again(boot, request):
    inputs = ((r"every VM has stopped; the console stays up", "start hello16\r"),
              (r"vm1 hello16: restart 1 ", "start nosuch\r"),
              (r"no VM 'nosuch' that has ended", "start hello16\r"),
              (r"vm1 hello16: restart 2 ", "poweroff\r"))
    machine = {"smp": 1} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 1}
    run = boot(cmdline="ondone=console", modules=[Module(GUESTS / "hello16.bin",
                                                         "guest hello16 mem=2M")],
               inputs=inputs, **machine)
    greetings = [t for _, t in run.guest_lines("hello16") if t == "Hello from real mode!"]
    assert len(greetings) == 3, greetings  # the first life and two more
    assert len(re.findall(r"vm1 hello16: exited with code 0", run.transcript)) == 3
    assert len(re.findall(r"the console stays up", run.transcript)) == 3


def test_onexit_restart_gives_up_on_a_crash_loop(boot, request):
    """A guest that exits at once under onexit=restart gets 200 lives in a minute, then the
    VM stays stopped (a crash loop must not keep a CPU and the log busy for ever)."""
    machine = {"smp": 1} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 1}
    run = boot(modules=[Module(GUESTS / "hello16.bin", "guest loop mem=2M onexit=restart")],
               timeout=300, **machine)
    run.expect(r"WARNING: vm1 loop: exited 200 times within 60 s; onexit=restart gives up "
               r"\('start loop' makes it again\)")
    lives = [int(n) for n in re.findall(r"vm1 loop: restart (\d+) ", run.transcript)]
    assert lives == list(range(1, 201)), lives[-3:]
    run.expect(r"vmm: every VM has stopped; shutting down")
    run.expect_clean_shutdown()
