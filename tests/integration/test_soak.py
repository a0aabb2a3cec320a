# SPDX-License-Identifier: MIT
"""The soak: millions of exits of mixed kinds (OUT, IN, CPUID, RDMSR, hypercalls, sleeps and
their timer wake-ups) from several VMs that are made and destroyed again and again (onexit=
restart: each life ends with an exit, the VM is freed and made again from its module; at the
end the console's destroy), under QEMU (AMD-V). Afterwards free frames, heap in use and the
vCPU tags (ASIDs) are back where they were before the first VM, every CPU still schedules, and
the sibling kept ticking. SOAK_EXITS sets how many exits to reach (QEMU's TCG on this machine
runs some 16 k exits a second in all, 4 vCPUs on 2 busy host cores: the default 2*10^6 takes
about 2 minutes, 10^7 about 10; see docs/SECURITY.md)."""

import os
import re

from harness import GUESTS, Module

SOAK_EXITS = int(os.environ.get("SOAK_EXITS", 2_000_000))
STORMS = 3  # VMs, one per CPU 1-3
ROUNDS = 20_000  # per life; each round is 5 exits, every 1000th 6
EXITS_PER_LIFE = ROUNDS * 5 + ROUNDS // 1000
LIVES = -(-SOAK_EXITS // (STORMS * EXITS_PER_LIFE))


def memory_line(run, after=0):
    m = re.compile(r"memory: .* free \((\d+) frames\); (\d+) allocations, (\d+) frees, \d+ "
                   r"failures; heap (\d+) bytes in use\n.*monitor: (\d+) vCPU tag\(s\) in use",
                   re.MULTILINE).search(run.host_text, after)
    assert m, "no memory report"
    return m


def test_soak_returns_every_resource(qemu, tmp_path):
    """Before the first VM and after the last: the same free frames, heap and vCPU tags. The
    storms churn on CPUs 1-3, a ticker (made again each second) on CPU 0; afterwards a fresh
    VM on each CPU must run to its end: no CPU is stuck."""
    config = tmp_path / "soak.toml"
    text = ""
    for i in range(1, STORMS + 1):
        text += (f'[vm.s{i}]\nimage = "hostile.elf"\nmemory = "4M"\ncpus = [{i}]\n'
                 f'cmdline = "exit-storm {ROUNDS}"\nonexit = "restart"\nautostart = false\n\n')
    text += ('[vm.sibling]\nimage = "ticker.elf"\nmemory = "4M"\ncpus = [0]\n'
             'cmdline = "10 1000 100"\nonexit = "restart"\nautostart = false\n\n')
    for cpu in range(4):
        text += (f'[vm.p{cpu}]\nimage = "ticker.elf"\nmemory = "4M"\ncpus = [{cpu}]\n'
                 'cmdline = "2 1000"\nautostart = false\n\n')
    config.write_text(text)
    storms = [f"s{i}" for i in range(1, STORMS + 1)]
    inputs = [(r"boot complete", "mem\r"), (r"vCPU tag\(s\) in use", "start sibling\r")]
    for name in storms:
        inputs.append((r"vm\d+ (sibling|s\d+): running on CPU", f"start {name}\r"))
    # Once the first storm ended one life more than its share (the others, started after it,
    # may lag by one), every VM goes; then a fresh one on each CPU.
    inputs.append((rf"vm\d+ s1: restart {LIVES + 1} \(", "destroy sibling\r"))
    for name in storms:
        inputs.append((r"monitor: |destroyed|\n", f"destroy {name}\r"))
    inputs.append((rf"vm\d+ {storms[-1]}: destroyed", "start p0\r"))
    for cpu in range(1, 4):
        inputs.append((rf"vm\d+ p{cpu - 1}: exited with code 0", f"start p{cpu}\r"))
    inputs += [(r"vm\d+ p3: exited with code 0", "mem\r"),
               (r"vCPU tag\(s\) in use", "poweroff\r")]
    run = qemu(cmdline="ondone=console", smp=4, timeout=120 + SOAK_EXITS / 5000,
               inputs=tuple(inputs),
               modules=[Module(config, "vmconfig soak.toml"),
                        Module(GUESTS / "hostile.elf", "hostile.elf"),
                        Module(GUESTS / "ticker.elf", "ticker.elf")])
    before = memory_line(run)
    after = memory_line(run, before.end())
    exits = sum(int(n) for n in re.findall(r"vm\d+ (?:s\d+|sibling): (\d+) exits \(",
                                           run.host_text))
    lives = len(re.findall(r"vm\d+ s\d+: \d+ exits \(", run.host_text))
    print(f"\nsoak: {exits} exits in {lives} lives of {STORMS} storm VMs (and the sibling's "
          f"{len(re.findall(r'vm[0-9]+ sibling: [0-9]+ exits', run.host_text))}) in "
          f"{run.seconds:.0f} s of the run ({exits / run.seconds:.0f} exits/s)")
    print(f"soak: before: {before.group(1)} free frames, heap {before.group(4)} bytes, "
          f"{before.group(5)} vCPU tags; after: {after.group(1)} free frames, heap "
          f"{after.group(4)} bytes, {after.group(5)} vCPU tags; "
          f"{int(after.group(2)) - int(before.group(2))} frame allocations, "
          f"{int(after.group(3)) - int(before.group(3))} frees between")
    assert exits >= SOAK_EXITS, f"only {exits} exits"
    run.expect_not(r"PANIC")
    run.expect_not(r"vm\d+ (s\d+|sibling): stopped: (?!exited|destroyed)")  # nothing but the end
    run.expect_not(r"gives up")  # no crash loop: every life ran its course
    for group, what in ((1, "free frames"), (4, "heap bytes in use"), (5, "vCPU tags")):
        assert after.group(group) == before.group(group), f"{what} did not come back"
    allocations = int(after.group(2)) - int(before.group(2))
    frees = int(after.group(3)) - int(before.group(3))
    assert allocations == frees > 0, f"{allocations} allocations, {frees} frees"
    for cpu in range(4):
        assert run.guest_cpus(f"p{cpu}", r"^tick 2 of 2$") == {cpu}, f"CPU {cpu} is stuck"
    assert len(re.findall(r"^tick 10 of 10$", run.guest_text("sibling"), re.MULTILINE)) >= 2
