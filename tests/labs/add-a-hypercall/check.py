# SPDX-License-Identifier: MIT
"""make lab-add-a-hypercall: boot guests/hash, which calls hypercall 64 (VIREO_HC_HASH) and
compares each answer with its own; then look for the call in the ABI header and its page."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lab_check import GUESTS, ROOT, Module, boot, finish  # noqa: E402

LAB = "add-a-hypercall"
NOT_KNOWN = ("the hypervisor does not know hypercall 64 (VIREO_HC_HASH) yet: give it a number "
             "in vmm/guest_abi.h and a case in hypercall_handle (vmm/hypercall.c)")


def main() -> None:
    run = boot(LAB, [Module(GUESTS / "hash.elf", "guest hash mem=4M")])
    text = run.guest_text("hash")
    problems = []
    if "does not know hypercall 64 yet" in text:
        problems.append(NOT_KNOWN + " (the call returned -ENOSYS)")
    else:
        problems += [f"the guest says: {line}" for line in text.splitlines()
                     if line.startswith("wrong:")]
        if not re.search(r"^hash: 0 check\(s\) failed$", text, re.MULTILINE) or \
                not run.has(r"vm\d+ hash: exited with code 0$"):
            problems.append("the guest did not finish with all its checks passed:\n" + text)
    if not re.search(r"\bVIREO_HC_HASH\s*=\s*64\b", (ROOT / "vmm/guest_abi.h").read_text()):
        problems.append("vmm/guest_abi.h does not name the call: VIREO_HC_HASH = 64")
    if not re.search(r"^\| 64 \| `VIREO_HC_HASH` \|", (ROOT / "docs/HYPERCALLS.md").read_text(),
                     re.MULTILINE):
        problems.append("docs/HYPERCALLS.md has no row for it: | 64 | `VIREO_HC_HASH` | ...")
    finish(LAB, problems)


main()
