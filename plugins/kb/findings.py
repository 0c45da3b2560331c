"""The problems one check found, grouped by what they depend on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kb.diagnostics import Diagnostic, Level, apply_levels


@dataclass(frozen=True, slots=True)
class Findings:
    """The problems of one check by what they depend on, before the configured levels apply."""

    listing: tuple[Diagnostic, ...] = ()  # the folder's files: their names, and those that cannot be read
    notes: dict[str, list[Diagnostic]] = field(default_factory=dict)  # each note, its links and review date
    embeds: tuple[Diagnostic, ...] = ()  # embed cycles and depth: the embeds of every note together
    abbreviations: tuple[Diagnostic, ...] = ()  # one acronym given two meanings in different notes
    site: tuple[Diagnostic, ...] = ()  # the site's pages: the folders and the names of their notes
    orphans: tuple[Diagnostic, ...] = ()

    def diagnostics(self, levels: Mapping[str, Level]) -> tuple[Diagnostic, ...]:
        wide = (*self.embeds, *self.abbreviations, *self.site, *self.orphans)
        found = [*self.listing, *(d for ds in self.notes.values() for d in ds), *wide]
        return tuple(apply_levels(found, levels))
