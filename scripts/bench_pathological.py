"""Time kb on pathological notes of growing size and fit the growth exponent (1 = linear).

For each input shape (deeply nested brackets, thousands of `[[`, one very long line, backtick runs
of many lengths, many `%%`, huge frontmatter, ...) it builds a note of each size and times what kb
does with it: load and parse, resolve and check, render the page's Markdown and a backlink context.
With --markdown it also times Python-Markdown turning the rendered page into HTML, as `mkdocs build`
does; that part is not kb's code, and is reported separately.

    .venv/bin/python scripts/bench_pathological.py            # sizes 25k..400k characters
    .venv/bin/python scripts/bench_pathological.py --sizes 10000 20000 --markdown
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from pathlib import Path

import markdown
from kb.analysis import analyze_vault
from kb.notes import Vault, parse_note
from kb.render import Backlinks, Page, render_markdown
from kb.settings import Settings

# Each shape makes a note body of about `n` characters; every one links to `b` so backlinks run too.
SHAPES: dict[str, Callable[[int], str]] = {
    "nested brackets": lambda n: "[[b]] " + "[" * (n // 2) + "x" + "]" * (n // 2),
    "[[ x N": lambda n: "[[b]] " + "[[" * (n // 2),
    "[[x x N": lambda n: "[[b]] " + "[[x" * (n // 3),
    "long line of links": lambda n: "[[b]] word " * (n // 11),
    "backtick runs 1-60": lambda n: "[[b]] " + "".join("`" * (i % 60 + 1) + "a" for i in range(n // 31)),
    "%% x N": lambda n: "[[b]] " + "a %% b " * (n // 7),
    "<!-- x N": lambda n: "[[b]] " + "<!-- " * (n // 5),
    "escapes": lambda n: "[[b]] " + "\\[" * (n // 2),
    "heading of [ and <": lambda n: "# " + "[<" * (n // 2) + "\n\n[[b]] [[a#x]]",
    "heading ending in #s": lambda n: "# a" + " #" * (n // 2) + "x\n\n[[b]]",
    "heading of spaces": lambda n: "# a" + " " * n + "x\n\n[[b]]",
    "huge frontmatter": lambda n: "---\n" + "".join(f"k{i}: v{i}\n" for i in range(n // 9)) + "---\n[[b]]",
    "many block ids": lambda n: "[[b]]\n" + "para ^a-b\n" * (n // 10),
    "quote markers": lambda n: "[[b]]\n" + "> " * (n // 2) + "x",
    "line of blanks": lambda n: "[[b]]\n" + " \t" * (n // 2) + "x\n" + "=" * 10,
    "fence markers": lambda n: "[[b]]\n" + "```\n[[b]]\n" * (n // 10),
    "setext underline": lambda n: "[[b]]\nTitle\n" + "=" * n + "x",
}
SITE_EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "toc", "admonition"]


def timed(action: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` runs, in seconds (the least disturbed by other work on the machine)."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def kb_handling(text: str) -> str:
    """Everything kb does with the note on `mkdocs build`; returns the rendered Markdown."""
    note, _ = parse_note("a.md", text.encode("utf-8"))
    target, _ = parse_note("b.md", b"# B\n")
    settings = Settings()
    analysis = analyze_vault(Vault(Path("."), (note, target), (), ()), settings)
    rendered = render_markdown(note.body, note, Page("a.md", analysis.index, settings))
    Backlinks(analysis, settings).entries(target)
    return rendered


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)


def run(sizes: list[int], repeat: int, with_markdown: bool) -> list[tuple[str, list[float], list[float]]]:
    rows = []
    for name, shape in SHAPES.items():
        kb_times, md_times = [], []
        for size in sizes:
            text = shape(size)
            kb_times.append(timed(lambda text=text: kb_handling(text), repeat))
            if with_markdown:
                rendered = kb_handling(text)
                md_times.append(timed(lambda r=rendered: markdown.markdown(r, extensions=SITE_EXTENSIONS), 1))
        rows.append((name, kb_times, md_times))
    return rows


def print_table(title: str, sizes: list[int], rows: list[tuple[str, list[float]]]) -> None:
    print(f"{title}: seconds by note size in characters")
    print("input".ljust(22) + "".join(f"{size:>10,}" for size in sizes) + "  exponent")
    for name, seconds in rows:
        print(name.ljust(22) + "".join(f"{t:>10.4f}" for t in seconds) + f"  {exponent(sizes, seconds):8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000, 400_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--markdown", action="store_true", help="also time Python-Markdown on kb's output")
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeat, args.markdown)
    print_table("kb (parse, check, render, backlinks)", args.sizes, [(name, kb) for name, kb, _ in rows])
    if args.markdown:
        print()
        print_table("Python-Markdown on kb's output (upstream)", args.sizes, [(name, md) for name, _, md in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
