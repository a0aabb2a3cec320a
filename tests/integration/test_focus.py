# SPDX-License-Identifier: MIT
"""Console input for guests: Ctrl-] moves the keyboard from the monitor to each VM in turn and
back; keys reach the VM with the focus only, through VIREO_HC_GETCHAR (waiting for a key costs
no CPU) or the mini-kvm port; the monitor gets the rest. On AMD-V and VT-x."""

from harness import GUESTS, Module

FOCUS = "\x1d"  # Ctrl-]


def test_keys_reach_the_focused_guest_only(boot, request):
    qemu = request.node.callspec.params["boot"] == "qemu"
    mods = [Module(GUESTS / "echo.elf", "guest echo cpu=1 mem=4M"),
            Module(GUESTS / "hello16.bin", "guest other mem=2M")]
    inputs = ((r"echo> echo: waiting without a key", "vms\r"),
              (r"vm1 echo: blocked on CPU 1", FOCUS),
              (r"console: keys go to vm1 echo now", "hello\r"),
              (r"echo> you typed: hello", FOCUS),
              (r"console: keys go to the monitor now", "cpus\r"),
              (r"monitor: CPU 1: .*\n", FOCUS),
              (r"console: keys go to vm1 echo now", "quit\r"))
    run = boot(modules=mods, inputs=inputs, **({"smp": 2} if qemu else {"cpus": 2}))
    run.expect_guest("echo", r"^echo: waiting without a key: -EAGAIN$")
    lines = [text for _, text in run.guest_lines("echo")]
    assert [t for t in lines if t.startswith("you typed")] == ["you typed: hello"], lines
    run.expect(r"monitor: CPU 1: APIC ID \d+, 1 vCPU\(s\)")  # "cpus" went to the monitor
    run.expect_guest("echo", r"^echo: bye from echo$")
    run.expect(r"vm1 echo: exited with code 0")
    # The other VM had ended: focus went from echo straight back to the monitor.
    run.expect_not(r"keys go to vm2")
    run.expect_clean_shutdown()
