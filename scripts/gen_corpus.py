"""Write a deterministic synthetic vault of N notes for benchmarks: `gen_corpus.py OUT N --seed S`.

The notes look like the real ones: YAML frontmatter (title, description, aliases, tags, codes),
300-800 words under several headings, and about 8 wikilinks each in every form the engine
supports (names, paths, `.md`, labels, headings, nested headings, block refs, same-note
headings, note/section/image embeds in some notes, escaped pipes in tables), with about 1% broken links,
some duplicate names in different folders, and links inside code and comments that are text.
Whole-note embeds only point at "leaf" notes, which embed nothing, so embeds never nest deeply.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

TOPICS = ("claims", "coding", "coverage", "compliance", "payers", "reimbursement", "modifiers", "denials")
WORDS = """
claim payer denial appeal modifier coverage benefit provider patient service code procedure
diagnosis billing coding audit review payment rate schedule policy contract remittance adjustment
balance charge deductible coinsurance copay premium eligibility enrollment authorization referral
encounter visit facility professional institutional outpatient inpatient observation emergency
ambulance laboratory radiology surgery anesthesia therapy pharmacy supply equipment device implant
injection infusion screening preventive wellness chronic acute follow-up consultation telehealth
home hospice nursing rehabilitation behavioral dental vision hearing transport interpreter record
documentation signature attestation credential enrollment network tier formulary bundle package
global period unit frequency limit edit pair column threshold level category section chapter manual
bulletin notice letter form field segment loop element qualifier identifier number date time place
type status reason remark group carrier contractor jurisdiction region state federal commercial
managed care plan member subscriber dependent guarantor responsible party secondary primary tertiary
crossover coordination recovery overpayment underpayment refund offset recoupment interest penalty
fraud abuse waste compliance training education risk assessment sample extrapolation error rate
report summary detail
""".split()  # noqa: SIM905
FILLER = "the a an of for to in on with by under when before after each every most some this that".split()  # noqa: SIM905
CODES = ("99213", "99214", "G0439", "J3420", "Z00.00", "E11.9", "25", "59", "GA", "0001F", "97110", "A0428")
TAGS = ("medicare", "medicaid", "x12", "forms", "identifiers", "payment", "audit", "telehealth")
LEAF_EVERY = 10  # every tenth note embeds nothing, so whole-note embeds can point at it
PNG_EVERY = 50  # one image attachment per this many notes
EMBED_SHARE = 0.12  # notes that embed another note or a section of one (the shipped notes embed nothing)
IMAGE_SHARE = 0.04  # notes that embed an image


@dataclass
class Spec:
    """What other notes need to know to link to one note."""

    number: int
    folder: str
    name: str
    title: str
    topic: str  # the word in its "Rules for ..." heading
    leaf: bool

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"


def folders(count: int, rng: random.Random) -> list[str]:
    """Leaf folders, 1 to 3 levels deep under the topic folders, about 100 notes each."""
    result = []
    for number in range(count):
        top = TOPICS[number % len(TOPICS)]
        sub = f"{rng.choice(WORDS)}-{number // len(TOPICS)}"
        result.append(f"{top}/{sub}/{rng.choice(WORDS)}-topics" if number % 3 == 2 else f"{top}/{sub}")
    return result


def plan(count: int, rng: random.Random) -> list[Spec]:
    """Names, folders and titles of every note; about 2% reuse a name from another folder."""
    leaf_folders = folders(max(len(TOPICS), math.ceil(count / 100)), rng)
    specs: list[Spec] = []
    taken: set[str] = set()
    ids: set[str] = set()
    for number in range(count):
        folder = leaf_folders[number % len(leaf_folders)]
        name = rng.choice(specs).name if specs and rng.random() < 0.02 else ""
        attempt = 0
        while not name or f"{folder}/{name}" in ids:
            name = "-".join(rng.sample(WORDS, 2 + attempt // 5))  # longer names once pairs run out
            name, attempt = ("" if name in taken else name), attempt + 1
        taken.add(name)
        ids.add(f"{folder}/{name}")
        words = name.split("-")
        title = " ".join(w.capitalize() for w in words)
        specs.append(Spec(number, folder, name, title, rng.choice(WORDS), number % LEAF_EVERY == 0))
    return specs


def sentence(rng: random.Random, links: list[str]) -> str:
    """One 8-16 word sentence; pops a link from `links` into it now and then."""
    words = [rng.choice(WORDS if rng.random() < 0.6 else FILLER) for _ in range(rng.randint(8, 16))]
    if links and rng.random() < 0.5:
        words.insert(rng.randrange(1, len(words)), links.pop())
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, links: list[str], sentences: int) -> str:
    return " ".join(sentence(rng, links) for _ in range(sentences))


def link_to(spec: Spec, target: Spec, rng: random.Random, duplicates: set[str]) -> str:
    """A wikilink to `target` in one of the supported forms."""
    name = target.id if target.name in duplicates and rng.random() < 0.9 else target.name
    form = rng.randrange(9)
    if form == 0:
        return f"[[{target.id}]]"
    if form == 1:
        return f"[[{name}.md]]"
    if form == 2:
        return f"[[{name}|{rng.choice(WORDS)} {rng.choice(WORDS)}]]"
    if form == 3:
        return f"[[{name}#Rules for {target.topic}]]"
    if form == 4:
        return f"[[{name}#Rules for {target.topic}#Exceptions]]"
    if form == 5:
        return f"[[{name}#^key-point]]"
    if form == 6:
        return f"[[{name}#Common errors|{target.title} errors]]"
    if form == 7 and target.folder == spec.folder:
        return f"[[./{target.name}]]"
    return f"[[{name}]]"


def broken(target: Spec, rng: random.Random) -> str:
    """A link that resolves to nothing: a typo of a real name, or a heading that is not there."""
    if rng.random() < 0.7:
        cut = rng.randrange(1, len(target.name))
        return f"[[{target.name[:cut]}{target.name[cut + 1 :]}x]]"
    return f"[[{target.name}#No such heading]]"


def note_text(spec: Spec, specs: list[Spec], rng: random.Random, duplicates: set[str], images: int) -> str:
    """The Markdown of one note."""
    others = [specs[rng.randrange(len(specs))] for _ in range(6)]
    links = [broken(t, rng) if rng.random() < 0.016 else link_to(spec, t, rng, duplicates) for t in others]
    links.append("[[#Common errors]]")
    rng.shuffle(links)
    related, links = links[:2], links[2:]  # the rest go into the prose; what is left over joins Related
    aliases = [spec.title.upper()[:12], "".join(w[0] for w in spec.name.split("-")).upper() + f"-{spec.number}"]
    codes = ", ".join(f'"{c}"' for c in rng.sample(CODES, rng.randint(1, 3)))
    tags = ", ".join([spec.folder.split("/")[0], *rng.sample(TAGS, rng.randint(0, 2))])
    description = f"How {spec.title.lower()} affects {rng.choice(WORDS)} {rng.choice(WORDS)} on a claim."
    head = [
        "---",
        f"title: {spec.title}",
        f"description: {description}",
        f"aliases: [{', '.join(aliases)}]",
        f"tags: [{tags}]",
        f"codes: [{codes}]",
        "sources:",
        f"  - CMS, Synthetic Manual, Chapter {spec.number % 40 + 1}",
        f"last_reviewed: 2026-{spec.number % 12 + 1:02d}-{spec.number % 28 + 1:02d}",
        "---",
        "",
        f"# {spec.title}",
        "",
    ]
    words = rng.randint(310, 770)
    sentences = words // 10  # 12 words a sentence, and about 85% of these are written
    share = [sentences * part // 10 for part in (3, 2, 1, 1, 2, 1)]
    body = [
        paragraph(rng, links, max(1, share[0] - 2)),
        "",
        "## Overview",
        "",
        paragraph(rng, links, 2) + " ^key-point",
        "",
        f"## Rules for {spec.topic}",
        "",
        paragraph(rng, links, share[1]),
        "",
        "### Exceptions",
        "",
        paragraph(rng, links, share[2]),
        "",
        "### Documentation",
        "",
        paragraph(rng, links, share[3]),
        "",
        "## Common errors",
        "",
        *(f"- {sentence(rng, links)}" for _ in range(max(2, share[4] // 2))),
        "",
        "| situation | see |",
        "|---|---|",
        f"| {rng.choice(WORDS)} | {link_to(spec, rng.choice(specs), rng, duplicates).replace('|', chr(92) + '|')} |",
        "",
        "## Example",
        "",
        paragraph(rng, links, share[5]),
        "",
    ]
    if not spec.leaf and rng.random() < EMBED_SHARE:
        target = rng.choice(specs)
        leaf = specs[rng.randrange(0, len(specs), LEAF_EVERY)]
        body += [f"![[{target.id}#Overview]]" if rng.random() < 0.7 else f"![[{leaf.id}]]", ""]
    if rng.random() < IMAGE_SHARE:
        body += [f"![[chart-{rng.randrange(images)}.png|{rng.choice((200, 320, 480))}]]", ""]
    if rng.random() < 0.1:
        body += ["```text", f"[[{rng.choice(WORDS)}]] is not a link inside code", "```", ""]
    if rng.random() < 0.1:
        body += [f"Write `[[{spec.name}]]` to link here. %% editor note: [[{rng.choice(WORDS)}]] %%", ""]
    body += ["## Related", "", *(f"- {link}" for link in related + links), ""]
    return "\n".join(head + body)


def png(width: int, height: int, shade: int) -> bytes:
    """A tiny valid grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def generate(out: Path, count: int, seed: int) -> None:
    """Write `count` notes under `out/notes` (the folder must not exist or be empty)."""
    rng = random.Random(f"billing-kb-{seed}")
    specs = plan(count, rng)
    seen: set[str] = set()
    duplicates = {s.name for s in specs if s.name in seen or seen.add(s.name)}
    notes = out / "notes"
    images = max(1, count // PNG_EVERY)
    (notes / "assets").mkdir(parents=True)
    for number in range(images):
        (notes / "assets" / f"chart-{number}.png").write_bytes(png(8, 4, number % 256))
    for spec in specs:
        path = notes / f"{spec.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(spec, specs, rng, duplicates, images), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("out", type=Path, help="folder to create; the notes go to OUT/notes")
    cli.add_argument("count", type=int, help="number of notes")
    cli.add_argument("--seed", type=int, default=1, help="same seed, same vault (default 1)")
    cli.add_argument("--force", action="store_true", help="replace OUT/notes if it exists")
    args = cli.parse_args(argv)
    if args.count < 1:
        cli.error("count must be at least 1")
    notes = args.out / "notes"
    if notes.exists() and any(notes.iterdir()):
        if not args.force:
            cli.error(f"{notes} exists and is not empty; pass --force to replace it")
        shutil.rmtree(notes)
    generate(args.out, args.count, args.seed)
    print(f"wrote {args.count} notes to {notes}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
