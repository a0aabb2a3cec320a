# SPDX-License-Identifier: MIT
"""pytest fixtures: boot Vireo with a command line and modules, on QEMU, Bochs, or both.

    def test_something(boot):                # runs once under QEMU and once under Bochs
        run = boot(cmdline="loglevel=4", modules=[guest("hello16")])
        run.expect(r"hello from real mode")
        run.expect_clean_shutdown()

Transcripts of every run of a failed test are kept in build/test-logs/.
"""

import fcntl
import os
import re
import shutil
import subprocess

import pytest

import harness

LOGS = harness.BUILD / "test-logs"


@pytest.fixture(scope="session", autouse=True)
def built_kernel():
    """Build the kernel, the guests and the default ISO once per session: tests boot current
    code. Parallel workers (pytest -n) take turns, so that only the first one builds."""
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0":
        shutil.rmtree(LOGS, ignore_errors=True)
    harness.BUILD.mkdir(exist_ok=True)
    with open(harness.BUILD / ".test-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "-C", str(harness.ROOT), "all", "iso"], check=True)


@pytest.fixture
def runs(request):
    """Every Run a test makes; written to build/test-logs/ when the test fails."""
    collected = []
    yield collected
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        LOGS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        for i, run in enumerate(collected):
            path = LOGS / f"{name}.{i}.{run.emulator}.log"
            path.write_text(run.describe() + "\n--- emulator output ---\n" +
                            run.extra.get("emulator_output", ""))


def pytest_configure(config):
    config.addinivalue_line("markers", "first: a long test, started before the others so that "
                            "parallel workers end together")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("first") is None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _booter(emulator, runs):
    def boot(cmdline="", modules=(), timeout=None, until=None, **kwargs):
        """Boot an ISO made of the kernel, `cmdline` and `modules` (harness.Module); the
        emulator's own options pass through kwargs (smp=, cpus=, extra=, inputs=)."""
        iso = harness.make_iso(cmdline, tuple(modules))
        if emulator == "qemu":
            run = harness.run_qemu(iso, timeout=timeout or 60, until=until, **kwargs)
        elif emulator == "ryzen":
            run = harness.run_bochs(iso, timeout=timeout or 240, until=until,
                                    model=harness.BOCHS_AMD, **kwargs)
        else:
            run = harness.run_bochs(iso, timeout=timeout or 240, until=until, **kwargs)
        runs.append(run)
        return run
    return boot


@pytest.fixture
def qemu(runs):
    """boot(cmdline, modules, smp=, cpu=, ...) under QEMU TCG with AMD-V."""
    return _booter("qemu", runs)


@pytest.fixture
def bochs(runs):
    """boot(cmdline, modules, cpus=, ...) under Bochs with VT-x."""
    return _booter("bochs", runs)


@pytest.fixture
def ryzen(runs):
    """boot(cmdline, modules, cpus=, ...) under Bochs with its AMD Ryzen model: AMD-V with
    NPT and NRIP-save, for what QEMU's AMD-V does not emulate (or emulates wrongly)."""
    return _booter("ryzen", runs)


@pytest.fixture(params=["qemu", "bochs"])
def boot(request, runs):
    """The same boot under each emulator in turn: the AMD-V and the VT-x paths."""
    return _booter(request.param, runs)


@pytest.fixture(params=["bochs", "ryzen"])
def bochs_both(request, runs):
    """The same boot under Bochs as an Intel and as an AMD CPU: VT-x and AMD-V, for what
    QEMU's AMD-V cannot show."""
    return _booter(request.param, runs)
