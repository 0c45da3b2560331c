"""Benchmark the link engine and the site build on synthetic vaults, in one run, as ratios.

    python scripts/bench.py [--sizes 1000,5000,10000] [--repeat 3] [--site-scale]

Engine mode (default) measures, on the same corpora: the floor (read every note, split the
frontmatter, run a wikilink regex), `kb check` without and with its cache (unchanged, after an
edit, and in a fresh checkout into which CI restored the cache), `kb graph --format json`, a plain
`mkdocs build` with the project's theme and no kb plugin, the same build with kb, and the same
build with a peer wikilink plugin if one is installed (not a project dependency:
`pip install mkdocs-roamlinks-plugin==0.3.2 mkdocs-ezlinks-plugin==0.1.14`).
Site-scale mode builds with the project's own mkdocs.yml and with Material's defaults and
reports build time, peak memory, site size and size per note.

Every measured thing runs in its own process (peak RSS from wait4); cells are medians of the
repeats, which are interleaved so that a change in machine load hits every case alike. Growth
exponents are least-squares slopes of log(time) against log(notes) over the sizes asked for; engine
mode also runs every case on a vault of one note, what it costs to start (Python, imports, workers),
and fits the time above that too: the growth of the work each note brings. A case whose time would pass
--budget (predicted from the smaller sizes, or reached while running) is skipped and says so.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import inspect
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_corpus  # noqa: E402  (a sibling script, not a package)

PEERS = {"roamlinks": "mkdocs-roamlinks-plugin", "ezlinks": "mkdocs-ezlinks-plugin"}
STARTUP_NOTES = 1  # engine mode's smallest vault: what each case costs to start
# Smaller vaults predict nothing for --budget: their time is mostly starting up, and scaled up to
# 1,000 notes, the one-note vault's 0.3 s check (or 1 s build) would skip cases that take a few seconds.
PREDICT_MIN_NOTES = 100
# Each run may write bytecode, as an installed tool's does: else every run compiles kb's source again.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
}


def floor(notes: str) -> int:
    """The least any checker must do: read every note, split off its frontmatter, find its links."""
    import os
    import re

    link = re.compile(r"\[\[([^\[\]\n]*)\]\]")
    links = 0
    for folder, _, names in os.walk(notes):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as file:
                    text = file.read()
                if text.startswith("---\n"):
                    end = text.find("\n---", 3)
                    text = text[end + 4 :] if end >= 0 else text
                links += len(link.findall(text))
    return links


# The floor runs in a bare interpreter (no imports but os and re), so that it is a true lower bound.
FLOOR_SCRIPT = inspect.getsource(floor) + "\nimport sys\nfloor(sys.argv[1])\n"


@dataclass
class Run:
    seconds: float
    rss_mb: float
    ok: bool
    cpu_seconds: float = 0.0  # user + system time of the process and the processes it waited for

    def time(self, cpu: bool = False) -> float:
        return self.cpu_seconds if cpu else self.seconds


def measure(command: list[str], cwd: Path, timeout: float, ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Wall time, peak resident memory and CPU time of one process; `ok` is False if it failed or timed out."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if code not in ok_codes:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip()[-400:]
            print(f"  ! {' '.join(command[-4:])} exited {code} after {seconds:.0f} s: {tail}", file=sys.stderr)
    return Run(seconds, usage.ru_maxrss / 1024, code in ok_codes, usage.ru_utime + usage.ru_stime)


def corpus(out: Path, size: int, seed: int) -> Path:
    """The vault of `size` notes, generated once and reused while the generator is unchanged."""
    digest = hashlib.sha256(Path(gen_corpus.__file__).read_bytes()).hexdigest()[:12]
    folder = out / f"corpus-{size}-seed{seed}"
    stamp = folder / "corpus.stamp"
    if not (stamp.is_file() and stamp.read_text() == digest):
        shutil.rmtree(folder, ignore_errors=True)
        gen_corpus.generate(folder, size, seed)
        stamp.write_text(digest)
    return folder


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its plugin list; tags such as !!python/name are kept out of the way."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def project_plugins() -> list[Any]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    return list(config.get("plugins") or [])


def plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def write_config(folder: Path, name: str, settings: dict[str, Any]) -> Path:
    path = folder / f"mkdocs-{name}.yml"
    body = {"docs_dir": "notes", "site_dir": f"site-{name}", **settings}
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path


def installed_peers() -> list[str]:
    names = {entry.name for entry in importlib.metadata.entry_points(group="mkdocs.plugins")}
    return [name for name in PEERS if name in names]


@dataclass
class Case:
    """One measured thing: how to run it on a corpus, and what to do before each run."""

    name: str
    command: Callable[[Path], list[str]]
    before: Callable[[Path], None] = lambda folder: None
    site: str | None = None  # the site folder it builds, to measure
    ok_codes: tuple[int, ...] = (0,)
    hooks: dict[int, list[float]] = field(default_factory=dict)  # seconds spent in kb's hooks, if timed
    runs: dict[int, list[Run]] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)
    site_mb: dict[int, float] = field(default_factory=dict)

    def median(self, size: int, cpu: bool = False) -> float | None:
        runs = [run.time(cpu) for run in self.runs.get(size, []) if run.ok]
        return statistics.median(runs) if runs else None

    def peak(self, size: int) -> float | None:
        runs = [run.rss_mb for run in self.runs.get(size, []) if run.ok]
        return max(runs) if runs else None

    def exponent(self, sizes: Sequence[int], less: float = 0.0) -> float | None:
        """The slope of log(time - `less`) against log(notes) over `sizes`."""
        points = [(math.log(n), math.log(t - less)) for n in sizes if (t := self.median(n)) and t > less]
        if len(points) < 2:
            return None
        mean_x = statistics.fmean(x for x, _ in points)
        mean_y = statistics.fmean(y for _, y in points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else None

    def predicted(self, size: int) -> float | None:
        """This case's time at `size`, from the largest size measured so far, if any is large enough."""
        done = [n for n in sorted(self.runs) if PREDICT_MIN_NOTES <= n < size and self.median(n)]
        if not done:
            return None
        slope = max(1.0, self.exponent(done) or 1.0)
        return self.median(done[-1]) * (size / done[-1]) ** slope  # type: ignore[operator]


def mkdocs(config: str) -> Callable[[Path], list[str]]:
    return lambda folder: [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / config)]


# `mkdocs build` with every kb hook timed; the total goes to HOOK_FILE in the current folder, so that
# the engine's own share of the build is told apart from rendering the extra content it adds.
HOOK_FILE = "kb-hook-seconds.txt"
HOOK_TIMER = f"""
import atexit, functools, sys, time
from kb.plugin import KnowledgeBasePlugin
spent = [0.0]
def timed(hook):
    @functools.wraps(hook)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return hook(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
    return run
for name, hook in list(vars(KnowledgeBasePlugin).items()):
    if name.startswith("on_"):
        setattr(KnowledgeBasePlugin, name, timed(hook))
atexit.register(lambda: open("{HOOK_FILE}", "w").write(str(spent[0])))
from mkdocs.__main__ import cli
cli(sys.argv[1:])
"""


def mkdocs_timing_kb(config: str) -> Callable[[Path], list[str]]:
    return lambda folder: [sys.executable, "-c", HOOK_TIMER, "build", "-q", "-f", str(folder / config)]


def clear_cache(folder: Path) -> None:
    shutil.rmtree(folder / ".kb-cache", ignore_errors=True)


FLOOR, CHECK, GRAPH = "floor: read, split, regex", "kb check --no-cache", "kb graph"
CHECK_WARM, CHECK_EDITED = "kb check, vault unchanged", "kb check, one note edited"
CHECK_EDITED_EMBED = "kb check, one embedding note edited"
CHECK_CHECKOUT = "kb check, fresh checkout, .kb-cache restored"
PLAIN, WITH_KB = "mkdocs build, no kb", "mkdocs build with kb"
WITH_KB_CACHED = "mkdocs build with kb, notes cached"
EDIT = "\n<!-- edited for the benchmark -->\n"
NOTE_EMBED_RE = re.compile(r"!\[\[[^\].|#]+(?:\.md)?(?:[#|][^\]]*)?\]\]")  # ![[note]], ![[note#Heading]]; no image


def prime_cache(folder: Path) -> None:
    """Check once, so that the cache holds every note and the result of checking them."""
    subprocess.run([sys.executable, "-m", "kb.cli", "check", "notes"], cwd=folder, env=ENV, capture_output=True)


def edit_one_note(folder: Path, embedding: bool = False) -> None:
    """Prime the cache, then change one note as an editor saving it would (adding or removing a line).

    The note is the first by path, or with `embedding` the first that embeds another note, not an image
    (its edit can change what other notes' checks find: the vault's embed cycles and depths are worked
    out again). The edit is dated 10 s ago, past the cache's "racy" window, as when an editor saves and
    then runs `kb check`.
    """
    prime_cache(folder)
    notes = sorted((folder / "notes").rglob("*.md"))
    embeds = (n for n in notes if NOTE_EMBED_RE.search(n.read_text(encoding="utf-8")))
    note = next(embeds, notes[0]) if embedding else notes[0]  # a corpus without embeds: the first note
    text = note.read_text(encoding="utf-8")
    note.write_text(text.removesuffix(EDIT) if text.endswith(EDIT) else text + EDIT, encoding="utf-8")
    when = time.time() - 10
    os.utime(note, (when, when))


def fresh_checkout(folder: Path) -> None:
    """Prime the cache, then give every file a new time, as a fresh checkout into which CI restores
    `.kb-cache/` does."""
    prime_cache(folder)
    when = time.time() - 10
    for path in (folder / "notes").rglob("*"):
        os.utime(path, (when, when))


def engine_cases(builds: bool) -> list[Case]:
    kb = [sys.executable, "-m", "kb.cli"]
    problems = (0, 1)  # kb exits 1 on the corpus's deliberate broken links
    cases = [
        Case(FLOOR, lambda f: [sys.executable, "-c", FLOOR_SCRIPT, str(f / "notes")]),
        Case(CHECK, lambda f: [*kb, "check", "notes", "--no-cache"], ok_codes=problems),
        Case(CHECK_WARM, lambda f: [*kb, "check", "notes"], before=prime_cache, ok_codes=problems),
        Case(CHECK_EDITED, lambda f: [*kb, "check", "notes"], before=edit_one_note, ok_codes=problems),
        Case(
            CHECK_EDITED_EMBED,
            lambda f: [*kb, "check", "notes"],
            before=lambda f: edit_one_note(f, embedding=True),
            ok_codes=problems,
        ),
        Case(CHECK_CHECKOUT, lambda f: [*kb, "check", "notes"], before=fresh_checkout, ok_codes=problems),
        Case(GRAPH, lambda f: [*kb, "graph", "notes", "--no-cache", "-o", str(f / "graph.json")], ok_codes=problems),
    ]
    if builds:
        cases += [
            Case(PLAIN, mkdocs("mkdocs-plain.yml"), site="site-plain"),
            Case(WITH_KB, mkdocs_timing_kb("mkdocs-kb.yml"), before=clear_cache, site="site-kb"),
            # as a rebuild on an editor's machine: the notes parsed and checked by the build before
            Case(WITH_KB_CACHED, mkdocs_timing_kb("mkdocs-kb.yml"), site="site-kb"),
        ]
        cases += [
            Case(f"mkdocs build with {p}", mkdocs(f"mkdocs-{p}.yml"), site=f"site-{p}") for p in installed_peers()
        ]
    return cases


def ratios(cases: list[Case], sizes: list[int]) -> list[str]:
    """The claims: each case against its baseline, measured in the same run."""
    by_name = {case.name: case for case in cases}
    checks = (CHECK, CHECK_WARM, CHECK_EDITED, CHECK_EDITED_EMBED, CHECK_CHECKOUT, GRAPH)
    pairs = [(name, FLOOR) for name in checks]
    pairs += [(case.name, PLAIN) for case in cases if case.name.startswith("mkdocs build with")]
    lines = ["| ratio | " + " | ".join(f"{n:,} notes" for n in sizes) + " |", "|---" * (len(sizes) + 1) + "|"]
    for top, bottom in pairs:
        a, b = by_name[top], by_name[bottom]
        lines.append(f"| {top} / {bottom} | " + " | ".join(ratio(a, b, n) for n in sizes) + " |")
        if bottom == PLAIN:  # a build may use a second CPU: its CPU time tells the work from the wait
            lines.append(f"| {top} / {bottom}, CPU time | " + " | ".join(ratio(a, b, n, True) for n in sizes) + " |")
    for name in (WITH_KB, WITH_KB_CACHED):
        if name in by_name:
            cells = [hook_share(by_name[name], by_name[PLAIN], n) for n in sizes]
            lines.append(f"| kb's own hooks in `{name}` / {PLAIN} | " + " | ".join(cells) + " |")
    return lines


def hook_share(timed: Case, plain: Case, size: int) -> str:
    """The seconds spent in kb's hooks during `timed`'s build, and as a share of the plain build."""
    hooks, base = timed.hooks.get(size), plain.median(size)
    if not (hooks and base):
        return "n/a"
    return f"{statistics.median(hooks):.2f} s = {statistics.median(hooks) / base:.2f}x"


def engine_configs(folder: Path) -> None:
    plugins = project_plugins()
    inherit = {"INHERIT": str(ROOT / "mkdocs.yml")}
    write_config(folder, "plain", {**inherit, "plugins": [p for p in plugins if plugin_name(p) != "kb"]})
    write_config(folder, "kb", {**inherit, "plugins": plugins})
    for peer in installed_peers():
        swapped = [peer if plugin_name(p) == "kb" else p for p in plugins]
        write_config(folder, peer, {**inherit, "plugins": swapped})


def site_cases() -> list[Case]:
    return [
        Case("ours: project mkdocs.yml, kb on", mkdocs("mkdocs-kb.yml"), before=clear_cache, site="site-kb"),
        Case("Material defaults, no kb", mkdocs("mkdocs-material.yml"), site="site-material"),
    ]


def site_configs(folder: Path) -> None:
    write_config(folder, "kb", {"INHERIT": str(ROOT / "mkdocs.yml"), "plugins": project_plugins()})
    project = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    write_config(
        folder,
        "material",
        {
            "site_name": "bench",
            "theme": {"name": "material"},
            "plugins": ["search"],
            "markdown_extensions": project.get("markdown_extensions") or [],
        },
    )


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run_all(cases: list[Case], folders: dict[int, Path], repeat: int, budget: float, max_build: int) -> None:
    for size, folder in folders.items():
        for case in cases:
            guess = case.predicted(size)
            if guess is not None and guess > budget:
                case.skipped[size] = f"skipped (> {budget:.0f} s; predicted {guess:.0f} s)"
            elif case.site and size > max_build:
                case.skipped[size] = f"not run (> --max-build-notes {max_build:,})"
        for number in range(repeat):
            for case in cases:
                if size in case.skipped:
                    continue
                case.before(folder)
                run = measure(case.command(folder), folder, budget, case.ok_codes)
                case.runs.setdefault(size, []).append(run)
                if not run.ok and run.seconds >= budget:
                    case.skipped[size] = f"skipped (> {budget:.0f} s)"
                    case.runs[size] = []
                    continue
                if case.site and number == 0:
                    case.site_mb[size] = folder_mb(folder / case.site)
                if (folder / HOOK_FILE).is_file():
                    case.hooks.setdefault(size, []).append(float((folder / HOOK_FILE).read_text()))
                    (folder / HOOK_FILE).unlink()
                line = f"{run.seconds:8.2f} s {run.rss_mb:7.0f} MB {run.cpu_seconds:8.2f} s CPU"
                print(f"  {size:>6} notes  {case.name:<36} {line}", file=sys.stderr)


def cell(case: Case, size: int, with_site: bool = False) -> str:
    if size in case.skipped:
        return case.skipped[size]
    seconds, peak = case.median(size), case.peak(size)
    if seconds is None or peak is None:
        return "failed"
    text = f"{seconds:.2f} s, {peak:.0f} MB"
    if with_site and size in case.site_mb:
        text += f", site {case.site_mb[size]:.0f} MB ({case.site_mb[size] * 1000 / size:.0f} KB/note)"
    return text


def ratio(top: Case, bottom: Case, size: int, cpu: bool = False) -> str:
    """The ratio of the two cases' medians and, over several rounds, the range of each round's ratio
    (a round runs every case once, in turn): how far the machine's noise moves it."""
    a, b = top.median(size, cpu), bottom.median(size, cpu)
    if not (a and b):
        return "n/a"
    pairs = zip(top.runs.get(size, []), bottom.runs.get(size, []), strict=False)  # a case over budget has none
    rounds = sorted(x.time(cpu) / y.time(cpu) for x, y in pairs if x.ok and y.ok and y.time(cpu))
    spread = f" ({rounds[0]:.2f}–{rounds[-1]:.2f}x)" if len(rounds) > 1 else ""
    return f"{a / b:.2f}x{spread}"


def table(cases: list[Case], sizes: list[int], with_site: bool, startup: int | None) -> list[str]:
    """A row per case: its time and memory at `startup` notes (if measured) and each of `sizes`, and
    the growth exponents over `sizes`, of the time and of the time above the startup's."""
    shown = [startup, *sizes] if startup else sizes
    head = "| | " + " | ".join(f"{n:,} note{'s' * (n > 1)}" for n in shown) + " | exponent |"
    head += f" exponent above {startup:,} note |" if startup else ""
    lines = [head, "|---" * (len(shown) + 2 + bool(startup)) + "|"]
    for case in cases:
        exponents = [case.exponent(sizes)]
        if startup:
            exponents.append(case.exponent(sizes, case.median(startup) or math.inf))
        row = [cell(case, n, with_site) for n in shown] + [f"{e:.2f}" if e is not None else "n/a" for e in exponents]
        lines.append(f"| {case.name} | " + " | ".join(row) + " |")
    return lines


def commit() -> str:
    """The commit being measured, and whether the work tree differs from it."""

    def git(*words: str) -> str:
        result = subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def context(args: argparse.Namespace, measured: str, load_at_start: float) -> list[str]:
    return [
        f"Command: `python scripts/bench.py {' '.join(sys.argv[1:])}`",
        f"Commit {measured}, {datetime.date.today()}, Python {platform.python_version()}, MkDocs "
        f"{importlib.metadata.version('mkdocs')}, Material {importlib.metadata.version('mkdocs-material')}, "
        f"{os.cpu_count()} cores, load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        f"Median of {args.repeat} interleaved runs; time is wall-clock, memory is the peak RSS of the process;"
        " CPU time counts the processes a build starts.",
    ]


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--sizes", default="1000,5000,10000", help="comma-separated numbers of notes")
    cli.add_argument("--repeat", type=int, default=3)
    cli.add_argument("--site-scale", action="store_true", help="site build time and size, ours vs Material defaults")
    cli.add_argument("--no-builds", action="store_true", help="engine mode without the MkDocs builds")
    cli.add_argument("--budget", type=float, default=900, help="seconds one run may take before it is skipped")
    cli.add_argument(
        "--max-build-notes", type=int, default=5000, help="engine mode: MkDocs builds only up to this many notes"
    )
    cli.add_argument("--seed", type=int, default=1)
    cli.add_argument("--out", type=Path, default=ROOT / "bench-out", help="where corpora and sites go")
    args = cli.parse_args(argv)
    try:
        sizes = sorted({int(part) for part in args.sizes.split(",")})
    except ValueError:
        cli.error(f"--sizes takes numbers separated by commas, not {args.sizes!r}")
    if not sizes or sizes[0] < 1 or args.repeat < 1:
        cli.error("sizes and --repeat must be at least 1")
    measured, load_at_start = commit(), os.getloadavg()[0]
    startup = None if args.site_scale or STARTUP_NOTES in sizes else STARTUP_NOTES
    folders = {}
    for size in sorted({*sizes, startup or sizes[0]}):
        folders[size] = corpus(args.out, size, args.seed)
        (site_configs if args.site_scale else engine_configs)(folders[size])
    cases = site_cases() if args.site_scale else engine_cases(not args.no_builds)
    run_all(cases, folders, args.repeat, args.budget, max(sizes) if args.site_scale else args.max_build_notes)

    lines = [*context(args, measured, load_at_start), "", *table(cases, sizes, args.site_scale, startup), ""]
    if not args.site_scale:
        lines += ratios(cases, sizes)
    report = "\n".join(lines)
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    mode = "site" if args.site_scale else "engine"
    (args.out / f"bench-{mode}-{stamp}.md").write_text(report + "\n", encoding="utf-8")
    raw = {c.name: {n: [vars(r) for r in runs] for n, runs in c.runs.items()} for c in cases}
    (args.out / f"bench-{mode}-{stamp}.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    failed = any(not run.ok for case in cases for runs in case.runs.values() for run in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
