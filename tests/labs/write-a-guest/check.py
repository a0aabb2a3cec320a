# SPDX-License-Identifier: MIT
"""make lab-write-a-guest: boot guests/pascal twice, with names and row counts picked at random
(a few rows and many), and compare what each printed with the triangle computed here."""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lab_check import GUESTS, Module, boot, finish  # noqa: E402

LAB = "write-a-guest"


def triangle(rows: int) -> list:
    lines, row = [], [1]
    for _ in range(rows):
        lines.append(" ".join(map(str, row)))
        row = [1] + [a + b for a, b in zip(row, row[1:])] + [1]
    return lines


def differences(name: str, rows: int, got: list) -> list:
    want = [f"pascal: {rows} rows for VM '{name}'"] + triangle(rows)
    for i, line in enumerate(want):
        if i >= len(got):
            return [f"VM {name} (-- {rows}) stopped printing before line {i + 1}: {line!r}"]
        if got[i] != line:
            return [f"VM {name} (-- {rows}), line {i + 1}: printed {got[i]!r}, expected {line!r}"]
    if len(got) > len(want):
        return [f"VM {name} (-- {rows}) printed more than {len(want)} lines: {got[len(want)]!r}"]
    return []


def main() -> None:
    rng = random.Random()
    vms = [(f"tri{rng.randrange(100, 500)}", rng.randint(1, 5)),
           (f"tri{rng.randrange(500, 1000)}", rng.randint(10, 20))]
    run = boot(LAB, [Module(GUESTS / "pascal.elf", f"guest {name} mem=4M -- {rows}")
                     for name, rows in vms])
    problems = []
    for name, rows in vms:
        problems += differences(name, rows, [text for _, text in run.guest_lines(name)])
        if not run.has(rf"vm\d+ {name}: exited with code 0$"):
            problems.append(f"VM {name} did not exit with code 0")
    finish(LAB, problems)


main()
