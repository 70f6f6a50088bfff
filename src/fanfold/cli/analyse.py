"""``fanfold analyse``: the reading engine on the command line.

Reads chapter files as one work and prints either a report for people
(rich: the chapter text coloured by segment and speaker, then the cast,
relations and suggested tags) or, with ``--json``, the machine shape::

    {"order": [FILE, ...],
     "chapters": [{"file", "segments", "scene_breaks", "quotes"}],
     "characters": [{"name", "aliases", "mentions", "gender"}],
     "relations": [{"a", "b", "kind", "score"}],
     "suggested_tags": {"characters": [...], "relationships": [...]}}

Offsets are Python string offsets into each file decoded exactly as stored.
Exit status: 0 on success, 2 for bad arguments or unreadable files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fanfold.text import ChapterAnalysis, WorkAnalysis, analyse_work
from fanfold.text.normalise import NotTextError, decode

MAX_FILE_BYTES = 50 * 1024 * 1024
SEGMENT_STYLES = {
    "header": "bold cyan",
    "author_note": "yellow italic",
    "disclaimer": "magenta italic",
    "story": "",
}
SPEAKER_STYLES = ("green", "blue", "red", "bright_magenta", "dark_orange", "cyan", "bright_green")


class UsageError(Exception):
    """A problem with the command line or an input file, reported without a traceback."""


def run_analyse(argv: Sequence[str], *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="fanfold analyse",
        description="Read chapter files as one work: notes, order, characters, speakers.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    parser.add_argument(
        "--characters", metavar="CAST.json", type=Path, help='known cast: {"Name": ["alias", ...]}'
    )
    args = parser.parse_args(list(argv))
    try:
        chapters = [(str(path), read_chapter(path)) for path in args.files]
        known = read_cast(args.characters) if args.characters else None
    except UsageError as error:
        print(f"fanfold analyse: {error}", file=sys.stderr)
        return 2
    work = analyse_work(chapters, known=known)
    if args.json:
        json.dump(as_json(work), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        print_report(work, Console(file=out, highlight=False, soft_wrap=True))
    return 0


def read_chapter(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error.strerror})") from error
    if not path.is_file():
        raise UsageError(f"{path}: not a file")
    if size > MAX_FILE_BYTES:
        raise UsageError(f"{path}: too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    try:
        return decode(path.read_bytes(), name=str(path))
    except NotTextError as error:
        raise UsageError(str(error)) from error


def read_cast(path: Path) -> dict[str, list[str]]:
    """Read a CAST.json: a mapping of canonical name to a list of aliases."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable JSON file ({error})") from error
    if not isinstance(data, dict) or not all(map(_is_alias_list, data.values())):
        raise UsageError(f'{path}: expected {{"Canonical Name": ["alias", ...], ...}}')
    return {name: list(aliases) for name, aliases in data.items()}


def _is_alias_list(aliases: object) -> bool:
    return isinstance(aliases, list) and all(isinstance(alias, str) for alias in aliases)


def as_json(work: WorkAnalysis) -> dict[str, Any]:
    names = [character.name for character in work.cast.characters]
    return {
        "order": [chapter.name for chapter in work.chapters],
        "order_confidence": round(work.order.confidence, 3),
        "order_cues": list(work.order.cues),
        "chapters": [_chapter_json(chapter, names) for chapter in work.chapters],
        "characters": [
            {
                "name": character.name,
                "aliases": list(character.aliases),
                "mentions": character.mentions,
                "gender": character.gender,
            }
            for character in work.cast.characters
        ],
        "relations": [
            {
                "a": names[relation.a],
                "b": names[relation.b],
                "kind": relation.kind,
                "score": round(relation.score, 3),
                "interactions": relation.interactions,
                "cue": relation.cue,
            }
            for relation in work.relations
        ],
        "suggested_tags": {
            "characters": list(work.character_tags),
            "relationships": list(work.relationship_tags),
        },
    }


def _chapter_json(chapter: ChapterAnalysis, names: Sequence[str]) -> dict[str, Any]:
    return {
        "file": chapter.name,
        "segments": [
            {"kind": s.kind, "start": s.span.start, "end": s.span.end, "cue": s.cue}
            for s in chapter.segmentation.segments
        ],
        "scene_breaks": [
            {"start": span.start, "end": span.end} for span in chapter.segmentation.scene_breaks
        ],
        "quotes": [
            {
                "start": a.quote.span.start,
                "end": a.quote.span.end,
                "parts": [[part.start, part.end] for part in a.quote.parts],
                "speaker": None if a.speaker is None else names[a.speaker],
                "method": a.method,
                "confidence": round(a.confidence, 3),
            }
            for a in chapter.attributions
        ],
    }


def print_report(work: WorkAnalysis, console: Console) -> None:
    styles = _speaker_styles(work)
    console.rule("[bold]Chapter order")
    for number, chapter in enumerate(work.chapters, start=1):
        console.print(f"{number}. {chapter.name}")
    console.print(f"confidence {work.order.confidence:.2f}: " + "; ".join(work.order.cues))
    for chapter in work.chapters:
        console.rule(f"[bold]{chapter.name}")
        console.print(_marked_text(chapter, work, styles))
    console.rule("[bold]Legend")
    console.print(_legend(styles))
    console.print(_cast_table(work))
    console.print(_relations_table(work))
    console.print("Suggested characters: " + (", ".join(work.character_tags) or "none"))
    console.print("Suggested relationships: " + (", ".join(work.relationship_tags) or "none"))


def _speaker_styles(work: WorkAnalysis) -> Mapping[int, str]:
    return {
        index: SPEAKER_STYLES[index % len(SPEAKER_STYLES)]
        for index in range(len(work.cast.characters))
    }


def _marked_text(chapter: ChapterAnalysis, work: WorkAnalysis, styles: Mapping[int, str]) -> Text:
    text = Text(chapter.text)
    for segment in chapter.segmentation.segments:
        if style := SEGMENT_STYLES[segment.kind]:
            text.stylize(style, segment.span.start, segment.span.end)
    for span in chapter.segmentation.scene_breaks:
        text.stylize("reverse", span.start, span.end)
    for attribution in chapter.attributions:
        style = "dim" if attribution.speaker is None else styles[attribution.speaker]
        for part in attribution.quote.parts:
            text.stylize(style, part.start, part.end)
    return text


def _legend(styles: Mapping[int, str]) -> Text:
    legend = Text()
    for kind, style in SEGMENT_STYLES.items():
        if style:
            legend.append(kind.replace("_", " "), style=style).append("  ")
    legend.append("scene break", style="reverse").append("  ")
    legend.append("unattributed quote", style="dim")
    return legend


def _cast_table(work: WorkAnalysis) -> Table:
    table = Table(title="Characters")
    for column in ("name", "aliases", "mentions", "gender"):
        table.add_column(column)
    for index, character in enumerate(work.cast.characters):
        style = SPEAKER_STYLES[index % len(SPEAKER_STYLES)]
        table.add_row(
            Text(character.name, style=style),
            ", ".join(character.aliases),
            str(character.mentions),
            character.gender or "",
        )
    return table


def _relations_table(work: WorkAnalysis) -> Table:
    names = [character.name for character in work.cast.characters]
    table = Table(title="Relations")
    for column in ("a", "b", "kind", "score", "interactions", "cue"):
        table.add_column(column)
    for relation in work.relations:
        table.add_row(
            names[relation.a],
            names[relation.b],
            relation.kind,
            f"{relation.score:.2f}",
            str(relation.interactions),
            relation.cue,
        )
    return table
