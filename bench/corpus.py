"""A corpus of N works with AO3-like shape, written straight into the database.

    .venv/bin/python -m bench.corpus --works N [--seed S] [--with-text] [--fresh]
    .venv/bin/python -m bench.corpus --check      # generated rows against index_works

The database is the one the settings point at (SQLite under FANFOLD_DATA_DIR,
PostgreSQL with DATABASE_URL); ``migrate`` runs first. Works are made and
written in batches (memory stays flat whatever N): executemany in one
transaction per batch on SQLite, COPY on PostgreSQL. Ids (accounts, tags,
works) are assigned here, after the current maxima, so filter rows carry
``bucket = id % 64`` without reading anything back. ``--fresh`` empties the
database first, and refuses unless every account in it is a generated one
(e-mail ``@corpus.invalid``). One seed on an empty database gives one corpus.

Shape (all names made up from syllables, a few readable freeform tags):

- accounts: N/8, unusable passwords; works per account from Pareto weights
  (most write one to three works, a few hundred);
- fandoms: N/250 (50 to 4,000), Zipf popularity (the top one has ~6% of the
  works), each with a media type; 5% sit under a few dozen meta fandoms (a
  tenth of those nested one level more); 2% have a synonym; 8% of works are
  crossovers (2 or 3 fandoms);
- per fandom a cast (150/sqrt(rank), at least 4), Zipf within the fandom,
  parents = the fandom; relationships "A/B" (romantic, 80%) or "A & B" of
  two cast members, Zipf, whose characters the work tags too;
- freeform tags: a shared Zipf vocabulary of N/20 (2,000 to 50,000), the
  most used 20% canonical, "Alternate Universe - X" under "Alternate
  Universe"; 3% of characters, relationships and freeforms have a synonym
  ("B/A" for "A/B") that 30% of the works using the tag use instead;
- AO3's warnings (most works "No Archive Warnings Apply" or "Creator Chose
  Not To Use Archive Warnings") and categories (from the romantic pairs'
  genders, Gen without); ratings, languages (88% "en") as on AO3;
- word counts lognormal (median 3,000, to 500,000); chapters from the words
  (1 to 50, most 1); published over 10 years (more recently), ~60%
  complete, 8% restricted, 2% drafts, 0.1% hidden; hits from age, chapters
  and fandom popularity, kudos, bookmarks and comments from hits.

Rows follow ``fanfold.archive.search.indexing``: listing, bucket, sort
title, crossover (more than one top-level fandom root), filter rows (each
tag, its merger, meta tags transitively) and the tag counters (added as
deltas, as index_works does). Without ``--with-text`` a work has one short
chapter row carrying the work's word count (the filter queries never read
chapters; ``chapter_count`` keeps the generated number). With it, every
chapter gets generated prose (``bench.prose``, at most 5,000 words a work),
the word counts are the text's, and the full-text index is filled.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
django.setup()

import argparse  # noqa: E402
import bisect  # noqa: E402
import gc  # noqa: E402
import html  # noqa: E402
import itertools  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from array import array  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from itertools import repeat  # noqa: E402
from pathlib import Path  # noqa: E402
from queue import Empty  # noqa: E402
from typing import Any, Generic, Protocol, TypeVar  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.prose import Prose  # noqa: E402
from fanfold.archive.people.models import User  # noqa: E402
from fanfold.archive.search.indexing import (  # noqa: E402
    filter_closure,
    index_works,
    sort_title_of,
    unindex_works,
)
from fanfold.archive.search.models import FilterTag  # noqa: E402
from fanfold.archive.tags.models import CATEGORIES, WARNINGS, Media, Tag, TagType  # noqa: E402
from fanfold.archive.works.models import SAMPLE_BUCKETS, Chapter, Listing, Rating, Work  # noqa: E402
from fanfold.text.words import count_words  # noqa: E402

try:  # written alongside this generator; without it --with-text leaves the index empty
    from fanfold.archive.search.fulltext import Document, index_documents
except ImportError:  # pragma: no cover
    Document = None  # type: ignore[assignment,misc]
    index_documents = None  # type: ignore[assignment]

MARK = "@corpus.invalid"  # every generated account's e-mail ends so: --fresh trusts nothing else
BATCH = 5_000
DAY = 86_400
YEARS = 10
TEXT_WORDS_MAX = 5_000
SYNONYM_USE = 0.3  # share of a tag's uses that pick its synonym instead
Row = tuple[Any, ...]
T = TypeVar("T")

# --- vocabularies -------------------------------------------------------------

ONSETS = "b c d f g h k l m n p r s t v z br dr kr th sh st gr tr vel".split() + [""] * 4
VOWELS = "a e i o u a e o ae ia ei ou y".split()
CODAS = ["", "", "", "n", "r", "l", "s", "th", "k", "m", "nd", "sk", "rn", "x"]
ADJECTIVES = (
    "quiet broken golden hidden last little long lost silver small wild winter bright cold "
    "dark distant early false gentle hollow iron kind late midnight paper quiet restless "
    "secret slow soft still strange sudden summer sweet tender velvet wicked"
).split()
NOUNS = (
    "river garden letter storm harbour crown lantern promise shadow ember orchard tide "
    "mirror bridge feather winter road song thread tower ashes compass echo flame ghost "
    "heart honey house island key knight lighthouse map moon oath rain rose sea snow "
    "star stone sword thorn ticket trail wolf archive ballroom"
).split()
FREEFORM_HEAD = [
    "Fluff", "Angst", "Hurt/Comfort", "Romance", "Humor", "Established Relationship",
    "Friendship", "Slow Burn", "Happy Ending", "Fluff and Angst", "Alternate Universe",
    "Family", "First Kiss", "Canon Compliant", "Angst with a Happy Ending",
    "Character Study", "Drabble", "Whump", "Found Family", "Fix-It",
]  # fmt: skip
AU_META = "Alternate Universe"
SYNONYM_FORMS = ["so much {l}", "a bit of {l}", "{l}!!!", "{n} if you squint", "mostly {l}"]
MEDIA_WEIGHTS = {
    Media.TV: 25, Media.MOVIES: 12, Media.BOOKS: 15, Media.ANIME: 15, Media.GAMES: 10,
    Media.COMICS: 7, Media.CELEBRITIES: 5, Media.MUSIC: 3, Media.THEATER: 2,
    Media.OTHER: 5, Media.UNSORTED: 1,
}  # fmt: skip
MEDIA_SUFFIX = {Media.TV: " (TV)", Media.MOVIES: " (Movies)", Media.GAMES: " (Video Game)"}
RATING_WEIGHTS = {
    Rating.GENERAL: 22, Rating.TEEN: 30, Rating.MATURE: 16, Rating.EXPLICIT: 22,
    Rating.NOT_RATED: 10,
}  # fmt: skip
LANGUAGE_WEIGHTS = {
    "en": 880, "zh": 30, "ru": 22, "es": 16, "fr": 12, "de": 9, "pt": 7, "it": 5,
    "ja": 4, "ko": 3, "pl": 3, "id": 3, "vi": 2, "tr": 2, "nl": 2,
}  # fmt: skip
NO_WARNINGS, CHOSE_NOT = "No Archive Warnings Apply", "Creator Chose Not To Use Archive Warnings"
SPECIFIC_WARNINGS = {
    "Graphic Depictions Of Violence": 55, "Major Character Death": 20,
    "Rape/Non-Con": 13, "Underage": 12,
}  # fmt: skip
SUMMARIES = [
    "{a} has one week to find {thing} before the {noun} closes for good.",
    "After the {noun}, {a} and {b} are not speaking. Then the letters start.",
    "{a} never meant to stay. {b} never asked {a} to.",
    "Five times {a} almost said it, and the one time {b} said it first.",
    "A {adj} {noun}, a missing {thing}, and {a}, who should have known better.",
]
NOTES = [
    "Thanks to {user} for beta reading!",
    "Written for the {adj} {noun} exchange.",
    "Comments and kudos make my day.",
    "This got away from me. Enjoy!",
]


class Names:
    """Batch-up words and names, unique per kind without case (as tag names must be)."""

    def __init__(self, rng: random.Random, taken: dict[str, set[str]]) -> None:
        self.rng = rng
        self.taken = taken

    def word(self, syllables: int = 2) -> str:
        r = self.rng
        return "".join(
            r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS) for _ in range(syllables)
        ).capitalize()

    def person(self) -> tuple[str, str]:
        return self.word(self.rng.choice((1, 2, 2, 3))), self.word(self.rng.choice((2, 2, 3)))

    def claim(self, kind: str, name: str) -> bool:
        """Take ``name`` for ``kind`` unless it is taken (or too long for a tag)."""
        key = name.casefold()
        names = self.taken.setdefault(kind, set())
        if key in names or len(name) > 150:
            return False
        names.add(key)
        return True


# --- the tag vocabulary -------------------------------------------------------


@dataclass
class Fandom:
    tag: int
    synonym: int | None
    chars: list[tuple[int, int | None]] = field(default_factory=list)
    char_cum: list[float] = field(default_factory=list)
    # (canonical, synonym, character a, character b, category or None when platonic)
    rels: list[tuple[int, int | None, int, int, str | None]] = field(default_factory=list)
    rel_cum: list[float] = field(default_factory=list)


@dataclass
class Vocabulary:
    """Every tag the corpus uses, its wrangling, and what a work needs to pick from it."""

    now: int
    first_id: int
    rows: list[Row] = field(default_factory=list)  # tags_tag rows
    metas: list[tuple[int, int]] = field(default_factory=list)  # (sub, meta)
    parents: list[tuple[int, int]] = field(default_factory=list)  # (child, parent)
    names: dict[int, str] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)
    mergers: dict[int, int] = field(default_factory=dict)
    fandoms: list[Fandom] = field(default_factory=list)
    fandom_cum: list[float] = field(default_factory=list)
    fandom_boost: list[float] = field(default_factory=list)  # popularity factor for hits
    freeforms: list[tuple[int, int | None]] = field(default_factory=list)
    freeform_cum: list[float] = field(default_factory=list)
    fixed: dict[str, int] = field(default_factory=dict)  # warnings and categories by name
    closures: dict[int, frozenset[int]] = field(default_factory=dict)
    roots: dict[int, frozenset[int]] = field(default_factory=dict)

    def add(self, tag_type: str, name: str, *, canonical: bool = True, media: str = "") -> int:
        tag = self.first_id + len(self.rows)
        self.rows.append((tag, tag_type, name, canonical, None, media))
        self.names[tag] = name
        self.types[tag] = tag_type
        return tag

    def synonym(self, canonical: int, name: str) -> int:
        tag = self.add(self.types[canonical], name, canonical=False)
        self.rows[-1] = (*self.rows[-1][:4], canonical, self.rows[-1][5])
        self.mergers[tag] = canonical
        return tag


def zipf_cum(n: int, s: float = 1.0, q: float = 0.0) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights 1/(rank+q)^s for ranks 1..n."""
    return list(itertools.accumulate(1.0 / (rank + q) ** s for rank in range(1, n + 1)))


def pick(rng: random.Random, cum: Sequence[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


class Choice(Generic[T]):
    """A weighted choice whose cumulative weights are added up once, not per draw."""

    def __init__(self, weights: dict[T, float]) -> None:
        self.values = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    """A one-off weighted choice (while the vocabulary is made)."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def one_of(rng: random.Random, items: Sequence[T]) -> T:
    # Cheaper than rng.choice, which draws bits until they fit.
    return items[int(rng.random() * len(items))]


@dataclass
class Existing:
    """What the archive already holds that the corpus must not clash with, or reuses."""

    types: dict[int, str]
    mergers: dict[int, int]
    metas: list[tuple[int, int]]
    by_name: dict[tuple[str, str], int]  # (type, casefolded name) -> tag id
    taken: dict[str, set[str]]  # casefolded names per tag type, and "user" for usernames


def build_vocabulary(
    n_works: int, names: Names, first_id: int, now: int, existing: Existing
) -> Vocabulary:
    vocab = Vocabulary(now=now, first_id=first_id)
    _fixed_tags(vocab, names, existing)
    _fandoms(vocab, names, max(50, min(4000, n_works // 250)))
    _freeforms(vocab, names, max(2000, min(50_000, n_works // 20)))
    _closures(vocab, existing)
    return vocab


def _closures(vocab: Vocabulary, existing: Existing) -> None:
    """Each used tag's filter closure and top-level fandoms, over old and new wrangling."""
    types = {**existing.types, **vocab.types}
    mergers = {**existing.mergers, **vocab.mergers}
    metas: dict[int, set[int]] = {}
    for sub, meta in [*existing.metas, *vocab.metas]:
        metas.setdefault(sub, set()).add(meta)
    for tag in [*vocab.fixed.values(), *(row[0] for row in vocab.rows)]:
        closure = frozenset(filter_closure({tag}, mergers=mergers, metas=metas))
        vocab.closures[tag] = closure
        # indexing._Graph.is_crossover: fandoms with neither a merger nor a meta tag.
        roots = frozenset(
            t
            for t in closure
            if types[t] == TagType.FANDOM and t not in mergers and not metas.get(t)
        )
        if roots:
            vocab.roots[tag] = roots
    vocab.types = types


def _fixed_tags(vocab: Vocabulary, names: Names, existing: Existing) -> None:
    """AO3's warnings and categories: the archive's own when it has them."""
    for tag_type, vocabulary in ((TagType.WARNING, WARNINGS), (TagType.CATEGORY, CATEGORIES)):
        for name in vocabulary:
            found = existing.by_name.get((tag_type, name.casefold()))
            if found is not None:
                vocab.fixed[name] = found
                vocab.names[found] = name
            elif names.claim(tag_type, name):
                vocab.fixed[name] = vocab.add(tag_type, name)


def _fandoms(vocab: Vocabulary, names: Names, count: int) -> None:
    rng = names.rng
    vocab.fandom_cum = zipf_cum(count, q=1.0)
    mean = vocab.fandom_cum[-1] / count
    meta_tags = _meta_fandoms(vocab, names, max(3, min(40, count // 100)))
    for rank in range(1, count + 1):
        media = weighted(rng, MEDIA_WEIGHTS)
        name = _fandom_name(names, media)
        tag = vocab.add(TagType.FANDOM, name, media=media)
        synonym = None
        if rng.random() < 0.02 and names.claim(TagType.FANDOM, f"{name} (fandom)"):
            synonym = vocab.synonym(tag, f"{name} (fandom)")
        if rng.random() < 0.05:
            vocab.metas.append((tag, rng.choice(meta_tags)))
        fandom = Fandom(tag, synonym)
        _cast(vocab, names, fandom, max(4, round(150 / math.sqrt(rank))))
        vocab.fandoms.append(fandom)
        vocab.fandom_boost.append((1.0 / (rank + 1.0) / mean) ** 0.25)


def _meta_fandoms(vocab: Vocabulary, names: Names, count: int) -> list[int]:
    rng = names.rng
    metas: list[int] = []
    while len(metas) < count:
        name = f"{names.word(rng.choice((2, 3)))} - All Media Types"
        if names.claim(TagType.FANDOM, name):
            tag = vocab.add(TagType.FANDOM, name, media=weighted(rng, MEDIA_WEIGHTS))
            if metas and rng.random() < 0.1:  # a franchise inside a bigger one
                vocab.metas.append((tag, rng.choice(metas)))
            metas.append(tag)
    return metas


def _fandom_name(names: Names, media: str) -> str:
    rng = names.rng
    while True:
        shape = rng.randrange(5)
        w = names.word(rng.choice((2, 2, 3)))
        if shape == 0:
            name = w
        elif shape == 1:
            name = f"The {w} Chronicles"
        elif shape == 2:
            name = f"{w} of {names.word()}"
        elif shape == 3:
            name = f"{w} {names.word()}"
        else:
            name = f"{w}: {rng.choice(NOUNS).title()}"
        name += MEDIA_SUFFIX.get(media, "") if rng.random() < 0.3 else ""
        if names.claim(TagType.FANDOM, name):
            return name


def _cast(vocab: Vocabulary, names: Names, fandom: Fandom, size: int) -> None:
    """Characters (parents = the fandom) and relationships between them."""
    rng = names.rng
    fandom_name = vocab.names[fandom.tag]
    genders: list[str] = []
    while len(fandom.chars) < size:
        first, last = names.person()
        name = first if rng.random() < 0.15 else f"{first} {last}"
        if not names.claim(TagType.CHARACTER, name):
            name = f"{name} ({fandom_name})"
            if not names.claim(TagType.CHARACTER, name):
                continue
        tag = vocab.add(TagType.CHARACTER, name)
        vocab.parents.append((tag, fandom.tag))
        synonym = None
        if rng.random() < 0.03:
            alias = f"{first} ({fandom_name})" if " " in name else f"{name} {last}"
            if names.claim(TagType.CHARACTER, alias):
                synonym = vocab.synonym(tag, alias)
        fandom.chars.append((tag, synonym))
        genders.append(rng.choices("MFO", (65, 32, 3))[0])
    fandom.char_cum = zipf_cum(size, s=1.1)
    _relationships(vocab, names, fandom, genders, round(size * 1.2))


def _relationships(
    vocab: Vocabulary, names: Names, fandom: Fandom, genders: list[str], count: int
) -> None:
    rng = names.rng
    attempts = 0
    while len(fandom.rels) < count and attempts < count * 5:
        attempts += 1
        a, b = pick(rng, fandom.char_cum), pick(rng, fandom.char_cum)
        if a == b:
            continue
        romantic = rng.random() < 0.8
        joiner = "/" if romantic else " & "
        name_a, name_b = vocab.names[fandom.chars[a][0]], vocab.names[fandom.chars[b][0]]
        name = f"{name_a}{joiner}{name_b}"
        reverse = f"{name_b}{joiner}{name_a}"
        if not names.claim(TagType.RELATIONSHIP, name):
            continue
        if not names.claim(TagType.RELATIONSHIP, reverse):  # "B/A" is the same pair
            continue
        tag = vocab.add(TagType.RELATIONSHIP, name)
        vocab.parents.append((tag, fandom.tag))
        synonym = vocab.synonym(tag, reverse) if rng.random() < 0.03 else None
        category = _category(genders[a], genders[b]) if romantic else None
        fandom.rels.append((tag, synonym, a, b, category))
    fandom.rel_cum = zipf_cum(len(fandom.rels)) if fandom.rels else []


def _category(a: str, b: str) -> str:
    if "O" in (a, b):
        return "Other"
    return {"MM": "M/M", "FF": "F/F"}.get(a + b, "F/M")


def _freeforms(vocab: Vocabulary, names: Names, count: int) -> None:
    """A shared vocabulary, most used first; the head wrangled, the long tail not."""
    rng = names.rng
    au_meta: int | None = None
    ordered = [n for n in FREEFORM_HEAD if names.claim(TagType.FREEFORM, n)]
    while len(ordered) < count:
        name = _freeform_name(names)
        if names.claim(TagType.FREEFORM, name):
            ordered.append(name)
    wrangled = count // 5
    for rank, name in enumerate(ordered):
        tag = vocab.add(TagType.FREEFORM, name, canonical=rank < wrangled)
        if name == AU_META:
            au_meta = tag
        elif au_meta is not None and rank < wrangled and name.startswith(AU_META + " - "):
            vocab.metas.append((tag, au_meta))
        synonym = None
        if rng.random() < 0.03:
            alias = rng.choice(SYNONYM_FORMS).format(l=name.lower(), n=name)
            if names.claim(TagType.FREEFORM, alias):
                synonym = vocab.synonym(tag, alias)
        vocab.freeforms.append((tag, synonym))
    vocab.freeform_cum = zipf_cum(count, q=2.0)


def _freeform_name(names: Names) -> str:
    r = names.rng
    shape = r.randrange(6)
    if shape == 0:
        return f"{r.choice(ADJECTIVES).title()} {r.choice(NOUNS).title()}"
    if shape == 1:
        return f"{AU_META} - {r.choice(NOUNS).title()} {r.choice(('Setting', 'Fusion', 'AU'))}"
    if shape == 2:
        return f"{names.word()} {r.choice(NOUNS).title()}"
    if shape == 3:
        return f"Post-{names.word()}"
    if shape == 4:
        return f"{r.choice(ADJECTIVES).title()} {names.word()}"
    return f"{r.choice(NOUNS).title()} {r.choice(('Fix-It', 'Feels', 'Shenanigans', 'Trope'))}"


# --- accounts -----------------------------------------------------------------


def write_accounts(
    count: int, first_id: int, names: Names, sink: Sink, *, keep_names: bool
) -> tuple[array[float], list[str]]:
    """Accounts in chunks (unusable passwords); returns their cumulative writing weights."""
    rng = names.rng
    cum: array[float] = array("d")
    kept: list[str] = []
    total = 0.0
    joined_before = sink.now - YEARS * 365 * DAY
    rows: list[Row] = []
    while len(cum) < count:
        username = _username(names)
        if not names.claim("user", username):
            continue
        password = f"{UNUSABLE_PASSWORD_PREFIX}{rng.getrandbits(160):040x}"
        joined = sink.stamp(joined_before - rng.randrange(365 * DAY))
        rows.append(
            (
                first_id + len(cum),
                password,
                None,
                False,
                username,
                "",
                "",
                f"{username}{MARK}",
                False,
                True,
                joined,
                "",
            )
        )
        # Pareto weights: most accounts write a work or three, a few write hundreds.
        total += min(500.0, rng.paretovariate(1.2))
        cum.append(total)
        if keep_names:
            kept.append(username)
        if len(rows) == BATCH * 4 or len(cum) == count:
            with transaction.atomic():
                sink.insert(User._meta.db_table, USER_COLUMNS, rows)
            rows = []
    names.taken.pop("user", None)  # only needed while accounts are made
    return cum, kept


def _username(names: Names) -> str:
    r = names.rng
    a, b = names.word().lower(), names.word().lower()
    shape = r.randrange(4)
    if shape == 0:
        return f"{a}{b}"
    if shape == 1:
        return f"{a}_{b}"
    if shape == 2:
        return f"{a}{r.randrange(10, 9999)}"
    return f"the{a}writes"


USER_COLUMNS = (
    "id password last_login is_superuser username first_name last_name email is_staff"
    " is_active date_joined bio"
).split()
TAG_COLUMNS = (
    "id type name created_at is_canonical merger_id media listed_count member_count".split()
)
WORK_COLUMNS = (
    "id owner_id title summary notes end_notes rating language expected_chapters is_complete"
    " is_restricted is_draft is_hidden word_count chapter_count created_at published_at"
    " updated_at kudos_count comment_count bookmark_count hit_count listing sort_title"
    " is_crossover bucket"
).split()
CHAPTER_COLUMNS = (
    "work_id position number title summary notes end_notes body word_count is_draft created_at"
    " published_at updated_at"
).split()
FILTER_COLUMNS = ["tag_id", "bucket", "work_id", "tag_type", "listing"]
WORK_TAGS = Work.tags.through._meta.db_table
FILTERS = FilterTag._meta.db_table


# --- works --------------------------------------------------------------------


class StampFn(Protocol):
    """Seconds since the epoch (UTC) as the database's datetime text."""

    def __call__(self, seconds: int, /) -> str: ...


@dataclass
class Columns:
    """Rows kept as one array per column: a worker pickles them as a copy of memory,
    where a list of tuples costs the writer a quarter of its time to unpickle."""

    def __init__(self, *typecodes: str) -> None:
        self.columns: list[Any] = [array(code) if code else [] for code in typecodes]

    def rows(self) -> Iterator[Row]:
        return zip(*self.columns, strict=True)

    def __len__(self) -> int:
        return len(self.columns[0])


@dataclass
class Batch:
    works: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    work_tags: Columns = field(default_factory=lambda: Columns("q", "q"))  # work, tag
    # tag, bucket, work, tag type, listing (the types are a list: repeated strings pickle once)
    filters: Columns = field(default_factory=lambda: Columns("q", "h", "q", "", "b"))
    documents: list[Any] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.works) + len(self.chapters) + len(self.work_tags) + len(self.filters)


@dataclass
class Shape:
    """A work's status, size and dates, before it becomes rows."""

    draft: bool
    hidden: bool
    restricted: bool
    words: int
    chapters: int
    complete: bool
    expected: int | None
    created: int
    published: int
    updated: int
    bodies: list[tuple[str, int]] | None  # (plain text, word count) per chapter, --with-text

    @property
    def listing(self) -> Listing:
        # indexing.listing_of, on the generated flags.
        if self.draft or self.hidden:
            return Listing.UNLISTED
        return Listing.MEMBERS if self.restricted else Listing.PUBLIC


RATING = Choice(RATING_WEIGHTS)
LANGUAGE = Choice(LANGUAGE_WEIGHTS)
SPECIFIC_WARNING = Choice(SPECIFIC_WARNINGS)
RELATIONSHIPS = Choice(dict(enumerate((28, 42, 16, 8, 6))))  # per work, in its main fandom
CHARACTERS = Choice(dict(enumerate((10, 25, 25, 18, 10, 6, 3, 2, 1))))  # besides the pairs'
NO_ROOTS: frozenset[int] = frozenset()


@dataclass
class WorkMaker:
    """Makes works batch by batch; each batch has its own seeded random source."""

    vocab: Vocabulary
    first_account: int
    account_cum: Sequence[float]
    account_names: Sequence[str]  # only with text (the documents' author)
    stamp: StampFn
    seed: int
    with_text: bool
    listed: Counter[int] = field(default_factory=Counter)
    members: Counter[int] = field(default_factory=Counter)

    def batch(self, number: int, first_id: int, count: int) -> Batch:
        batch_seed = self.seed * 1_000_003 + number
        rng = random.Random(batch_seed)
        prose = Prose(seed=batch_seed) if self.with_text else None
        out = Batch()
        for work_id in range(first_id, first_id + count):
            self._work(rng, prose, work_id, out)
        # The tag counters as index_works moves them: a filter row counts for
        # logged-in readers unless unlisted, for everyone if public.
        tags, listings = out.filters.columns[0], out.filters.columns[4]
        self.members.update(t for t, listing in zip(tags, listings, strict=True) if listing < 2)
        self.listed.update(t for t, listing in zip(tags, listings, strict=True) if listing == 0)
        return out

    def _work(self, rng: random.Random, prose: Prose | None, work_id: int, out: Batch) -> None:
        vocab = self.vocab
        fandoms, tags, characters = self._tags(rng)
        shape = self._shape(rng, prose)
        # A set's closure is the union of its tags' closures, and so are its fandom roots.
        closure = list(set().union(*map(vocab.closures.__getitem__, tags)))
        roots = set().union(*map(vocab.roots.get, tags, repeat(NO_ROOTS)))
        owner = self.first_account + bisect.bisect(
            self.account_cum, rng.random() * self.account_cum[-1]
        )
        title = _title(rng)
        summary = _summary(rng, characters)
        notes = _note(rng) if rng.random() < 0.35 else ""
        counters = self._counters(rng, shape, vocab.fandom_boost[fandoms[0]])
        listing = shape.listing
        crossover = len(roots) > 1
        out.works.append(
            _work_row(
                work_id, owner, title, summary, notes, shape, crossover, counters, rng, self.stamp
            )
        )
        out.chapters.extend(_chapter_rows(work_id, shape, self.stamp))
        work_tags, filters = out.work_tags.columns, out.filters.columns
        work_tags[0].extend(repeat(work_id, len(tags)))
        work_tags[1].extend(tags)
        filters[0].extend(closure)
        filters[1].extend(repeat(work_id % SAMPLE_BUCKETS, len(closure)))
        filters[2].extend(repeat(work_id, len(closure)))
        filters[3].extend(map(vocab.types.__getitem__, closure))
        filters[4].extend(repeat(int(listing), len(closure)))
        if shape.bodies is not None and Document is not None:
            author = self.account_names[owner - self.first_account]
            out.documents.append(
                _document(work_id, title, author, summary, notes, tags, shape, vocab)
            )

    def _tags(self, rng: random.Random) -> tuple[list[int], list[int], list[str]]:
        """Fandoms (indexes), the tags the author typed, and character names for the summary."""
        fandoms = self._fandoms(rng)
        chosen: dict[int, int] = {}  # canonical -> the tag the author typed (it or a synonym)
        pairs = self._cast(rng, fandoms, chosen)
        self._freeform_tags(rng, chosen)
        tags = [*self._warnings(rng), *self._categories(rng, pairs), *chosen.values()]
        names, types = self.vocab.names, self.vocab.types
        characters = [names[t] for t in chosen if types[t] == TagType.CHARACTER][:2]
        return fandoms, tags, characters

    def _fandoms(self, rng: random.Random) -> list[int]:
        cum = self.vocab.fandom_cum
        fandoms = [pick(rng, cum)]
        if rng.random() < 0.08:  # a crossover
            wanted = 2 if rng.random() < 0.8 else 3
            while len(fandoms) < wanted:
                other = pick(rng, cum)
                if other not in fandoms:
                    fandoms.append(other)
        return fandoms

    def _cast(self, rng: random.Random, fandoms: list[int], chosen: dict[int, int]) -> list[str]:
        """Fandom, relationship and character tags; returns the romantic pairs' categories."""
        categories: list[str] = []
        for position, index in enumerate(fandoms):
            fandom = self.vocab.fandoms[index]
            _use(rng, chosen, fandom.tag, fandom.synonym)
            main = position == 0
            relationships = RELATIONSHIPS(rng) if main else int(rng.random() < 0.3)
            for _ in range(relationships if fandom.rels else 0):
                rel, synonym, a, b, category = fandom.rels[pick(rng, fandom.rel_cum)]
                _use(rng, chosen, rel, synonym)
                _use(rng, chosen, *fandom.chars[a])  # authors tag a pair's characters too
                _use(rng, chosen, *fandom.chars[b])
                if category:
                    categories.append(category)
            for _ in range(CHARACTERS(rng) if main else 1):
                _use(rng, chosen, *fandom.chars[pick(rng, fandom.char_cum)])
        return categories

    def _freeform_tags(self, rng: random.Random, chosen: dict[int, int]) -> None:
        freeforms, cum = self.vocab.freeforms, self.vocab.freeform_cum
        for _ in range(min(30, int(rng.expovariate(1 / 4.5)))):
            _use(rng, chosen, *freeforms[pick(rng, cum)])

    def _warnings(self, rng: random.Random) -> list[int]:
        fixed = self.vocab.fixed
        roll = rng.random()
        if roll < 0.47:
            return [fixed[NO_WARNINGS]]
        names = {CHOSE_NOT} if roll < 0.80 else set()
        if roll >= 0.80 or rng.random() < 0.1:
            names |= {SPECIFIC_WARNING(rng) for _ in range(1 + (rng.random() < 0.3))}
        return [fixed[name] for name in sorted(names)]

    def _categories(self, rng: random.Random, pairs: list[str]) -> list[int]:
        roll = rng.random()
        if roll < 0.04:  # categories are optional
            return []
        names = set(pairs) or {"Gen"}
        if roll < 0.07:
            names.add("Multi")
        return [self.vocab.fixed[name] for name in sorted(names)]

    def _shape(self, rng: random.Random, prose: Prose | None) -> Shape:
        draft = rng.random() < 0.02
        hidden = not draft and rng.random() < 0.001
        restricted = rng.random() < 0.08
        words = max(50, min(500_000, int(rng.lognormvariate(LOG_MEDIAN_WORDS, 1.35))))
        chapters = max(1, min(50, round(words / rng.lognormvariate(LOG_CHAPTER_WORDS, 0.6))))
        if words < 8000 and rng.random() < 0.6:
            chapters = 1
        bodies = None
        if prose is not None:
            bodies = _bodies(prose, min(words, TEXT_WORDS_MAX), 1 if draft else chapters)
            words = sum(count for _, count in bodies)
        complete = rng.random() < (0.75 if chapters == 1 else 0.25)
        expected = chapters if complete else None
        if not complete and rng.random() < 0.5:
            expected = chapters + rng.randint(1, chapters)
        now = self.vocab.now
        age = int(YEARS * 365 * DAY * (1 - math.sqrt(rng.random())))  # more works lately
        published = now - age - int(rng.random() * DAY)
        if chapters > 1:  # a chaptered work was updated since
            updated = published + int((now - published) * rng.random() ** 0.7)
        elif rng.random() < 0.2:  # an edited one-shot
            updated = published + int((now - published) * rng.random() * 0.3)
        else:
            updated = published
        created = published - int(rng.random() * 3 * DAY)
        return Shape(
            draft,
            hidden,
            restricted,
            words,
            chapters,
            complete,
            expected,
            created,
            published,
            updated,
            bodies,
        )

    def _counters(self, rng: random.Random, shape: Shape, boost: float) -> tuple[int, ...]:
        """(kudos, comments, bookmarks, hits): hits from age, chapters and fandom popularity."""
        if shape.draft:
            return (0, 0, 0, 0)
        days = (self.vocab.now - shape.published) / DAY
        hits = 40 * rng.lognormvariate(0, 1.0) * (1 + days) ** 0.45 * shape.chapters**0.6 * boost
        if shape.restricted:  # only logged-in readers find it
            hits /= 2
        kudos = hits * 0.07 * rng.lognormvariate(0, 0.4)
        bookmarks = kudos * 0.18 * rng.lognormvariate(0, 0.5)
        comments = kudos * 0.12 * math.sqrt(shape.chapters) * rng.lognormvariate(0, 0.6)
        return (int(kudos), int(comments), int(bookmarks), int(hits))


LOG_MEDIAN_WORDS = math.log(3000)
LOG_CHAPTER_WORDS = math.log(4000)
COLUMN = {name: index for index, name in enumerate(WORK_COLUMNS)}


def _tally(works: list[Row]) -> Counter[str]:
    """Shape figures for the report, read off the work rows."""
    tally: Counter[str] = Counter(works=len(works))
    for name, column, test in (
        ("crossover", "is_crossover", None),
        ("complete", "is_complete", None),
        ("restricted", "is_restricted", None),
        ("draft", "is_draft", None),
        ("hidden", "is_hidden", None),
        ("oneshot", "chapter_count", 1),
    ):
        index = COLUMN[column]
        tally[name] = sum(1 for row in works if (row[index] == test if test else row[index]))
    return tally


def _work_row(
    work_id: int,
    owner: int,
    title: str,
    summary: str,
    notes: str,
    shape: Shape,
    crossover: bool,
    counters: tuple[int, ...],
    rng: random.Random,
    stamp: StampFn,
) -> Row:
    """The works_work row, with the posted counts the services would keep."""
    expected = shape.expected
    if shape.draft:  # never posted: _refresh_counts counts posted chapters only
        posted = words = 0
        published = updated = None
        expected = 1 if shape.complete else expected
    else:
        posted, words = shape.chapters, shape.words
        published, updated = stamp(shape.published), stamp(shape.updated)
    return (
        work_id,
        owner,
        title,
        _html(summary),
        _html(notes),
        "",
        RATING(rng),
        LANGUAGE(rng),
        expected,
        shape.complete,
        shape.restricted,
        shape.draft,
        shape.hidden,
        words,
        posted,
        stamp(shape.created),
        published,
        updated,
        *counters,
        int(shape.listing),
        sort_title_of(title),
        crossover,
        work_id % SAMPLE_BUCKETS,
    )


def _chapter_rows(work_id: int, shape: Shape, stamp: StampFn) -> list[Row]:
    draft, created = shape.draft, stamp(shape.created)
    if shape.bodies is None:  # one short row carrying the work's word count
        words = 0 if draft else shape.words
        when = None if draft else stamp(shape.published)
        return [
            (
                work_id,
                1,
                1,
                "",
                "",
                "",
                "",
                PLACEHOLDER,
                words,
                draft,
                created,
                when,
                when or created,
            )
        ]
    rows = []
    last = max(1, len(shape.bodies) - 1)
    for position, (body, words) in enumerate(shape.bodies, start=1):
        at = shape.published + (shape.updated - shape.published) * (position - 1) // last
        when = None if draft else stamp(at)
        rows.append(
            (
                work_id,
                position,
                position,  # number: a generated work's chapters are all posted or all drafts
                "",
                "",
                "",
                "",
                _html(body),
                words,
                draft,
                created,
                when,
                when or created,
            )
        )
    return rows


PLACEHOLDER = "<p>A generated work: the benchmark corpus holds no text for it.</p>"


def _html(text: str) -> str:
    """Plain text as the services store it (``plain_text_to_html``): one <p> per paragraph."""
    if not text:
        return ""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in text.split("\n\n"))


def _document(
    work_id: int,
    title: str,
    author: str,
    summary: str,
    notes: str,
    tags: list[int],
    shape: Shape,
    vocab: Vocabulary,
) -> Any:
    """What the full-text search reads: plain text, a draft's unposted chapter left out."""
    readable = [] if shape.draft else [body for body, _ in shape.bodies or []]
    return Document(
        work_id=work_id,
        title=title,
        author=author,
        summary=summary,
        notes=notes,
        tags=", ".join(vocab.names[tag] for tag in tags),
        body="\n\n".join(readable),
    )


_WORDS_OF: dict[str, int] = {}


def _bodies(prose: Prose, words: int, chapters: int) -> list[tuple[str, int]]:
    """Chapters of generated prose, about ``words`` in all, counted as the services count."""
    per_chapter = max(20, words // chapters)
    bodies = []
    for _ in range(chapters):
        paragraphs: list[str] = []
        count = 0
        while count < per_chapter:
            paragraph = prose.paragraph()
            paragraphs.append(paragraph)
            # Prose repeats its sentences, so remembering their counts makes count_words cheap.
            n = _WORDS_OF.get(paragraph)
            if n is None:
                n = count_words(paragraph)
                if len(_WORDS_OF) < 500_000:
                    _WORDS_OF[paragraph] = n
            count += n
        bodies.append(("\n\n".join(paragraphs), count))
    return bodies


def _use(rng: random.Random, chosen: dict[int, int], canonical: int, synonym: int | None) -> None:
    if canonical not in chosen:
        if synonym is not None and rng.random() < SYNONYM_USE:
            chosen[canonical] = synonym
        else:
            chosen[canonical] = canonical


def _title(rng: random.Random) -> str:
    adj, noun = one_of(rng, ADJECTIVES), one_of(rng, NOUNS).title()
    shape = int(rng.random() * 6)
    if shape == 0:
        return noun
    if shape == 1:
        return f"The {adj.title()} {noun}"
    if shape == 2:
        return f"{noun} and {one_of(rng, NOUNS).title()}"
    if shape == 3:
        return f"A {noun} of {one_of(rng, NOUNS).title()}s"
    if shape == 4:
        return f"{adj} {noun.lower()}s"
    return f"What the {noun} Knew"


def _summary(rng: random.Random, characters: list[str]) -> str:
    a, b = [*characters, "She", "the stranger"][:2]
    return one_of(rng, SUMMARIES).format(
        a=a,
        b=b,
        thing=f"the {one_of(rng, NOUNS)}",
        noun=one_of(rng, NOUNS),
        adj=one_of(rng, ADJECTIVES),
    )


def _note(rng: random.Random) -> str:
    return one_of(rng, NOTES).format(
        user=f"{one_of(rng, ONSETS)}{one_of(rng, VOWELS)}{one_of(rng, NOUNS)}",
        adj=one_of(rng, ADJECTIVES),
        noun=one_of(rng, NOUNS),
    )


# --- the database ---------------------------------------------------------------


# Every time of day as text: a work has a handful of datetimes, and strftime is slow.
CLOCK = [f"{h:02d}:{m:02d}:{sec:02d}" for h in range(24) for m in range(60) for sec in range(60)]


def with_defaults(
    table: str, columns: Sequence[str], rows: Iterable[Row]
) -> tuple[list[str], Iterable[Row]]:
    """The columns and rows, completed by every other NOT NULL column's model default.

    The generator names the columns it fills; a field added to a model later
    (a reader's preference, a work's switch) would otherwise fail the load
    with "NOT NULL constraint failed" instead of taking its default.
    """
    tail_columns, tail = _defaults(table, tuple(columns))
    if not tail:
        return list(columns), rows
    return [*columns, *tail_columns], (tuple(row) + tail for row in rows)


def _defaults(table: str, columns: tuple[str, ...]) -> tuple[list[str], tuple[Any, ...]]:
    from django.apps import apps

    models = [m for m in apps.get_models() if m._meta.db_table == table]
    if not models:
        return [], ()
    names, values = [], []
    for model_field in models[0]._meta.concrete_fields:
        if model_field.column in columns or model_field.primary_key or model_field.null:
            continue
        if model_field.has_default():
            names.append(model_field.column)
            values.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    return names, tuple(values)


class Sink:
    """Bulk writes for one database: executemany on SQLite (see PostgresSink for COPY)."""

    def __init__(self) -> None:
        self.now = int(time.time()) // DAY * DAY  # today, midnight UTC: one seed, one corpus a day
        self._dates: dict[int, str] = {}
        self.spent: Counter[str] = Counter()  # CPU seconds writing, per table, for the report
        # table -> (staging table, columns, ORDER BY) where its rows wait until finish_rows()
        self.staged: dict[str, tuple[str, str, str]] = {}

    suffix = ""  # Django's SQLite text for a UTC datetime (adapt_datetimefield_value)

    def stamp(self, seconds: int, /) -> str:
        day, second = divmod(seconds, DAY)
        date = self._dates.get(day)
        if date is None:
            date = self._dates[day] = time.strftime("%Y-%m-%d ", time.gmtime(day * DAY))
        return date + CLOCK[second] + self.suffix

    def prepare(self) -> None:
        with connection.cursor() as cursor:
            # A generated load can be made again, so durability is not worth a sync per batch.
            cursor.execute("PRAGMA synchronous = OFF")
            # Rows are consistent by construction (--check compares them with the
            # services); checking each one's parents costs a fifth of the load.
            cursor.execute("PRAGMA foreign_keys = OFF")
            # Every B-tree here is filled in key order (appends, staged rows), so a big
            # cache buys little; the sorts (ORDER BY, CREATE INDEX) take this much.
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MiB
            # A rollback journal writes new pages once, where WAL writes them twice;
            # and a WAL as big as the load made the index builds hold gigabytes.
            cursor.execute("PRAGMA journal_mode = DELETE")
            # The archive's settings map the file into memory (reads in place);
            # here a map would count every page written as the writer's own
            # resident memory and hide what it really holds.
            cursor.execute("PRAGMA mmap_size = 0")

    def reconnect(self) -> None:
        """A new connection: the old one's caches and temporary database held, at a
        million works, gigabytes that the index builds then grew on."""
        connection.close()
        self.prepare()

    def drop_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the tables' secondary indexes; returns the SQL that makes them again.

        Building an index once at the end is several times cheaper than keeping
        it up to date row by row. Primary keys and UNIQUE constraints stay.
        """
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks})",
                list(tables),
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]

    def create_indexes(self, statements: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def stage(self, table: str, columns: Sequence[str], order: str = "") -> None:
        """Let ``table``'s rows wait in a temporary table, to go in with one statement.

        The filter rows' primary key leads with the tag, so batch by batch each
        batch inserts into every tag's range; once, in key order (``order``),
        it is an append. An AUTOINCREMENT table writes its sequence once per
        statement: once instead of once per row.
        """
        staging = f"temp.corpus_{table}"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")
            names = ", ".join(with_defaults(table, columns, ())[0])
            cursor.execute(f"CREATE TABLE {staging} AS SELECT {names} FROM {table} WHERE 0")
        self.staged[table] = (staging, names, f" ORDER BY {order}" if order else "")

    def finish_rows(self) -> None:
        """Move the staged rows into their tables."""
        for table, (staging, columns, order) in self.staged.items():
            started = time.process_time()
            with transaction.atomic(), connection.cursor() as cursor:
                select = f"SELECT {columns} FROM {staging}{order}"
                cursor.execute(f"INSERT INTO {table} ({columns}) {select}")
                cursor.execute(f"DROP TABLE {staging}")
            self.spent[f"{table} (moved in)"] += time.process_time() - started
        self.staged = {}

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        started = time.process_time()
        columns, rows = with_defaults(table, columns, rows)
        marks = ", ".join(["?"] * len(columns))
        target = self.staged[table][0] if table in self.staged else table
        sql = f"INSERT INTO {target} ({', '.join(columns)}) VALUES ({marks})"
        with connection.cursor() as cursor:
            # The sqlite3 cursor itself: Django's wrapper would rewrite the SQL and tee the rows.
            sqlite3_executemany(cursor.cursor, sql, rows)
        self.spent[table] += time.process_time() - started

    def add_counts(self, listed: Counter[int], members: Counter[int]) -> None:
        """Move the tag counters by what this load added (as index_works does, never recount)."""
        rows = [(listed.get(tag, 0), count, tag) for tag, count in sorted(members.items())]
        with connection.cursor() as cursor:
            sqlite3_executemany(
                cursor.cursor,
                f"UPDATE {Tag._meta.db_table} SET listed_count = listed_count + ?,"
                " member_count = member_count + ? WHERE id = ?",
                rows,
            )

    def finish(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA journal_mode = WAL")  # as the settings open it
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")

    def size(self) -> int:
        name = str(settings.DATABASES["default"]["NAME"])
        return sum(p.stat().st_size for p in map(Path, (name, f"{name}-wal")) if p.exists())


def sqlite3_executemany(cursor: Any, sql: str, rows: Iterable[Row]) -> None:
    import sqlite3

    sqlite3.Cursor.executemany(cursor, sql, rows)


class PostgresSink(Sink):
    """COPY for the rows; the tag counters through a temporary table."""

    suffix = "+00"

    def prepare(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '512MB'")  # for the index builds

    def drop_indexes(self, tables: Sequence[str]) -> list[str]:
        # Indexes behind a constraint (primary keys, UNIQUE) stay.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                " WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass)",
                [list(tables)],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]

    def stage(self, table: str, columns: Sequence[str], order: str = "") -> None:
        del table, columns, order  # COPY straight in: the server process does the B-tree work

    def finish_rows(self) -> None:
        pass

    def reconnect(self) -> None:
        pass

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        started = time.process_time()
        columns, rows = with_defaults(table, columns, rows)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        self.spent[table] += time.process_time() - started

    def add_counts(self, listed: Counter[int], members: Counter[int]) -> None:
        rows = [(tag, listed.get(tag, 0), count) for tag, count in sorted(members.items())]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE corpus_counts (id bigint, listed int, members int)"
                " ON COMMIT DROP"
            )
            self.insert("corpus_counts", ("id", "listed", "members"), rows)
            cursor.execute(
                f"UPDATE {Tag._meta.db_table} t SET listed_count = t.listed_count + c.listed,"
                " member_count = t.member_count + c.members FROM corpus_counts c WHERE t.id = c.id"
            )

    def finish(self) -> None:
        with connection.cursor() as cursor:
            # Ids were given here, so the identity sequences must catch up.
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Tag, Work]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")

    def size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])


def make_sink() -> Sink:
    if connection.vendor == "sqlite":
        return Sink()
    if connection.vendor == "postgresql":
        return PostgresSink()
    raise SystemExit(f"bench.corpus writes to SQLite or PostgreSQL, not {connection.vendor}")


def existing() -> Existing:
    """The archive's tags and wrangling (to reuse or avoid), and its usernames."""
    types: dict[int, str] = {}
    by_name: dict[tuple[str, str], int] = {}
    taken: dict[str, set[str]] = {}
    for tag, tag_type, name in Tag.objects.values_list("pk", "type", "name").iterator(10_000):
        types[tag] = tag_type
        by_name[tag_type, name.casefold()] = tag
        taken.setdefault(tag_type, set()).add(name.casefold())
    taken["user"] = {name.casefold() for name in User.objects.values_list("username", flat=True)}
    mergers = dict(Tag.objects.exclude(merger=None).values_list("pk", "merger_id"))
    metas = list(Tag.meta_tags.through.objects.values_list("from_tag_id", "to_tag_id"))
    return Existing(types, mergers, metas, by_name, taken)


def next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {model._meta.db_table}")
        return int(cursor.fetchone()[0] or 0) + 1


def make_fresh() -> None:
    """Empty the archive, if everything in it was generated."""
    others = User.objects.exclude(email__endswith=MARK).count()
    if others:
        raise SystemExit(
            f"--fresh refused: the database has {others} account(s) this generator did not make."
        )
    if connection.vendor == "sqlite":  # dropping the file beats deleting millions of rows
        name = str(settings.DATABASES["default"]["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    else:
        call_command("flush", interactive=False, verbosity=0)


def write_vocabulary(sink: Sink, vocab: Vocabulary) -> None:
    created = sink.stamp(vocab.now - YEARS * 365 * DAY)
    rows = [
        (tag, kind, name, created, canonical, merger, media, 0, 0)
        for tag, kind, name, canonical, merger, media in vocab.rows
    ]
    with transaction.atomic():
        sink.insert(Tag._meta.db_table, TAG_COLUMNS, rows)
        links = ("from_tag_id", "to_tag_id")
        sink.insert(Tag.meta_tags.through._meta.db_table, links, vocab.metas)
        sink.insert(Tag.parents.through._meta.db_table, links, vocab.parents)


def write_batch(sink: Sink, batch: Batch) -> None:
    with transaction.atomic():
        sink.insert(Work._meta.db_table, WORK_COLUMNS, batch.works)
        sink.insert(WORK_TAGS, ("work_id", "tag_id"), batch.work_tags.rows())
        sink.insert(Chapter._meta.db_table, CHAPTER_COLUMNS, batch.chapters)
        sink.insert(FILTERS, FILTER_COLUMNS, batch.filters.rows())
        if batch.documents and index_documents is not None:
            started = time.process_time()
            index_documents(batch.documents)
            sink.spent["full-text index"] += time.process_time() - started


BULK_TABLES = [
    Work._meta.db_table,
    WORK_TAGS,
    Chapter._meta.db_table,
    FilterTag._meta.db_table,
]


class Clock:
    """Wall time per phase, for the report."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now
        print(f"  {name}: {self.laps[-1][1]:.1f} s", flush=True)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def load(n_works: int, seed: int, *, with_text: bool, fresh: bool, workers: int) -> None:
    clock = Clock()
    call_command("migrate", interactive=False, verbosity=0)
    if fresh:
        make_fresh()
    if with_text and index_documents is None:
        print("  fanfold.archive.search.fulltext is missing: chapters get text, the index does not")
    sink = make_sink()
    sink.prepare()
    archive = existing()
    names = Names(random.Random(seed), archive.taken)
    vocab = build_vocabulary(n_works, names, next_id(Tag), sink.now, archive)
    del archive
    write_vocabulary(sink, vocab)
    first_account = next_id(User)
    accounts = max(10, n_works // 8)
    cum, usernames = write_accounts(accounts, first_account, names, sink, keep_names=with_text)
    clock.lap("migrate, tags, accounts")
    print(f"  {len(vocab.rows):,} tags, {len(cum):,} accounts", flush=True)
    maker = WorkMaker(vocab, first_account, cum, usernames, sink.stamp, seed, with_text)
    gc.collect()
    gc.freeze()  # the vocabulary lives to the end: no collection needs to walk it again
    indexes = sink.drop_indexes(BULK_TABLES)
    sink.stage(FilterTag._meta.db_table, FILTER_COLUMNS, order="tag_id, bucket, work_id")
    sink.stage(WORK_TAGS, ("work_id", "tag_id"))
    first_work = next_id(Work)
    try:
        rows, tally = _write_works(sink, maker, first_work, n_works, clock, workers)
        clock.lap(f"works (waiting {WAITED[0]:.1f} s for workers)")
        with transaction.atomic():
            sink.add_counts(maker.listed, maker.members)
        clock.lap("tag counters")
        sink.finish_rows()
        clock.lap("staged rows")
    finally:
        sink.reconnect()
        sink.create_indexes(indexes)
        clock.lap(f"{len(indexes)} indexes")
    sink.finish()
    clock.lap("ANALYZE")
    _report(tally, rows, clock, sink.size())
    spent = ", ".join(f"{t} {s:.1f} s" for t, s in sink.spent.most_common())
    print(f"  writer CPU: {spent}")


def _write_works(
    sink: Sink, maker: WorkMaker, first: int, n_works: int, clock: Clock, workers: int
) -> tuple[int, Counter[str]]:
    size = BATCH // 5 if maker.with_text else BATCH  # text batches are big
    tally: Counter[str] = Counter()
    jobs = [
        (n, first + start, min(size, n_works - start))
        for n, start in enumerate(range(0, n_works, size))
    ]
    rows = done = 0
    shown = time.perf_counter()
    for batch in batches(maker, jobs, workers):
        write_batch(sink, batch)
        tally.update(_tally(batch.works))
        rows += batch.row_count
        done += len(batch.works)
        if time.perf_counter() - shown > 10 or done == n_works:
            shown = time.perf_counter()
            elapsed = clock.total
            print(
                f"  {done:>10,} works  {rows:>12,} rows  {elapsed:7.1f} s"
                f"  {done / elapsed:8,.0f} works/s  {rows / elapsed:9,.0f} rows/s",
                flush=True,
            )
    return rows, tally


WAITED = [0.0]  # seconds the writer waited for made batches: which side bounds the load


def batches(
    maker: WorkMaker, jobs: Sequence[tuple[int, int, int]], workers: int
) -> Iterator[Batch]:
    """The batches in order, made by ``workers`` forked processes.

    Worker k makes batches k, k + workers, ... into its own queue of two, so
    memory stays bounded and the order is the seed's; at the end it sends its
    tag counters, which are added into ``maker``'s.
    """
    if workers < 1:
        yield from (maker.batch(*job) for job in jobs)
        return
    context = multiprocessing.get_context("fork")  # the workers share the vocabulary as is
    queues = [context.Queue(maxsize=2) for _ in range(workers)]
    processes = [
        context.Process(target=_work_share, args=(maker, jobs[k::workers], queues[k]), daemon=True)
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    for index in range(len(jobs)):
        yield _take(queues[index % workers], processes[index % workers])
    for queue, process in zip(queues, processes, strict=True):
        listed, members = _take(queue, process)
        maker.listed.update(listed)
        maker.members.update(members)
        process.join()


def _work_share(maker: WorkMaker, jobs: Sequence[tuple[int, int, int]], queue: Any) -> None:
    """In a worker: make these batches, then send the counters they moved."""
    for job in jobs:
        queue.put(maker.batch(*job))
    queue.put((maker.listed, maker.members))


def _take(queue: Any, process: Any) -> Any:
    started = time.perf_counter()
    while True:
        try:
            item = queue.get(timeout=1)
            break
        except Empty:
            if not process.is_alive():
                raise SystemExit(f"a worker stopped (exit code {process.exitcode})") from None
    WAITED[0] += time.perf_counter() - started
    return item


def _report(tally: Counter[str], rows: int, clock: Clock, size: int) -> None:
    works = tally["works"] or 1
    shares = ", ".join(
        f"{key} {tally[key] / works:.1%}"
        for key in ("crossover", "complete", "oneshot", "restricted", "draft", "hidden")
    )
    me = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = clock.total
    print("  " + ", ".join(f"{name} {lap:.1f} s" for name, lap in clock.laps))
    print(f"  {tally['works']:,} works: {shares}")
    print(
        f"  total {seconds:.1f} s, {rows / seconds:,.0f} rows/s,"
        f" {tally['works'] / seconds:,.0f} works/s; database {size / 1e9:.2f} GB"
    )
    print(
        f"  CPU: writer {me.ru_utime + me.ru_stime:.0f} s, workers"
        f" {workers.ru_utime + workers.ru_stime:.0f} s; peak memory: writer"
        f" {me.ru_maxrss / 1024:,.0f} MB, a worker {workers.ru_maxrss / 1024:,.0f} MB"
    )


# --- the check: generated rows against what the services write -------------------


def check(sample: int, seed: int) -> bool:
    """For ``sample`` generated works, compare the rows here with what index_works writes."""
    rng = random.Random(seed)
    first, last = _generated_range()
    if first is None:
        print("  no generated works to check")
        return False
    ids = sorted(rng.sample(range(first, last + 1), min(sample, last - first + 1)))
    ids = list(Work.objects.filter(pk__in=ids).values_list("pk", flat=True))
    ours_rows, ours_works = _indexed(ids)
    tags = {row[1] for row in ours_rows}
    counts = _counters(tags)
    recounted = _recounted(tags)
    with transaction.atomic():
        unindex_works(ids)
        index_works(ids)
        theirs_rows, theirs_works = _indexed(ids)
        theirs_counts = _counters(tags)
        transaction.set_rollback(True)  # the check leaves the archive as it was
    problems = [
        *_differences("filter rows", ours_rows, theirs_rows),
        *_differences("works (listing, bucket, sort title, crossover)", ours_works, theirs_works),
        *_differences(
            "tag counters after re-indexing", set(counts.items()), set(theirs_counts.items())
        ),
        *_differences(
            "tag counters against the filter rows", set(counts.items()), set(recounted.items())
        ),
    ]
    crossovers = sum(1 for row in ours_works if row[4])
    print(
        f"  checked {len(ids)} works ({crossovers} crossovers), {len(ours_rows):,} filter rows,"
        f" {len(tags):,} tag counters: {'the same as index_works' if not problems else 'DIFFERENT'}"
    )
    for problem in problems[:20]:
        print(f"    {problem}")
    return not problems


def _generated_range() -> tuple[int | None, int]:
    works = Work.objects.filter(owner__email__endswith=MARK)
    first = works.order_by("pk").values_list("pk", flat=True).first()
    last = works.order_by("-pk").values_list("pk", flat=True).first()
    return first, int(last or 0)


def _indexed(ids: list[int]) -> tuple[set[Row], set[Row]]:
    rows = set(
        FilterTag.objects.filter(work_id__in=ids).values_list(
            "work_id", "tag_id", "bucket", "tag_type", "listing"
        )
    )
    works = set(
        Work.objects.filter(pk__in=ids).values_list(
            "pk", "listing", "bucket", "sort_title", "is_crossover"
        )
    )
    return rows, works


def _counters(tags: set[int]) -> dict[int, tuple[int, int]]:
    rows = Tag.objects.filter(pk__in=tags).values_list("pk", "listed_count", "member_count")
    return {tag: (listed, members) for tag, listed, members in rows}


def _recounted(tags: set[int]) -> dict[int, tuple[int, int]]:
    """recount_tags' rule, for these tags only."""
    found: dict[int, tuple[int, int]] = {}
    for tag in tags:
        rows = FilterTag.objects.filter(tag_id=tag)
        listed = rows.filter(listing=Listing.PUBLIC).count()
        found[tag] = (listed, rows.filter(listing__lt=Listing.UNLISTED).count())
    return found


def _differences(what: str, ours: set[Any], theirs: set[Any]) -> list[str]:
    if ours == theirs:
        return []
    only_ours, only_theirs = sorted(ours - theirs)[:3], sorted(theirs - ours)[:3]
    return [
        f"{what}: {len(ours - theirs)} only here (e.g. {only_ours}),"
        f" {len(theirs - ours)} only from the services (e.g. {only_theirs})"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--works", type=int, default=0, help="how many works to add")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-text", action="store_true", help="chapters with generated prose")
    parser.add_argument("--fresh", action="store_true", help="empty the (generated) archive first")
    parser.add_argument("--check", action="store_true", help="compare a sample with index_works")
    parser.add_argument("--sample", type=int, default=200, help="works --check compares")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, (os.cpu_count() or 2) - 1),  # the rest write (or run PostgreSQL)
        help="processes making works (0: none)",
    )
    args = parser.parse_args()
    if not args.works and not args.check:
        parser.error("give --works N, --check, or both")
    where = connection.settings_dict["NAME"]
    print(f"bench.corpus on {connection.vendor} ({where})")
    if args.works:
        load(
            args.works, args.seed, with_text=args.with_text, fresh=args.fresh, workers=args.workers
        )
    if args.check and not check(args.sample, args.seed):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
