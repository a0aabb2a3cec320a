# SPDX-License-Identifier: MIT
"""make bench, Linux: how long Debian's kernel takes from power-on to its shell, in
instructions, in a Vireo VM against plain QEMU TCG with the same kernel and initramfs; and how
many exits an idle Linux costs a second.

Under QEMU's -icount shift=0 the TSC counts instructions, the hypervisor's too, and the
initramfs's init prints the TSC (guests/linux/rdtsc.c) just before its shell: the two runs
count the same kernel's boot, one behind GRUB and Vireo, the other behind SeaBIOS and QEMU's
own Linux loader. The idle rate comes from the console's stats of the VM taken twice while
Linux sits at its prompt: with sleep=off an idle machine's clock leaps to its next timer, so
the seconds between them are mostly idle ones. Prints numbers; asserts nothing.
"""

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import harness  # noqa: E402

LINUX = harness.BUILD / "linux"
ICOUNT = ("-icount", "shift=0,sleep=off")
TSC = r"vireo-linux: tsc (\d+) at the shell"
CONFIG = ('[vm.linux]\nimage = "vmlinuz"\nformat = "linux"\nmemory = "192M"\n'
          'modules = ["initramfs.cpio"]\ncmdline = "console=ttyS0"\ninput = "uart"\n'
          'devices = ["debugcon", "pic", "pit", "uart", "keyboard", "rtc"]\n')
STATS = r"vm1 linux: (\d+) exits \((.*?)\) in (\d+) ms"


def under_vireo() -> "harness.Run":
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "linux.toml"
        config.write_text(CONFIG)
        iso = harness.make_iso("loglevel=3", (
            harness.Module(config, "vmconfig linux.toml"),
            harness.Module(LINUX / "vmlinuz", "vmlinuz"),
            harness.Module(LINUX / "initramfs.cpio", "initramfs.cpio")))
    # The monitor has the keys: its stats at the shell, and again once they are printed.
    return harness.run_qemu(iso, smp=1, mem="512M", timeout=600, extra=ICOUNT,
                            inputs=((TSC, "stats linux\r"), (STATS, "stats linux\r")),
                            until=rf"(?s){STATS}.*{STATS}.*vCPU 0 ran")


def plain_qemu() -> int:
    serial = harness.Serial()
    with tempfile.TemporaryDirectory() as tmp:
        command = ["qemu-system-x86_64", "-kernel", str(LINUX / "vmlinuz"), "-initrd",
                   str(LINUX / "initramfs.cpio"), "-append", "console=ttyS0", "-m", "192M",
                   "-cpu", "qemu64", "-display", "none", "-no-reboot", "-monitor", "none",
                   "-serial", serial.path, *ICOUNT]
        run = harness.Run("qemu", command)
        proc = harness._launch(command, Path(tmp) / "qemu.out")
        harness._watch(run, proc, serial, 600, TSC)
    m = re.search(TSC, run.transcript)
    if not m:
        print(run.describe())
        raise SystemExit("bench: plain QEMU's Linux printed no TSC")
    return int(m.group(1))


def main():
    started = time.monotonic()
    run = under_vireo()
    tsc = re.search(TSC, run.transcript)
    stats = re.findall(STATS, run.transcript)
    if not tsc or len(stats) < 2:
        print(run.describe())
        raise SystemExit("bench: Linux under Vireo printed no TSC or no stats")
    vireo = int(tsc.group(1))
    bare = plain_qemu()
    (exits0, _, ms0), (exits1, reasons, ms1) = stats[0], stats[-1]
    rate = (int(exits1) - int(exits0)) * 1000 / max(int(ms1) - int(ms0), 1)
    print("Linux boot to its shell, instructions from power-on (QEMU -icount shift=0):")
    print(f"  under Vireo (GRUB, Vireo, the VM) {vireo / 1e9:8.3f} G")
    print(f"  plain QEMU TCG (SeaBIOS, -kernel) {bare / 1e9:8.3f} G")
    print(f"  ratio                             {vireo / bare:8.2f}x")
    print(f"Idle Linux at its prompt: {rate:.0f} exits/s over {int(ms1) - int(ms0)} ms "
          f"(at the end: {reasons})")
    print(f"({time.monotonic() - started:.0f} s of host time)")


if __name__ == "__main__":
    main()
