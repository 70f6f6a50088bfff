"""Hostile input: does the cost of reading it grow in step with its size?

Each case builds one input at 1x, 2x, 4x, 8x and 16x a base size and times
one step on it (the median of several runs), then measures the step's peak
memory once in a forked child: ``py MB`` is what tracemalloc sees (Python's
own allocations), ``rss MB`` how far the child's resident memory rose, which
also counts libxml2's trees and nh3's (Rust) memory that tracemalloc cannot
see. Each figure is followed by its ratio to the 1x row: linear cost shows
2, 4, 8, 16; quadratic shows 4, 16, 64, 256.

    .venv/bin/python -m bench.hostile [--runs 5] [--case sanitise]

Cases are a list of ``Case``; add one by appending to ``CASES`` a function
that builds the input for a scale and returns the step to time. The
archive's cases (saving, importing, search pages) are in
``bench.hostile_archive``.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import shlex
import statistics
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from bench import hostile_archive
from fanfold.formats.readers import read_bytes
from fanfold.formats.userhtml import sanitise, to_plain_text, to_safe_html

SCALES = (1, 2, 4, 8, 16)

Step = Callable[[], object]


@dataclass(frozen=True)
class Case:
    """One thing to measure: ``build(scale)`` makes the input and returns (its label, the step)."""

    name: str
    build: Callable[[int], tuple[str, Step]]


def _kilobytes(data: str | bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB"


def nested_divs(scale: int) -> tuple[str, Step]:
    depth = 2_000 * scale
    html = "<div>x " * depth + "</div>" * depth
    return f"depth {depth:,} ({_kilobytes(html)})", lambda: sanitise(html)


def italics_before_paragraphs(scale: int) -> tuple[str, Step]:
    count = 1_500 * scale
    html = "<i>x" * count + "<p>END</p>" * count
    return f"{count:,} <i> + <p> ({_kilobytes(html)})", lambda: sanitise(html)


def unmatched_end_tags(scale: int) -> tuple[str, Step]:
    count = 20_000 * scale
    html = "<div>" * 200 + "</span>x" * count  # none matches: no scan of the open elements
    return f"{count:,} </span> ({_kilobytes(html)})", lambda: sanitise(html)


def reopened_formatting(scale: int) -> tuple[str, Step]:
    bolds = "".join(f'<b title="{n} {"long " * 20}">' for n in range(98))
    html = "<div>" + bolds + "</div><div>x" * (1_000 * scale)
    return f"{1_000 * scale:,} blocks ({_kilobytes(html)})", lambda: sanitise(html)


PARAGRAPH = (
    "The ferry came in late, and Marta watched the lights of the harbour slide past the"
    ' window while her brother slept against her shoulder. "We\'re nearly there," she said.'
)


def plain_chapter(scale: int) -> tuple[str, Step]:
    text = "\n\n".join([PARAGRAPH] * (300 * scale))
    return f"{300 * scale:,} paragraphs ({_kilobytes(text)})", lambda: to_safe_html(text)


def sibling_divs(scale: int) -> tuple[str, Step]:
    html = f"<div>{PARAGRAPH}</div>" * (1_000 * scale)
    return f"{1_000 * scale:,} <div>s ({_kilobytes(html)})", lambda: to_plain_text(html)


def _epub(chapter: str) -> bytes:
    """A small EPUB of one chapter, as any tool writes it."""
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Harbour</dc:title>'
        '</metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="c1"/></spine></package>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>',
        )
        book.writestr("OEBPS/book.opf", opf)
        book.writestr("OEBPS/c1.xhtml", f"<html><body>{chapter}</body></html>")
    return buffer.getvalue()


def epub_nested(scale: int) -> tuple[str, Step]:
    depth = 2_000 * scale
    book = _epub("<h1>One</h1>" + f"<div>{PARAGRAPH} " * depth + "</div>" * depth)
    return f"depth {depth:,} ({_kilobytes(book)} zipped)", lambda: read_bytes(book, name="d.epub")


def epub_elements(scale: int) -> tuple[str, Step]:
    count = 2_000 * scale
    book = _epub("<h1>One</h1>" + f"<p><i>{PARAGRAPH}</i></p>" * count)
    label = f"{count:,} paragraphs ({_kilobytes(book)} zipped)"
    return label, lambda: read_bytes(book, name="e.epub")


CASES: list[Case] = [
    Case("sanitise: <div> nested ever deeper", nested_divs),
    Case("sanitise: <i> left open before each <p>", italics_before_paragraphs),
    Case("sanitise: 98 <b title> reopened after each block", reopened_formatting),
    Case("sanitise: end tags that match nothing, 200 deep", unmatched_end_tags),
    Case("to_safe_html: a plain-text chapter", plain_chapter),
    Case("to_plain_text: paragraphs as sibling <div>s", sibling_divs),
    Case("read_bytes: an EPUB chapter nested ever deeper", epub_nested),
    Case("read_bytes: an EPUB chapter of ever more paragraphs", epub_elements),
    Case("archive: post a work, its chapter ever longer", hostile_archive.chapter_save),
    Case("archive: import a work of ever more chapters", hostile_archive.import_chapters),
    Case("archive: search page, ever more works match", hostile_archive.search_more_matches),
    Case("archive: search page, matching works ever longer", hostile_archive.search_longer_matches),
]


def median_seconds(step: Step, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _resident_kilobytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _measure_in_child(step: Step, out: Connection) -> None:
    before = _resident_kilobytes("VmRSS")
    tracemalloc.start()
    step()
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out.send((python_peak / 2**20, (_resident_kilobytes("VmHWM") - before) / 1024))


def peak_megabytes(step: Step) -> tuple[float, float]:
    """(tracemalloc's peak, the rise in resident memory) for one run, in a fresh fork."""
    hostile_archive.close_connections()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure_in_child, args=(step, send))
    child.start()
    figures: tuple[float, float] = receive.recv()
    child.join()
    return figures


def run(case: Case, runs: int) -> None:
    print(f"\n{case.name}")
    print(f"  {'scale':>5}  {'input':34} {'median s':>9} {'x1':>6} {'py MB':>8} {'x1':>6}", end="")
    print(f" {'rss MB':>8} {'x1':>6}")
    first: tuple[float, float, float] | None = None
    for scale in SCALES:
        label, step = case.build(scale)
        # Memory first: a fork taken after the timed runs inherits their leftovers.
        python_peak, resident_rise = peak_megabytes(step)
        seconds = median_seconds(step, runs)
        first = first or (seconds, python_peak, max(resident_rise, 0.1))
        print(
            f"  {scale:>4}x  {label:34} {seconds:9.3f} {seconds / first[0]:6.1f}"
            f" {python_peak:8.1f} {python_peak / first[1]:6.1f}"
            f" {resident_rise:8.1f} {max(resident_rise, 0.1) / first[2]:6.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", default="", help="only cases whose name contains this")
    args = parser.parse_args()
    print(shlex.join([".venv/bin/python", "-m", "bench.hostile", *sys.argv[1:]]))
    for case in CASES:
        if args.case in case.name:
            run(case, args.runs)


if __name__ == "__main__":
    main()
