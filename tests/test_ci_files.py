"""The GitHub Actions workflow and the pre-commit hooks run the commands the README documents."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.conftest import REPO

LANGUAGES = {"python", "system", "script", "node", "docker", "docker_image", "golang", "rust", "fail", "pygrep"}


def load(name: str) -> Any:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def test_workflow_installs_checks_builds_and_uploads_the_site_on_pull_requests() -> None:
    workflow = load(".github/workflows/kb.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps), "each step either uses an action or runs"
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ["make install", ".venv/bin/kb check --format github", ".venv/bin/mkdocs build --strict"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", action) for action in uses)
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".kb-cache" and "kb check" in steps[steps.index(cache) + 1]["run"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and steps.index(upload) > len(steps) - 2


def test_the_install_command_is_the_readmes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make install" in readme
    assert re.search(r"^install: ", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)


def check_hook(hook: dict[str, Any]) -> None:
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert hook["language"] in LANGUAGES
    assert hook["pass_filenames"] is False  # kb check resolves links against every note
    files = re.compile(hook["files"])
    assert files.search("notes/claims/cms-1500.md") and files.search("mkdocs.yml")
    assert not files.search("plugins/kb/cli.py")


def test_published_hook_runs_kb_check() -> None:
    hooks = load(".pre-commit-hooks.yaml")
    assert [hook["id"] for hook in hooks] == ["kb-check"]
    check_hook(hooks[0])
    assert hooks[0]["entry"] == "kb check" and hooks[0]["language"] == "python"


def test_this_repository_uses_the_same_hook() -> None:
    (published,) = load(".pre-commit-hooks.yaml")
    (repo,) = load(".pre-commit-config.yaml")["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    check_hook(hook)
    assert {k: hook[k] for k in ("id", "name", "files")} == {k: published[k] for k in ("id", "name", "files")}
    assert hook["entry"] == "make --silent check" and hook["language"] == "system"
