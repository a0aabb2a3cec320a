# SPDX-License-Identifier: MIT
"""Hypercall ABI version 1 (docs/HYPERCALLS.md) on AMD-V (QEMU) and VT-x (Bochs): every call
answers as documented; buffers outside the VM's RAM, across its end or wrapping around come
back -EFAULT with nothing printed or written; unknown numbers come back -ENOSYS and the VM goes
on."""

import re

from harness import GUESTS, Module


def test_every_hypercall_answers_as_documented(boot):
    run = boot(modules=[Module(GUESTS / "hypercalls.elf", "guest abi mem=4M vcpus=2")])
    lines = [text for _, text in run.guest_lines("abi")]
    checks = [line for line in lines if re.search(r": (ok|FAILED) \(got -?\d+\)$", line)]
    failed = [line for line in checks if "FAILED" in line]
    assert not failed, f"{run.emulator}: {failed}"
    run.expect_guest("abi", r"^write: this line came through VIREO_HC_WRITE$")
    run.expect_guest("abi", r"^!$")
    run.expect_guest("abi", r"^putchar \(a line of '!'\): ok \(got 0\)$")
    run.expect_guest("abi", r"^write across the end of RAM: ok \(got -14\)$")
    run.expect_guest("abi", r"^vm_info: I am vm1 'abi' with 4 MiB$")
    for number in ("0xd", "0x3f", "0x7badc0de", "0xffffffffffffffff"):
        run.expect_guest("abi", rf"^unknown number {number}: -ENOSYS: ok \(got -38\)$")
    done = run.expect_guest("abi", r"^hypercalls: (\d+) of (\d+) checks passed$")
    assert done.group(1) == done.group(2) and len(checks) == int(done.group(2)) >= 30
    run.expect(r"vm1 abi: unknown hypercall number 0xd answered -ENOSYS \(logged once\)")
    assert len(re.findall(r"unknown hypercall number", run.host_text)) == 1
    run.expect(r"vm1 abi: exited with code 0")
    run.expect_clean_shutdown()
