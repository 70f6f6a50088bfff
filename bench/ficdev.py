"""The reading engine on real fan fiction: ``score.py`` of fic-dev, on our own split.

fic-dev (``../shared/eval/fic-dev``) is 40 real chapters of 26 works,
hand-annotated, with the scorer that measures the private test set. It is
split here in two, by work, across sites and formats:

- TUNE: the works the rules may be read against and steered by;
- CHECK: works kept aside, never read while writing rules, scored to see
  whether what helped TUNE carries to chapters the rules were not made on.

Below each headline, the order's calibration: of the orders given
confidence >= 0.8 (each multi-chapter work shuffled five ways), how many
are right, and of the rest.

Both halves are scored by ``score.py`` itself, through ``fanfold analyse
--json`` (the command a user runs), so the figures are the ones the private
set will give under the same code. With ``--tags``, the suggested character
and relationship tags are scored the same way, per half, by fic-dev's
``score_tags.py`` (authors' tags; only works whose source has tags count).

    .venv/bin/python -m bench.ficdev [--split tune|check|all] [--details] [--tags]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from bench.pdnc import shared_dir

# Seven works (12 chapters) aside: two AO3 pages, two FFN pages, a pandoc
# Markdown export, a rationalfiction.io copy and a hard-wrapped ebook source.
CHECK = ("applesauce", "childoffour", "coldwater", "fabricfate", "potdk", "radiance", "stuck")
TUNE = (
    "accident",
    "bravenew",
    "cadmean",
    "counting",
    "demonology",
    "dmpr",
    "drizzt",
    "dustshalt",
    "goodcause",
    "ibiki",
    "kimetsu",
    "luminosity",
    "misfits",
    "newday",
    "onlyheart",
    "paragons",
    "seventhhorcrux",
    "timewas",
    "westernstars",
)
FANFOLD = str(Path(sys.executable).with_name("fanfold"))


def ficdev_dir() -> Path:
    return shared_dir() / "eval" / "fic-dev"


def score(works: tuple[str, ...], json_out: Path | None = None) -> str:
    """score.py's whole report for these works (its last line is the HEADLINE)."""
    command = [
        sys.executable,
        str(ficdev_dir() / "score.py"),
        "--cmd",
        f"{FANFOLD} analyse --json",
        "--works",
        ",".join(works),
    ]
    if json_out is not None:
        command += ["--json-out", str(json_out)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1800)
    return result.stdout


def score_tags(works: tuple[str, ...], jobs: int = 2) -> str:
    """``score_tags.py``'s report on the suggested tags of these works (last line HEADLINE)."""
    command = [
        sys.executable,
        str(ficdev_dir() / "score_tags.py"),
        "--cmd",
        f"{FANFOLD} analyse --json",
        "--works",
        ",".join(works),
        "--jobs",
        str(jobs),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    return result.stdout


def headline(report: str) -> str:
    match = re.search(r"^HEADLINE (.*)$", report, re.MULTILINE)
    return match.group(1) if match else "(no headline)"


def order_calibration(works: tuple[str, ...], shuffles: int = 5) -> str:
    """Whether the order's confidence means something: how often orders it is sure of are right.

    Each multi-chapter work's chapters are given to ``order_chapters`` under
    neutral names in ``shuffles`` seeded random orders (as ``score.py`` does);
    the orders are split at confidence 0.8 and counted right or wrong.
    """
    import random

    from fanfold.text.ordering import order_chapters

    chapters: dict[str, list[Path]] = {}
    for path in sorted((ficdev_dir() / "chapters").glob("*.txt")):
        work = path.stem.rpartition("_")[0]
        if work in works:
            chapters.setdefault(work, []).append(path)
    sure = [0, 0]  # right, all
    unsure = [0, 0]
    for paths in chapters.values():
        if len(paths) < 2:
            continue
        story = sorted(paths, key=lambda p: int(p.stem.rpartition("_")[2]))
        for seed in range(shuffles):
            given = story[:]
            random.Random(seed).shuffle(given)
            result = order_chapters([(f"{i:016x}.txt", p.read_text()) for i, p in enumerate(given)])
            right = [given[i] for i in result.order] == story
            tally = sure if result.confidence >= 0.8 else unsure
            tally[0] += right
            tally[1] += 1
    return (
        f"order calibration ({shuffles} shuffles a work): confidence >= 0.8 right "
        f"{sure[0]}/{sure[1]}, below 0.8 right {unsure[0]}/{unsure[1]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("tune", "check", "all"), default=None)
    parser.add_argument("--details", action="store_true", help="print score.py's whole report")
    parser.add_argument("--json-out", type=Path, help="per-chapter misses (score.py --json-out)")
    parser.add_argument("--tags", action="store_true", help="also score the suggested tags")
    args = parser.parse_args(argv)
    if not (ficdev_dir() / "score.py").is_file():
        print(f"fic-dev is not at {ficdev_dir()} (set FANFOLD_SHARED)")
        return 1
    splits = {"tune": TUNE, "check": CHECK, "all": TUNE + CHECK}
    chosen = [args.split] if args.split else ["tune", "check", "all"]
    for name in chosen:
        report = score(splits[name], args.json_out)
        if args.details:
            print(report)
        print(f"fic-dev {name:5} ({len(splits[name]):2} works): {headline(report)}")
        print(f"        {order_calibration(splits[name])}")
        if args.tags:
            tags = score_tags(splits[name])
            if args.details:
                print(tags)
            print(f"        {headline(tags)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
