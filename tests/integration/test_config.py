# SPDX-License-Identifier: MIT
"""The VM config file at boot, on AMD-V and VT-x: a config with several VMs starts them all,
each mistake is reported with its line and skips only its VM, autostart = false waits for the
console's start, cpus is honoured, each VM's lines have its colour (unless color=off), devices
and a flat image's load address and entry are honoured."""

from harness import GUESTS, ROOT, Module

CONFIGS = ROOT / "tests" / "configs"
LABEL = "several.toml"


def files(*names):
    """Guest images as named boot modules: "module2 .../hello16.bin hello16.bin"."""
    return [Module(GUESTS / name, name) for name in names]


def test_a_config_starts_its_vms_and_skips_only_the_bad_ones(boot, request):
    modules = [Module(CONFIGS / "several-with-errors.toml", f"vmconfig {LABEL}"),
               *files("hello16.bin", "hello64.elf", "hello32.elf"),
               Module(GUESTS / "hello16.bin", "guest first mem=2M")]  # a name taken already
    done = "".join(rf"(?=(?:.|\n)*vm{i} \w+: exited with code 0)" for i in (1, 2, 5))
    inputs = ((done, "vms\r"),
              (r"vm4 later: waiting for 'start later'", "start later\r"),
              (r"vm4 later: exited with code 0", "poweroff\r"))
    machine = {"smp": 2} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 2}
    run = boot(cmdline="ondone=console", modules=modules, inputs=inputs, timeout=240, **machine)

    # Every mistake, with its line and what was expected; then the VM it skips.
    for line, message in ((16, r'memory: expected a size such as "64M" \(2M to 64G\)'),
                          (17, r"Vireo's TOML subset does not have floating-point numbers"),
                          (18, r"unknown key 'colour' \(the keys: image, modules, memory, "),
                          (14, r"\[vm.broken\]: not made, for its 3 error\(s\)"),
                          (21, r"image: no boot module named 'nosuch.bin' \(module2 FILE "
                               r"nosuch.bin\); vm 'lost' is not made")):
        run.expect(rf"ERROR: {LABEL}:{line}: {message}")
    run.expect(rf"vmm: {LABEL}: 5 VM\(s\) read, 4 error\(s\)")
    run.expect(r"ERROR: vm6 first: vm1 has this name already; not created")
    run.expect_not(r"vm\d+ broken: |vm\d+ lost: ")
    # The good ones all ran: first and third at once, later when the console said so.
    for vm, name, greeting in ((1, "first", "Hello from real mode!"),
                               (2, "second", "Hello from 64-bit C!"),
                               (5, "third", "Hello from 32-bit protected mode!"),
                               (4, "later", "Hello from 32-bit protected mode!")):
        run.expect_guest(name, greeting)
        run.expect(rf"vm{vm} {name}: exited with code 0")
    run.expect_guest("second", r"my arguments: from the config file")
    run.expect(r"vm4 later: waits for the console's 'start later' \(autostart = false\)")
    run.expect(r"vm4 later: made at the console's start")
    assert run.transcript.index("vm4 later: made at") > run.transcript.index("vm5 third: exited")
    # cpus = [1]: second ran on CPU 1 only.
    run.expect(r"vm2 second: running on CPU 1$")
    assert run.guest_cpus("second", ".") == {1}
    # Its colour: red asked for first, the palette's fifth for vm5.
    assert "\x1b[91mvm1 first>\x1b[0m Hello from real mode!" in run.raw_transcript
    assert "\x1b[94mvm5 third>\x1b[0m " in run.raw_transcript
    assert not run.timed_out and run.returncode == 0


def test_color_off_devices_and_a_flat_image_placed_elsewhere(qemu, tmp_path):
    """color=off leaves every line plain; a VM without the debug console port loses only what
    it wrote there; a flat image loaded at load_address starts at entry, not at its start."""
    # hello16 (linked at 0x7c00) behind 256 bytes of HLT: it runs only if entry skips them.
    padded = tmp_path / "padded16.bin"
    padded.write_bytes(b"\xf4" * 0x100 + (GUESTS / "hello16.bin").read_bytes())
    config = tmp_path / "three.toml"
    config.write_text('[vm.plain]\nimage = "hello16.bin"\nmemory = "2M"\ncolor = "green"\n'
                      '[vm.quiet]\nimage = "hello16.bin"\nmemory = "2M"\ndevices = ["post"]\n'
                      '[vm.placed]\nimage = "padded16.bin"\nmemory = "2M"\nformat = "flat"\n'
                      'load_address = 0x7b00\nentry = 0x7c00\n')
    run = qemu(cmdline="color=off", modules=[Module(config, "vmconfig three.toml"),
                                             *files("hello16.bin", "echo.elf"),
                                             Module(padded, "padded16.bin")])
    assert "\x1b" not in run.raw_transcript
    run.expect_guest("plain", r"^Hello from real mode!$")
    run.expect_guest("quiet", r"^and this line came through the write hypercall\.$")
    assert "Hello from real mode!" not in run.guest_text("quiet")
    run.expect(r"vm3 placed: real-mode flat binary, 2 MiB of RAM .*entry 0x7c00$")
    run.expect_guest("placed", r"^Hello from real mode!$")
    run.expect(r"vm3 placed: exited with code 0")
    run.expect(r"WARNING: module 2: 'echo.elf' is a file no VM uses")
    run.expect_clean_shutdown()
