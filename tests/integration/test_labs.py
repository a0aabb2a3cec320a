# SPDX-License-Identifier: MIT
"""Each lab check (`make lab-NAME`, docs/LABS.md) fails on the tree as shipped, saying what is
missing, and passes once tests/labs/NAME/solution.patch is applied. Both happen in a copy of
the tree, never in the tree itself; QEMU only."""

import re
import shutil
import subprocess

import pytest

from harness import ROOT

LABS = {  # lab -> what its check says on the tree as shipped
    "write-a-guest": r"line 1: printed \"pascal: not written yet; my arguments are '\d+'\", "
                     r"expected \"pascal: \d+ rows for VM 'tri\d+'\"",
    "add-a-hypercall": r"the hypervisor does not know hypercall 64 \(VIREO_HC_HASH\) yet",
    "add-a-device": r"Vireo does not know a device called \"ticket\" yet",
    "trace-an-exit": r"the trace's HLT records do not say whether the guest could take "
                     r"interrupts",
}


def make(tree, target):
    return subprocess.run(["make", "-s", "-j2", "-C", str(tree), target], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """The tree's files (what git has, and new files it does not ignore), built once."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], capture_output=True, check=True).stdout
    copy = tmp_path_factory.mktemp("tree")
    for name in filter(None, files.decode().split("\0")):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is skipped
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    built = make(copy, "all")
    assert built.returncode == 0, built.stdout + built.stderr
    return copy


@pytest.mark.parametrize("lab", LABS)
def test_lab_check_fails_as_shipped_and_passes_when_solved(lab, built_copy, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(built_copy, tree, symlinks=True)  # the build too: only changes rebuild
    shipped = make(tree, f"lab-{lab}")
    assert shipped.returncode != 0, f"lab-{lab} passed on the shipped tree:\n{shipped.stdout}"
    assert f"lab {lab}: FAIL" in shipped.stdout, shipped.stdout + shipped.stderr
    assert re.search(LABS[lab], shipped.stdout), shipped.stdout

    patch = ROOT / "tests" / "labs" / lab / "solution.patch"
    applied = subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "-d", str(tree),
                              "-i", str(patch)], capture_output=True, text=True)
    assert applied.returncode == 0, f"{patch.name} does not apply:\n{applied.stdout}"
    solved = make(tree, f"lab-{lab}")
    assert solved.returncode == 0, f"lab-{lab} fails with its solution:\n{solved.stdout}" \
                                   f"{solved.stderr}"
    assert f"lab {lab}: PASS" in solved.stdout
