"""`kb stats`: how big and how healthy the vault is: links, orphans, dead ends, hubs, reviews, tags."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import asdict, dataclass

from kb.analysis import Analysis
from kb.checks import lonely_notes, review_age


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts and lists of note ids (`claims/cms-1500`)."""

    notes: int
    links: int
    broken_links: int
    orphans: list[str]
    dead_ends: list[str]  # linked to, but link to no other note
    most_linked: list[tuple[str, int]]  # (note, how many other notes link to it)
    overdue: list[tuple[str, int | None]]  # (note, days since last_reviewed; None if never reviewed)
    stale_after_days: int
    tags: dict[str, int]


def vault_stats(analysis: Analysis, stale_after_days: int, today: datetime.date, top: int = 10) -> Stats:
    """The statistics of an analysed vault."""
    notes, links_to = analysis.vault.notes, analysis.links_to
    linked_from: dict[str, set[str]] = {note.id: set() for note in notes}
    for source, targets in links_to.items():
        for target in targets:
            linked_from[target].add(source)
    dead_ends = [n.id for n in notes if linked_from[n.id] and not links_to[n.id]]
    ranked = sorted(((n, len(s)) for n, s in linked_from.items() if s), key=lambda item: (-item[1], item[0]))
    ages = [(note.id, review_age(note, today)) for note in notes]
    overdue = [(n, age) for n, age in ages if age is None or age > stale_after_days]
    overdue.sort(key=lambda item: (item[1] is not None, -(item[1] or 0), item[0]))
    tags = Counter(tag for note in notes for tag in note.tags)
    return Stats(
        notes=len(notes),
        links=len(analysis.resolutions),
        broken_links=sum(not r.resolved for r in analysis.resolutions),
        orphans=sorted(lonely_notes(links_to)),
        dead_ends=sorted(dead_ends),
        most_linked=ranked[:top],
        overdue=overdue,
        stale_after_days=stale_after_days,
        tags=dict(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
    )


def _listed(items: list[str]) -> str:
    return f"{len(items)}" + (": " + ", ".join(items) if items else "")


def format_text(stats: Stats) -> str:
    """A short report for people."""
    width = max((len(name) for name, _ in stats.most_linked), default=0)
    tag_width = max(map(len, stats.tags), default=0)
    overdue_width = max((len(name) for name, _ in stats.overdue), default=0)
    lines = [
        f"notes          {stats.notes}",
        f"links          {stats.links} ({stats.broken_links} broken)",
        f"orphans        {_listed(stats.orphans)}",
        f"dead ends      {_listed(stats.dead_ends)}",
        "",
        "most linked notes (linked from how many notes)",
        *(f"  {name:<{width}}  {count}" for name, count in stats.most_linked),
        "",
        f"overdue for review (last_reviewed more than {stats.stale_after_days} days ago): {len(stats.overdue)}",
        *(
            f"  {name:<{overdue_width}}  {'never reviewed' if age is None else f'{age} days'}"
            for name, age in stats.overdue
        ),
        "",
        "tags",
        *(f"  {tag:<{tag_width}}  {count}" for tag, count in stats.tags.items()),
    ]
    return "\n".join(lines)


def to_json(stats: Stats) -> str:
    """The same figures as JSON (note ids, counts, days)."""
    data = asdict(stats)
    data["most_linked"] = [{"note": name, "linked_from": count} for name, count in stats.most_linked]
    data["overdue"] = [{"note": name, "days": age} for name, age in stats.overdue]
    return json.dumps(data, indent=2, ensure_ascii=False)
