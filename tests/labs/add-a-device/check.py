# SPDX-License-Identifier: MIT
"""make lab-add-a-device: boot guests/ticket in a VM whose config asks for the "ticket" device,
which takes tickets at port 0x5F0; then look for the model's unit test and run it."""

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lab_check import GUESTS, LOGS, ROOT, Module, boot, finish  # noqa: E402

LAB = "add-a-device"
CONFIG = '[vm.ticket]\nimage = "ticket.elf"\nmemory = "4M"\ndevices = ["debugcon", "ticket"]\n'


def main() -> None:
    LOGS.mkdir(parents=True, exist_ok=True)
    config = LOGS / "ticket.toml"
    config.write_text(CONFIG)
    run = boot(LAB, [Module(config, "vmconfig ticket.toml"),
                     Module(GUESTS / "ticket.elf", "ticket.elf")])
    text = run.guest_text("ticket")
    problems = []
    if run.has(r"devices: expected a list of"):
        problems.append("Vireo does not know a device called \"ticket\" yet: give it a VM_DEVICE_ "
                        "bit (vmm/vm_config.h) and a name in device_names (vmm/vm_config.c)")
    elif "no device answers at port 0x5f0" in text:
        problems.append("the VM has the device, but nothing answers at port 0x5F0: register your "
                        "model's pio_ops there in attach_devices (vmm/vm.c)")
    else:
        problems += [f"the guest says: {line}" for line in text.splitlines() if "wrong" in line]
        if not re.search(r"^ticket: 0 check\(s\) failed$", text, re.MULTILINE):
            problems.append("the guest did not finish with all its checks passed:\n" + text)
    test = ROOT / "tests" / "unit" / "test_vticket.c"
    if not test.exists():
        problems.append("no unit test: write tests/unit/test_vticket.c and add vticket to "
                        "UNIT_TESTS (with unit_srcs_vticket) in the Makefile")
    else:
        made = subprocess.run(["make", "-s", "-C", str(ROOT), "build/unit/test_vticket"],
                              capture_output=True, text=True)
        ran = made.returncode == 0 and subprocess.run(
            [str(ROOT / "build" / "unit" / "test_vticket")], capture_output=True).returncode == 0
        if not ran:
            problems.append("build/unit/test_vticket does not build or does not pass:\n" +
                            made.stdout + made.stderr)
    finish(LAB, problems)


main()
