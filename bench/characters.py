"""Character discovery (the ``characters`` stage) against the PDNC dev casts.

A found cluster *matches* a gold character when its name or one of its
aliases is one of the gold character's names (compared without dots, case
or extra spaces). Gold entries ``_group`` and ``_unknowable`` are not
characters. Per novel, and pooled per group (TUNE tunes, HELDOUT is only
reported):

- wR: share of gold quotations whose speaker some found cluster matches;
  clean: the same, counting only speakers matched by exactly one cluster
  that matches no other gold character;
- R5: share of gold characters with >= 5 quotations that are matched;
- P: share of found clusters with >= ``--min-mentions`` (default 5) mentions
  that match a gold character (a lower bound: Emma's gold cast is its speakers);
- merges: found clusters matching two or more gold characters; splits:
  gold characters matched by two or more found clusters (any mention count);
- words/s: the characters stage alone, median of ``--repeat`` runs, each
  with the first-name cache emptied (the lexicon's one-time load excluded).

    .venv/bin/python -m bench.characters [--novels NAME ...] [--show N] [--min-mentions M]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bench.pdnc import HELDOUT, TUNE, Novel, novels
from fanfold.text import characters as characters_stage
from fanfold.text.characters import Cast, Character, find_characters
from fanfold.text.words import count_words

MIN_QUOTES = 5  # gold characters counted in R5


def name_key(name: str) -> str:
    """A name as compared: no dots, lower case, single spaces ("Mr. E." -> "mr e")."""
    return " ".join(name.replace(".", " ").replace("’", "'").lower().split())


def gold_owners(cast: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """Name key -> the gold characters going by it (one each on PDNC dev)."""
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for character, aliases in cast.items():
        if character.startswith("_"):
            continue
        for alias in (character, *aliases):
            if alias.strip():
                owners[name_key(alias)].add(character)
    return dict(owners)


def matches(names: Iterable[str], owners: Mapping[str, set[str]]) -> set[str]:
    """The gold characters that a found cluster with these names matches.

    >>> matches(["Mr Elton", "Eltons"], {"mr elton": {"Mr. Elton"}})
    {'Mr. Elton'}
    """
    return {gold for key in map(name_key, names) for gold in owners.get(key, ())}


@dataclass
class Score:
    quotes_found: int = 0  # gold quotations whose speaker is matched
    quotes_clean: int = 0  # ... by exactly one cluster, which matches only them
    quotes: int = 0
    major_found: int = 0  # gold characters with >= MIN_QUOTES quotations, matched
    major: int = 0
    clusters_matching: int = 0  # found clusters with >= min mentions that match
    clusters: int = 0
    merges: int = 0
    splits: int = 0
    words: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, name: str) -> str:
        return (
            f"  {name:30} {self.quotes_found / max(self.quotes, 1):6.3f}"
            f" {self.quotes_clean / max(self.quotes, 1):6.3f}"
            f" {self.major_found / max(self.major, 1):6.3f} {self.major:4d}"
            f" {self.clusters_matching / max(self.clusters, 1):6.3f} {self.clusters:5d}"
            f" {self.merges:6d} {self.splits:6d} {self.words / max(self.seconds, 1e-9):10,.0f}"
        )


def header(min_mentions: int) -> str:
    return (
        f"  {'novel':30} {'wR':>6} {'clean':>6} {'R5':>6} {'n5':>4} {'P':>6}"
        f" {f'n>={min_mentions}':>5} {'merges':>6} {'splits':>6} {'words/s':>10}"
    )


@dataclass
class Outcome:
    """One novel's found cast set against its gold cast."""

    score: Score
    quotes: Counter[str]  # gold character -> quotations
    found_by: dict[str, list[Character]] = field(default_factory=dict)  # gold -> clusters
    merged: list[tuple[Character, set[str]]] = field(default_factory=list)


def _empty_name_cache() -> None:
    """Time each run as a first reading: the stage caches first-name lookups per process."""
    cached = getattr(characters_stage, "_first_name_gender", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def score_novel(novel: Novel, min_mentions: int, repeat: int) -> tuple[Outcome, Cast]:
    times = []
    for _ in range(repeat):
        _empty_name_cache()
        started = time.perf_counter()
        cast = find_characters([novel.text])
        times.append(time.perf_counter() - started)
    owners = gold_owners(novel.cast)
    real = {c for c in novel.cast if not c.startswith("_")}
    quotes = Counter(q.speaker for q in novel.quotes if q.speaker in real)
    outcome = Outcome(
        Score(words=count_words(novel.text), seconds=statistics.median(times)), quotes
    )
    found_by: defaultdict[str, list[Character]] = defaultdict(list)
    score = outcome.score
    for character in cast.characters:
        matched = matches((character.name, *character.aliases), owners)
        for gold in matched:
            found_by[gold].append(character)
        if len(matched) > 1:
            outcome.merged.append((character, matched))
        if character.mentions >= min_mentions:
            score.clusters += 1
            score.clusters_matching += bool(matched)
    outcome.found_by = dict(found_by)
    score.merges = len(outcome.merged)
    score.splits = sum(len(clusters) > 1 for clusters in found_by.values())
    score.quotes = sum(quotes.values())
    score.quotes_found = sum(n for gold, n in quotes.items() if gold in found_by)
    merged = {id(character) for character, _ in outcome.merged}
    score.quotes_clean = sum(
        n
        for gold, n in quotes.items()
        if len(found_by.get(gold, [])) == 1 and id(found_by[gold][0]) not in merged
    )
    major = [gold for gold in real if quotes[gold] >= MIN_QUOTES]
    score.major = len(major)
    score.major_found = sum(gold in found_by for gold in major)
    return outcome, cast


def show(novel: Novel, outcome: Outcome, cast: Cast, count: int) -> None:
    """The most-quoted missed or split gold characters, then the largest merges."""
    ranked = sorted(outcome.quotes, key=lambda gold: -outcome.quotes[gold])
    shown = 0
    for gold in ranked:
        clusters = outcome.found_by.get(gold, [])
        if len(clusters) == 1 or shown >= count:
            continue
        shown += 1
        names = sorted(set(novel.cast[gold]) | {gold})
        if clusters:
            parts = ", ".join(f"{c.name!r} ({c.mentions})" for c in clusters)
            print(f"    split  {gold!r} [{outcome.quotes[gold]} quotes] into {parts}")
        else:
            near = _near(names, cast)
            print(f"    missed {gold!r} [{outcome.quotes[gold]} quotes] gold {names}; near: {near}")
    merged = sorted(outcome.merged, key=lambda item: -item[0].mentions)[:count]
    for character, golds in merged:
        print(
            f"    merged {character.name!r} ({character.mentions}) {list(character.aliases)}"
            f" = {sorted(golds)}"
        )


def _near(names: Sequence[str], cast: Cast) -> str:
    """Found clusters sharing a word with the gold names: what the miss turned into."""
    words = {w for name in names for w in name_key(name).split()} - {"mr", "mrs", "miss", "the"}
    near = [
        c
        for c in cast.characters
        if words & {w for alias in c.aliases for w in name_key(alias).split()}
    ]
    return ", ".join(f"{c.name!r} ({c.mentions})" for c in near[:3]) or "-"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--novels", nargs="*", help="only these novels")
    parser.add_argument("--min-mentions", type=int, default=5, help="clusters counted in P")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs a novel (median)")
    parser.add_argument(
        "--show", type=int, default=0, help="TUNE only: N most-quoted missed or split characters"
    )
    args = parser.parse_args(argv)
    find_characters(["Mark Sloan sighed."])  # load the lexicons before any timing
    print(f"Character discovery on PDNC dev (P over clusters with >= {args.min_mentions} mentions)")
    for split, names in (("TUNE", TUNE), ("HELDOUT", HELDOUT)):
        chosen = tuple(n for n in names if not args.novels or n in args.novels)
        if not chosen:
            continue
        print(f"{split}\n{header(args.min_mentions)}")
        total = Score()
        for novel in novels(chosen):
            outcome, cast = score_novel(novel, args.min_mentions, max(args.repeat, 1))
            print(outcome.score.row(novel.name))
            # HELDOUT errors are never printed: that group stays an honest measurement.
            if split == "TUNE" and args.show:
                show(novel, outcome, cast, args.show)
            total.add(outcome.score)
        print(total.row(f"{split} (pooled)"))


if __name__ == "__main__":
    main()
