"""The README documents what the code does: codes, options and a real `kb check` run."""

from __future__ import annotations

import re
import subprocess
import sys

from kb.diagnostics import DEFAULT_SEVERITY
from kb.settings import OPTIONS

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def table_rows(first_column: str) -> dict[str, str]:
    """{name: second column} of the rows of README tables whose header's first cell is `first_column`."""
    tables = re.findall(rf"^\| {first_column} \|.*\n((?:\|.*\n)+)", README, re.MULTILINE)
    rows = "".join(tables)
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `([^`]+)` \| `?([^|`]+?)`? \|", rows, re.MULTILINE)}


def test_every_diagnostic_code_is_documented_with_its_default() -> None:
    rows = table_rows("code")
    assert {code: rows.get(code) for code in DEFAULT_SEVERITY} == DEFAULT_SEVERITY


def test_every_option_is_documented_with_its_default() -> None:
    rows = table_rows("option")
    documented = {name: rows.get(name) for name in OPTIONS}
    expected = {
        name: str(default).lower() if isinstance(default, bool) else str(default)
        for name, (default, _, _) in OPTIONS.items()
    }
    assert documented == expected


def test_the_kb_check_example_is_a_real_run() -> None:
    block = README.split("$ kb check tests/fixtures/broken-vault\n", 1)[1].split("```", 1)[0]
    run = subprocess.run(
        [sys.executable, "-m", "kb.cli", "check", "tests/fixtures/broken-vault"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert block == run.stdout + run.stderr
