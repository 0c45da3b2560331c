"""One pass over a vault: load, index, resolve, graph, diagnose. Used by the CLI and the plugin."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kb.abbreviations import Abbreviations, collect_abbreviations
from kb.checks import lonely_notes, orphan_notes, review_dates
from kb.diagnostics import Diagnostic
from kb.embeds import note_embeds
from kb.findings import Findings
from kb.graph import build_graph, deep_embeds, embed_cycles
from kb.notes import Vault
from kb.resolve import Index, Resolution, links_between_notes, resolve_all
from kb.settings import Settings
from kb.siteplan import SitePlan, plan_site
from kb.vault import load_vault


@dataclass(frozen=True)
class Analysis:
    """Everything known about a vault after one check. `links_to`: each note's id -> the ids of the
    other notes its links resolve to."""

    vault: Vault
    index: Index
    resolutions: tuple[Resolution, ...]
    links_to: Mapping[str, set[str]]
    diagnostics: tuple[Diagnostic, ...]
    abbreviations: Abbreviations = field(default_factory=lambda: Abbreviations({}, None))
    site: SitePlan = field(default_factory=SitePlan)
    findings: Findings = field(default_factory=Findings)

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The link graph (`kb.graph.build_graph`): built when first asked for, as `kb check` never needs it."""
        return build_graph(self.vault.notes, self.resolutions)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def analyze_vault(vault: Vault, settings: Settings) -> Analysis:
    """Resolve and check an already loaded vault."""
    index = Index(vault, settings.slugify, settings.separator, settings.unpublished)
    resolutions = tuple(resolve_all(index, vault.notes))
    links_to = links_between_notes(vault.notes, resolutions)
    abbreviations, abbr_problems = collect_abbreviations(vault.notes)
    site = plan_site(vault, settings)
    notes = {note.path: list(vault.note_problems.get(note.path, ())) for note in vault.notes}
    for problem in (p for r in resolutions for p in r.problems):
        notes[problem.path].append(problem)
    for problem in review_dates(vault, settings.stale_after_days):
        notes[problem.path].append(problem)
    embeds = note_embeds(resolutions)
    findings = Findings(
        vault.listing,
        notes,
        (*embed_cycles(embeds), *deep_embeds(embeds)),
        tuple(abbr_problems),
        site.problems,
        tuple(orphan_notes(vault.notes, lonely_notes(links_to))),
    )
    diagnostics = findings.diagnostics(settings.levels)
    return Analysis(vault, index, resolutions, links_to, diagnostics, abbreviations, site, findings)


def analyze(root: Path, settings: Settings | None = None) -> Analysis:
    """Load and check the notes under `root`."""
    settings = settings or Settings()
    return analyze_vault(
        load_vault(root, settings.slugify, settings.separator, unpublished=settings.unpublished), settings
    )
