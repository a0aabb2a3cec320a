# SPDX-License-Identifier: MIT
"""The VM config file on the host, no emulator: build/tools/vireo-config accepts only TOML
that Python's tomllib reads to the very same values (every example in the docs, every .toml
under tests/ and iso/), and refuses the bad examples with exactly the messages expected."""

import json
import re
import subprocess
import tomllib

import pytest

from harness import BUILD, ROOT

VIREO_CONFIG = BUILD / "tools" / "vireo-config"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The fuzzer's seeds (tests/fuzz/corpus/) are copies, good and bad alike: not examples.
TOML_FILES = sorted([*(p for p in (ROOT / "tests").rglob("*.toml") if "fuzz" not in p.parts),
                     *(ROOT / "iso").glob("*.toml")])
BAD_FILES = [f for f in TOML_FILES if f.with_suffix(".expected").exists()]
GOOD_FILES = [f for f in TOML_FILES if f not in BAD_FILES]


def doc_examples():
    """Every ```toml block of the docs, as (where, text)."""
    for doc in DOCS:
        for i, m in enumerate(re.finditer(r"^```toml\n(.*?)^```", doc.read_text(),
                                          re.MULTILINE | re.DOTALL)):
            yield pytest.param(m.group(1), id=f"{doc.name}-{i}")


def vireo_config(command, path):
    return subprocess.run([str(VIREO_CONFIG), command, str(path)], capture_output=True,
                          text=True, cwd=ROOT)


def assert_read_alike(path):
    shown = vireo_config("show", path)
    assert shown.returncode == 0, f"{path}: refused:\n{shown.stderr}"
    assert shown.stderr == ""
    with open(path, "rb") as f:
        assert json.loads(shown.stdout) == tomllib.load(f)


def test_the_docs_have_examples():
    assert len(list(doc_examples())) >= 2
    assert len(GOOD_FILES) >= 1 and len(BAD_FILES) >= 2


@pytest.mark.parametrize("text", doc_examples())
def test_every_doc_example_is_read_as_tomllib_reads_it(text, tmp_path):
    path = tmp_path / "example.toml"
    path.write_text(text)
    assert_read_alike(path)


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_good_file_is_read_as_tomllib_reads_it(path):
    assert vireo_config("check", path).returncode == 0
    assert_read_alike(path)


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bad_files_are_refused_with_each_line_and_what_was_expected(path):
    label = str(path.relative_to(ROOT))  # the file's name in the messages
    checked = vireo_config("check", label)
    expected = [f"{label}:{line}" for line in path.with_suffix(".expected").read_text()
                .splitlines()]
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert checked.stderr.splitlines() == expected
    assert vireo_config("show", path).returncode == 1


# Small files at the edges of the subset: what vireo-config takes, tomllib must read the same.
EDGES = [
    "[vm.a]\nx = 0\n", "[vm.a]\nx = 0x7fffffffffffffff\n", "[vm.a]\nx = 1_2_3\n",
    "[vm.a]\nx = 0xA_b\n", "[vm.a]\nx = \"\\\" \\\\ \\b \\t \\n \\f \\r\"\n",
    "[vm.a]\nx = \"\"\n", "[vm.a]\nx = [ ]\n", "[vm.a]\nx = [1,]\n",
    "[vm.a]\nx = [\n# c\n1,\n\n2 # d\n]\n", "[ vm . a ]\r\nx=true\r\n", "[vm.a]\nx = \"tab\there\"\n",
    "[vm.-_1]\n", "[vm.a]\n\tx\t=\tfalse\t# c\n", "# only\n", "",
    # and what TOML itself forbids, which both must refuse
    "[vm.a]\nx = 01\n", "[vm.a]\nx = 1__2\n", "[vm.a]\nx = _1\n", "[vm.a]\nx = 0X1\n",
    "[vm.a]\nx = 1\nx = 2\n", "[vm.a]\n[vm.a]\n", "[vm.a]\nx = \"\\q\"\n", "[vm.a]\nx = \"a\n",
    "[vm.a]\nx = 0x\n", "[vm.a]\nx = [1 2]\n", "[vm.a]\nx = [,]\n", "[vm.a]\nx = 9223372036854775808\n",
    "[vm.a]\nx = \"\x01\"\n", "[vm.a]\n# \x7f\n", "[vm.a]\nx = tru\n", "[vm.a] x = 1\n",
    "[vm.a]\nx = 1 # c\x00\n", "[vm.a]\nx = \"a\"b\n",
]


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_what_vireo_takes_tomllib_reads_the_same(text, tmp_path):
    path = tmp_path / "edge.toml"
    path.write_bytes(text.encode())
    taken = vireo_config("show", path)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert taken.returncode == 1, f"Vireo took what TOML forbids: {text!r}"
        return
    if taken.returncode == 0:
        assert json.loads(taken.stdout) == expected, text
    else:  # outside the subset, or not a VM config (x is no option): said so, with a line
        assert re.match(r"^\S+:\d+: ", taken.stderr), taken.stderr
