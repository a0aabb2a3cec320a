# SPDX-License-Identifier: MIT
"""What the lab checks (`make lab-NAME`, docs/LABS.md) share: boot guests under QEMU (AMD-V),
keep the transcript, and say plainly whether the lab is done and, if not, what is missing."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import harness  # noqa: E402  (tests/integration is where the harness lives)
from harness import GUESTS, ROOT, Module  # noqa: E402,F401  (for the checks)

LOGS = harness.BUILD / "labs"


def boot(lab: str, modules: list, inputs: tuple = (), until: str | None = None) -> harness.Run:
    """One QEMU boot of the kernel with these modules; its transcript goes to build/labs/.
    inputs and until: console lines typed and when to end (harness.run_qemu)."""
    run = harness.run_qemu(harness.make_iso("", tuple(modules)), smp=2, timeout=30,
                           inputs=inputs, until=until)
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"{lab}.log").write_text(run.describe())
    if run.timed_out:
        finish(lab, ["the VMs had not finished after 30 s"])
    return run


def finish(lab: str, problems: list) -> None:
    """Report, and exit with status 0 when there are no problems, else 1."""
    if not problems:
        print(f"lab {lab}: PASS")
        sys.exit(0)
    print(f"lab {lab}: FAIL")
    for p in problems:
        print("  - " + p.replace("\n", "\n    "))
    print(f"  (the whole transcript: {LOGS / (lab + '.log')}; the lab: docs/LABS.md)")
    sys.exit(1)
