"""The `kb` command line: check, graph, stats, and the editing commands new and rename."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb import diagnostics as diag
from kb.collector import without_cycle_collection
from kb.results import CheckResult, reused_result, save_result, saved_check, vault_state
from kb.settings import Settings, SettingsError, read_mkdocs_yml

if TYPE_CHECKING:
    from kb.analysis import Analysis
    from kb.vault import Listing

# The modules that load and analyse notes (YAML, JSON Schema, NetworkX) are imported by the commands
# that need them: `kb check` of an unchanged vault answers without them, in a fraction of a second.

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
    config: Path | None = None  # the mkdocs.yml read, if its docs_dir is this notes folder


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
    own = site is not None and site.docs_dir.resolve() == root.resolve()
    home = config_path.parent.resolve() if site else None
    project = home if home and root.resolve().is_relative_to(home) else root.resolve().parent
    settings = site.settings if site else Settings()
    return Target(root, settings, prefix.replace(os.sep, "/"), project, config_path if own else None)


def notes_relative(written: str, target: Target) -> str:
    """A note or folder argument as a path inside the notes folder (`notes/claims/mbi.md` -> `claims/mbi.md`)."""
    path = Path(written)
    shown = written.replace(os.sep, "/")
    if not (path.is_absolute() or path.exists() or (target.prefix and shown.startswith(target.prefix))):
        return written  # a note name or id, or a path already inside the notes folder
    relative = os.path.relpath(path.absolute(), target.root.absolute())
    if relative.startswith(".."):
        raise UsageError(f"'{written}' is outside the notes folder '{target.root}'")
    return relative.replace(os.sep, "/")


def check_target(target: Target, use_cache: bool, listed: Listing | None = None) -> Analysis:
    """Load and check the target's notes, reusing unchanged notes from the on-disk cache if allowed."""
    from kb.analysis import analyze_vault
    from kb.cache import load_cached

    settings = target.settings
    use_cache = use_cache and settings.cache
    vault = load_cached(
        target.root, target.project, settings.slugify, settings.separator, use_cache, listed, settings.unpublished
    )
    return analyze_vault(vault, settings)


def check_result(target: Target, use_cache: bool) -> CheckResult:
    """The diagnostics of the target's notes. With the cache, those of an unchanged vault (or of a fresh
    checkout: new times, the same bytes) are the last check's, and after a few edits only the edited
    notes are checked again where that is enough."""
    if not (use_cache and target.settings.cache):
        analysis = check_target(target, False)
        return CheckResult(analysis.diagnostics, tuple(note.path for note in analysis.vault.notes))
    root, project = target.root, target.project
    state = vault_state(root, target.settings, datetime.date.today())
    saved = saved_check(project, root, state)
    result = reused_result(project, root, state, saved)
    if result is not None:
        return result
    from kb.recheck import recheck, save_state

    checked = recheck(project, root, target.settings, state, saved)
    if checked is None:
        analysis = check_target(target, True, (state.entries, state.problems))
        save_state(project, state, analysis)
        notes = tuple(note.path for note in analysis.vault.notes)
        checked = CheckResult(analysis.diagnostics, notes), analysis.vault.digests
    save_result(project, root, state, *checked)
    return checked[0]


def cmd_check(args: argparse.Namespace) -> int:
    target = locate(args.notes_dir, args.config)
    result = check_result(target, args.cache)
    found = result.diagnostics
    notes = len(result.notes)
    scope = ""
    if args.changed_only:
        from kb.changed import ChangedError, changed_files

        try:
            changed = changed_files(target.root, args.changed_only)
        except ChangedError as error:
            raise UsageError(str(error)) from None
        found = tuple(d for d in found if d.path in changed)
        notes = sum(path in changed for path in result.notes)
        scope = f" changed since {args.changed_only}"
    if args.format == "json":
        print(diag.to_json(found))
    else:
        formatter = diag.format_github if args.format == "github" else diag.format_text
        for d in found:
            print(formatter(d, target.prefix))
    print(f"kb: {diag.summary(found)} in {notes} note{'' if notes == 1 else 's'}{scope}", file=sys.stderr)
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_PROBLEMS if any(d.severity in failing for d in found) else EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    from kb.graph import graphml, node_link_json

    target = locate(args.notes_dir, args.config)
    result = check_target(target, args.cache)
    text = graphml(result.graph) if args.format == "graphml" else node_link_json(result.graph)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from kb.analysis import analyze
    from kb.stats import format_text, to_json, vault_stats

    target = locate(args.notes_dir, args.config)
    stats = vault_stats(analyze(target.root, target.settings), target.settings.stale_after_days, datetime.date.today())
    print(to_json(stats) if args.format == "json" else format_text(stats))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from kb.scaffold import ScaffoldError, new_note
    from kb.vault import load_vault

    target = locate(args.notes_dir, args.config)
    # A new note's name must differ from every note's, published or not.
    vault = load_vault(target.root, target.settings.slugify, target.settings.separator, unpublished=None)
    try:
        path = new_note(vault, args.title, notes_relative(args.folder, target) if args.folder else "")
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(target.prefix + path)
    print("kb: now write its description, text and sources, then run `kb check`", file=sys.stderr)
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    from kb.analysis import analyze_vault
    from kb.atomic import WriteError, replace_files
    from kb.redirects import RedirectError, add_redirect
    from kb.rename import RenameError, file_contents, plan_rename, unified_diff
    from kb.vault import load_vault

    target = locate(args.notes_dir, args.config)
    settings = target.settings
    # Unpublished notes too (drafts, templates): their links to the renamed note must follow it.
    vault = load_vault(target.root, settings.slugify, settings.separator, unpublished=None)
    analysis = analyze_vault(vault, settings)
    config = None if args.no_redirect else target.config
    try:
        plan = plan_rename(analysis, notes_relative(args.old, target), notes_relative(args.new, target))
        writes = file_contents(target.root, plan)
        config_text = config.read_text(encoding="utf-8") if config else ""
        if config:
            writes[config] = add_redirect(config_text, plan.old, plan.new).encode("utf-8")
    except (RenameError, RedirectError) as error:
        raise UsageError(f"{error}; nothing was changed") from None
    moved = f"{target.prefix}{plan.old} → {target.prefix}{plan.new}"
    done = f"{plan.links} link{'' if plan.links == 1 else 's'} in {plan.notes} note{'' if plan.notes == 1 else 's'}"
    redirect = f"; {plan.old} redirects to {plan.new} ({config})" if config else ""
    if args.dry_run:
        shown = [(target.prefix + before, target.prefix + after, old, new) for before, after, old, new in plan.changes]
        if config:
            name = os.path.relpath(config).replace(os.sep, "/")
            shown.append((name, name, config_text, writes[config].decode("utf-8")))
        sys.stdout.write(unified_diff(shown))
        print(f"kb: would move {moved} and rewrite {done}{redirect}; dry run, nothing changed", file=sys.stderr)
        return EXIT_OK
    new_file, old_file = target.root / plan.new, target.root / plan.old
    same_file = new_file.exists() and new_file.samefile(old_file)  # a change of case on a case-insensitive disk
    try:
        replace_files(writes, deletes=[] if same_file else [old_file])
    except WriteError as error:
        print(f"kb: error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"kb: moved {moved} and rewrote {done}{redirect}", file=sys.stderr)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kb", description="Check and explore a wikilinked Markdown knowledge base.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, *positionals: tuple[str, str]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        for positional, positional_help in positionals:
            sub.add_argument(positional, help=positional_help)
        sub.add_argument("notes_dir", nargs="?", help="notes folder (default: docs_dir of ./mkdocs.yml, else notes/)")
        sub.add_argument("--config", help="mkdocs.yml to read kb options from (default: ./mkdocs.yml if present)")
        sub.add_argument(
            "--no-cache", dest="cache", action="store_false", help="parse every note again, ignoring .kb-cache/"
        )
        return sub

    check = command("check", "check every link and note; exit 1 if any error")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--changed-only", metavar="REF", help="report only files changed since a git revision (links still resolve)"
    )
    check.set_defaults(run=cmd_check)

    graph = command("graph", "write the link graph")
    graph.add_argument("--format", choices=("json", "graphml"), default="json")
    graph.add_argument("-o", "--output", help="file to write (default: standard output)")
    graph.set_defaults(run=cmd_graph)

    stats = command("stats", "count notes, links, orphans, dead ends, reviews due and tags")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    stats.set_defaults(run=cmd_stats)

    new = command("new", "create a note with its frontmatter filled in; print its path", ("title", "the note's title"))
    new.add_argument("--folder", help="topic folder inside the notes folder, e.g. claims")
    new.set_defaults(run=cmd_new)

    rename = command(
        "rename",
        "rename or move a note and rewrite every link to it; the old address redirects to the new one",
        ("old", "the note: its name (mbi), id (payers/mbi) or path"),
        ("new", "a new name (same folder), or a path from the notes folder (payers/medicare-id, ./at-the-top)"),
    )
    rename.add_argument("--dry-run", action="store_true", help="print the changes as a diff; change nothing")
    rename.add_argument("--no-redirect", action="store_true", help="do not record a redirect in mkdocs.yml")
    rename.set_defaults(run=cmd_rename)
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
