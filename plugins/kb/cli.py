"""The `kb` command line: check, graph (and the editing commands)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kb import diagnostics as diag
from kb.analysis import Analysis, analyze_vault, without_cycle_collection
from kb.cache import load_cached
from kb.graph import graphml, node_link_json
from kb.settings import Settings, SettingsError, read_mkdocs_yml

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how `kb` was called; printed without a traceback, exit 2."""


@dataclass(frozen=True, slots=True)
class Target:
    """The notes folder a command works on and the settings that apply to it."""

    root: Path
    settings: Settings
    prefix: str  # how paths are shown: the notes folder relative to the current directory
    project: Path  # where `.kb-cache/` goes: mkdocs.yml's folder if the notes are in it, else the notes' parent


def locate(notes_dir: str | None, config: str | None) -> Target:
    """The notes folder (argument, else mkdocs.yml's docs_dir, else notes/) and its settings."""
    config_path = Path(config) if config else Path("mkdocs.yml")
    if config and not config_path.is_file():
        raise UsageError(f"config file '{config}' not found")
    try:
        site = read_mkdocs_yml(config_path) if config_path.is_file() else None
    except SettingsError as error:
        raise UsageError(str(error)) from None
    root = Path(notes_dir) if notes_dir else site.docs_dir if site else Path("notes")
    if not root.is_dir():
        raise UsageError(
            f"notes folder '{root}' not found; pass the folder that holds your notes, e.g. 'kb check notes'"
        )
    shown = os.path.relpath(root)
    prefix = "" if shown == "." else (str(root.resolve()) if shown.startswith("..") else shown) + "/"
    home = config_path.parent.resolve() if site else None
    project = home if home and root.resolve().is_relative_to(home) else root.resolve().parent
    return Target(root, site.settings if site else Settings(), prefix.replace(os.sep, "/"), project)


def check_target(target: Target, use_cache: bool) -> Analysis:
    """Load and check the target's notes, reusing unchanged notes from the on-disk cache if allowed."""
    settings = target.settings
    vault = load_cached(target.root, target.project, settings.slugify, settings.separator, use_cache and settings.cache)
    return analyze_vault(vault, settings)


def cmd_check(args: argparse.Namespace) -> int:
    target = locate(args.notes_dir, args.config)
    result = check_target(target, args.cache)
    found = result.diagnostics
    if args.format == "json":
        print(diag.to_json(found))
    else:
        formatter = diag.format_github if args.format == "github" else diag.format_text
        for d in found:
            print(formatter(d, target.prefix))
    notes = len(result.vault.notes)
    print(f"kb: {diag.summary(found)} in {notes} note{'' if notes == 1 else 's'}", file=sys.stderr)
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_PROBLEMS if any(d.severity in failing for d in found) else EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    target = locate(args.notes_dir, args.config)
    result = check_target(target, args.cache)
    text = graphml(result.graph) if args.format == "graphml" else node_link_json(result.graph)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kb", description="Check and explore a wikilinked Markdown knowledge base.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("notes_dir", nargs="?", help="notes folder (default: docs_dir of ./mkdocs.yml, else notes/)")
        sub.add_argument("--config", help="mkdocs.yml to read kb options from (default: ./mkdocs.yml if present)")
        sub.add_argument(
            "--no-cache", dest="cache", action="store_false", help="parse every note again, ignoring .kb-cache/"
        )
        return sub

    check = command("check", "check every link and note; exit 1 if any error")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.set_defaults(run=cmd_check)

    graph = command("graph", "write the link graph")
    graph.add_argument("--format", choices=("json", "graphml"), default="json")
    graph.add_argument("-o", "--output", help="file to write (default: standard output)")
    graph.set_defaults(run=cmd_graph)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with without_cycle_collection():
            return args.run(args)
    except UsageError as error:
        print(f"kb: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"kb: error: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
