# SPDX-License-Identifier: MIT
"""Guest RAM as ranges around the device hole: what the boot information says is RAM holds
what is written to it, RAM past 3 GiB appears at 4 GiB, and the hole (no RAM, no device yet)
stops the VM with the address and the instruction, on AMD-V (QEMU) and VT-x (Bochs)."""

from harness import GUESTS, Module


def memmap(mem, args="hole"):
    return [Module(GUESTS / "memmap.elf", f"guest memmap cpu=0 mem={mem} -- {args}")]


def expect_hole_stop(run, mem_mib):
    run.expect(r"WARNING: vm1 memmap: stopped: read from guest-physical 0xc0000000( \(linear "
               rf"0xc0000000\))?, outside its {mem_mib} MiB of RAM, at RIP 0x[0-9a-f]+ "
               r"\(bytes: [0-9a-f]{2}( [0-9a-f]{2})*\)")
    run.expect_not(r"which is wrong")


def test_small_vm_has_one_range_and_reaches_the_hole(boot, request):
    machine = {"smp": 1} if request.node.callspec.params["boot"] == "qemu" else {"cpus": 1}
    run = boot(modules=memmap("4M"), **machine)
    run.expect_guest("memmap", r"^1 RAM range\(s\), 4 MiB in all$")
    run.expect_guest("memmap", r"^ram\[0\]: 0-0x400000 \(4 MiB\)$")
    run.expect_guest("memmap", r"^ram ok: 3 addresses in 1 range\(s\) kept their values$")
    run.expect_not(r"vm1 memmap: RAM 0 at")  # one range: nothing to report
    expect_hole_stop(run, 4)
    if request.node.callspec.params["boot"] == "bochs":
        run.expect(r"guest-physical 0xc0000000 \(linear 0xc0000000\)")  # VT-x names it
    run.expect_clean_shutdown()


def test_ram_past_three_gigabytes_goes_on_at_four(boot, request):
    # 3 GiB + 64 MiB of guest RAM in one run of host RAM: with 8 GiB both emulators have more
    # than that above 4 GiB. (Bochs takes about a minute and a half, zeroing it.)
    if request.node.callspec.params["boot"] == "qemu":
        run = boot(modules=memmap("3136M"), smp=1, mem="8G", timeout=120)
    else:
        run = boot(modules=memmap("3136M"), cpus=1, megs=8192, timeout=400)
    run.expect(r"vm1 memmap: RAM 0 at guest-physical 0-0xc0000000 \(3072 MiB\)")
    run.expect(r"vm1 memmap: RAM 1 at guest-physical 0x100000000-0x104000000 \(64 MiB\)")
    run.expect_guest("memmap", r"^2 RAM range\(s\), 3136 MiB in all$")
    run.expect_guest("memmap", r"^ram\[1\]: 0x100000000-0x104000000 \(64 MiB\)$")
    run.expect_guest("memmap", r"^ram ok: 6 addresses in 2 range\(s\) kept their values$")
    expect_hole_stop(run, 3136)
    run.expect_clean_shutdown()
