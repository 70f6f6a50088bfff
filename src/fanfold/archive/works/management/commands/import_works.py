"""``fanfold import PATH... --as USER [--post]``: works from files, as drafts unless posted.

Options: ``[--dry-run] [--fandom NAME]... [--rating R] [--accept-suggestions]``.

Works are created as drafts unless ``--post`` is given (``--draft``, the
old way to ask for drafts, is still accepted and changes nothing).
``--fandom`` (repeatable) and ``--rating`` (general, teen, mature, explicit,
not_rated, or AO3's words: "Teen And Up Audiences") replace what the files
say. ``--accept-suggestions`` tags each work with the characters and
relationships the reading engine suggests, as the canonical tags of the
work's fandom where a wrangler made them, and says what it tagged.

Chapter files given together (plain text or Markdown) make one work, in the
order the reading engine finds (not the order of their names); every other
file (EPUB, HTML, DOCX, AO3 or FanFicFare downloads) is one work; a folder
holding an eFiction dump (``*.sql`` and ``stories/``) is a whole archive.
Each work is created in its own transaction: a broken file is reported by
name and leaves nothing behind, and the others still import.
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import Progress

from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works.importing import (
    RATINGS_BY_NAME,
    OverLimitsError,
    Suggestions,
    canonical_offers,
    check_limits,
    import_work,
    rating_for,
    suggest_tags,
    with_tags,
    work_fields_for,
)
from fanfold.archive.works.models import Rating
from fanfold.archive.works.services import WorkFields
from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedWork
from fanfold.formats.readers import read_bytes, read_chapter_files
from fanfold.formats.readers.efiction import EfictionAuthor, read_efiction

CHAPTER_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


class _DryRunRollbackError(Exception):
    """Raised to roll back a dry run's transaction."""


Reading = tuple[str, int, Callable[[], ParsedWork]]  # label, files it covers, reader


def _read_one(path: Path) -> ParsedWork:
    return read_bytes(path.read_bytes(), name=path.name)


def readings(paths: list[Path]) -> Iterator[Reading]:
    """What to read: chapter files together as one work, other files one work each."""
    chapter_files = [p for p in paths if p.suffix.lower() in CHAPTER_SUFFIXES]
    if chapter_files:
        label = ", ".join(p.name for p in chapter_files[:3]) + (
            "…" if len(chapter_files) > 3 else ""
        )
        yield (
            label,
            len(chapter_files),
            lambda: read_chapter_files([(p.name, p.read_bytes()) for p in chapter_files]),
        )
    for path in paths:
        if path.suffix.lower() not in CHAPTER_SUFFIXES:
            yield path.name, 1, partial(_read_one, path)


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--as", dest="username", help="the account that will own the works")
        parser.add_argument("--dry-run", action="store_true", help="read and check; save nothing")
        parser.add_argument("--post", action="store_true", help="post the works (default: drafts)")
        parser.add_argument(
            "--draft", action="store_true", help="drafts (the default; kept for old scripts)"
        )
        parser.add_argument(
            "--fandom",
            action="append",
            default=[],
            metavar="NAME",
            help="the works' fandom, instead of the files' (repeat for a crossover)",
        )
        parser.add_argument(
            "--rating",
            type=_rating,
            help="general, teen, mature, explicit or not_rated (AO3's words too)",
        )
        parser.add_argument(
            "--accept-suggestions",
            action="store_true",
            help="tag the characters and relationships the reading engine suggests",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        paths: list[Path] = options["paths"]
        missing = [str(p) for p in paths if not (p.is_file() or p.is_dir())]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        archives = [p for p in paths if p.is_dir() or p.suffix.lower() == ".sql"]
        paths = [p for p in paths if p not in archives]
        if archives:
            self._import_efiction(archives, options)
        if not paths:
            return
        owner = _owner(options["username"])
        imported: list[str] = []
        failed: list[str] = []
        with Progress(console=console, transient=True, disable=len(paths) < 3) as progress:
            task = progress.add_task("Importing", total=len(paths))
            for label, files, read in readings(paths):
                progress.update(task, description=f"Reading {label}")
                try:
                    parsed = read()
                except FormatError as error:
                    failed.append(str(error))
                else:
                    self._import_one(parsed, owner, options, imported, failed, name=label)
                progress.advance(task, files)
        self._summarise(console, imported, failed, dry_run=options["dry_run"])
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be imported")

    def _import_efiction(self, archives: list[Path], options: dict[str, Any]) -> None:
        """A whole eFiction archive: its authors become accounts, each story a work of theirs."""
        console = Console(stderr=True)
        imported: list[str] = []
        failed: list[str] = []
        for path in archives:
            try:
                archive = read_efiction(path)
            except FormatError as error:
                failed.append(str(error))
                continue
            owners = {
                a.penname: _efiction_account(a, dry_run=options["dry_run"]) for a in archive.authors
            }
            for penname, parsed in archive.works:
                owner = owners.get(penname) or _efiction_account(
                    EfictionAuthor(penname, "", "", ""), dry_run=options["dry_run"]
                )
                self._import_one(
                    parsed, owner, options, imported, failed, name=f"{path.name}: {parsed.title}"
                )
        self._summarise(console, imported, failed, dry_run=options["dry_run"])
        if failed:
            raise CommandError(f"{len(failed)} work(s) or file(s) could not be imported")

    def _import_one(
        self,
        parsed: ParsedWork,
        owner: User,
        options: dict[str, Any],
        imported: list[str],
        failed: list[str],
        *,
        name: str,
    ) -> None:
        line = f"“{parsed.title}”: {len(parsed.chapters)} chapter(s), {parsed.word_count:,} words"
        try:
            check_limits(parsed, name=name)
            fields, tagged, notes = _fields_and_notes(parsed, options)
            with transaction.atomic():
                work = import_work(
                    parsed=parsed, owner=owner, post=options["post"], name=name, fields=fields
                )
                if options["dry_run"]:
                    raise _DryRunRollbackError
            state = "" if options["post"] else " (draft)"
            imported.append(f"{line} -> /works/{work.pk}/{state}{tagged}{notes}")
        except _DryRunRollbackError:
            imported.append(f"{line} (dry run: not saved){tagged}{notes}")
        except OverLimitsError as error:  # each problem names its file and chapter
            failed.extend(error.problems)
        except (ValueError, ValidationError) as error:  # FormatError is a ValueError
            failed.append(f"{parsed.source or parsed.title}: {_reason(error)}")

    def _summarise(
        self, console: Console, imported: list[str], failed: list[str], *, dry_run: bool
    ) -> None:
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {len(imported)} work(s).")
        for line in imported:
            self.stdout.write(f"  {line}")
        for line in failed:
            console.print(f"[red]Failed[/red] {line}", highlight=False)


def _efiction_account(author: EfictionAuthor, *, dry_run: bool) -> User:
    return people_services.account_for_imported_author(
        pen_name=author.penname, email=author.email, bio=author.bio, save=not dry_run
    )


def _rating(value: str) -> str:
    """A rating as typed on the command line -> our value; an unknown one is refused.

    >>> _rating("Teen And Up Audiences"), _rating("not_rated"), _rating("E")
    ('teen', 'not_rated', 'explicit')
    """
    if value in Rating.values:
        return value
    if value.strip().lower() in RATINGS_BY_NAME:
        return rating_for(value)
    raise ArgumentTypeError(
        f"unknown rating {value!r}: choose general, teen, mature, explicit or not_rated"
    )


def _fields_and_notes(parsed: ParsedWork, options: dict[str, Any]) -> tuple[WorkFields, str, str]:
    """The work's fields with the command's fandoms, rating and accepted suggestions.

    With them, the line saying what was tagged from the suggestions, and the
    lines of what reading found (the engine is run once, after the limits passed).
    """
    fields = work_fields_for(parsed)
    tags = dict(fields.tags)
    if options["fandom"]:
        tags[TagType.FANDOM] = list(options["fandom"])
    fields = replace(fields, tags=tags, rating=options["rating"] or fields.rating)
    if parsed.characters and not options["accept_suggestions"]:
        return fields, "", _notes(parsed, None)
    suggestions = suggest_tags(parsed)
    if not options["accept_suggestions"]:
        return fields, "", _notes(parsed, suggestions)
    offers = canonical_offers(suggestions, fandoms=tags[TagType.FANDOM])
    accepted = {
        TagType.CHARACTER: [offer.tag for offer in offers.characters],
        TagType.RELATIONSHIP: [offer.tag for offer in offers.relationships],
    }
    tagged = f"\n    tagged: {', '.join(offers.names())}" if offers.names() else ""
    return with_tags(fields, accepted), tagged, _notes(parsed, None)


def _notes(parsed: ParsedWork, suggestions: Suggestions | None) -> str:
    """What reading the work found, one indented line each."""
    lines = list(parsed.messages)
    if suggestions is not None and suggestions.characters:
        lines.append("suggested characters: " + ", ".join(suggestions.characters))
    if suggestions is not None and suggestions.relationships:
        lines.append("suggested relationships: " + ", ".join(suggestions.relationships))
    return "".join(f"\n    {line}" for line in lines)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def _owner(username: str | None) -> User:
    if username is None:
        raise CommandError("say who will own the works: --as USERNAME")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no account named {username!r} (create it first)")
    return user
