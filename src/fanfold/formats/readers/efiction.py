"""Reader for a whole eFiction 3.5 archive: its MySQL dump plus ``stories/``.

eFiction keeps everything in ``fanfiction_*`` tables (the prefix varies per
site, so we find it from the ``stories`` table's name). We never run or
eval the dump: a small tokenizer reads only ``CREATE TABLE`` column names
and the ``INSERT ... VALUES`` tuples (quoted strings with MySQL backslash
escapes, numbers, NULL), and refuses anything else inside a tuple.

>>> list(sql_values("(1,'O\\\\'Brien',NULL),(2,'a\\\\nb',-3.5)", "dump.sql"))
[(1, "O'Brien", None), (2, 'a\\nb', -3.5)]

Story text is in ``chapters.storytext`` or, on sites that store files, in
``stories/<uid>/<chapid>.txt`` (formats.md). Ids used in such a path must be
plain integers and the file must resolve inside ``stories/``: a reference
like ``../`` is refused. Many-to-many links are comma-separated id lists
(``catid`` -> fandoms, ``charid`` -> characters, ``classes`` -> warnings or
genres by class type, ``coauthors`` -> more creators).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.userhtml import to_safe_html

MAX_DUMP_BYTES = 512 * 1024 * 1024
MAX_CHAPTER_FILE_BYTES = 4 * 1024 * 1024
MAX_ROWS_PER_TABLE = 2_000_000

Value = int | float | str | None
Row = dict[str, Value]

TABLES = (
    "authors",
    "stories",
    "chapters",
    "categories",
    "characters",
    "ratings",
    "series",
    "inseries",
    "classes",
    "classtypes",
    "coauthors",
)

# Column order from formats.md, used when a dump has neither a CREATE TABLE
# nor a column list for a table.
DEFAULT_COLUMNS = {
    "authors": "uid penname realname email website bio image admincreated password",
    "categories": "catid parentcatid category description image locked leveldown"
    " displayorder numitems",
    "chapters": "chapid title inorder notes storytext endnotes validated wordcount rating"
    " reviews sid uid count",
    "characters": "charid catid charname bio image",
    "classes": "class_id class_type class_name",
    "classtypes": "classtype_id classtype_name classtype_title",
    "coauthors": "sid uid",
    "inseries": "seriesid sid subseriesid confirmed inorder",
    "ratings": "rid rating ratingwarning warningtext",
    "series": "seriesid title summary uid isopen catid rating classes characters reviews"
    " numstories warnings challenges genres",
    "stories": "sid title summary storynotes catid classes charid rid date updated uid coauthors"
    " featured validated completed rr wordcount rating reviews count challenges",
}

# eFiction sites name their own ratings; these are the common ones.
RATING_LABELS = {
    "g": "General Audiences",
    "k": "General Audiences",
    "k+": "General Audiences",
    "pg": "General Audiences",
    "general": "General Audiences",
    "general audiences": "General Audiences",
    "all ages": "General Audiences",
    "pg-13": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "r": "Mature",
    "m": "Mature",
    "mature": "Mature",
    "nc-17": "Explicit",
    "ma": "Explicit",
    "explicit": "Explicit",
    "adult": "Explicit",
    "adults only": "Explicit",
    "not rated": "Not Rated",
}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>--[^\n]*|\#[^\n]*|/\*.*?\*/)
  | (?P<str>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<ident>`(?:[^`]|``)*`)
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<punct>[(),;=.*])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_KEYWORDS_NOT_COLUMNS = frozenset(
    {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FULLTEXT", "FOREIGN", "CHECK", "SPATIAL"}
)


@dataclass(frozen=True, slots=True)
class EfictionAuthor:
    penname: str
    email: str
    realname: str
    bio: str


@dataclass(frozen=True, slots=True)
class EfictionArchive:
    """Everything an eFiction dump holds that Fanfold imports."""

    authors: tuple[EfictionAuthor, ...]
    works: tuple[tuple[str, ParsedWork], ...]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def _unquote(token: str) -> str:
    quote, body = token[0], token[1:-1]
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            out.append(_ESCAPES.get(following, following))
            index += 2
        elif char == quote and body[index + 1 : index + 2] == quote:
            out.append(quote)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _tokens(text: str, name: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        value = match.group()
        if kind == "other" and value in "'\"":
            raise FormatError(name, "the dump ends inside a quoted string (truncated?)")
        yield _Token(kind, value)


def _statements(text: str, name: str) -> Iterator[list[_Token]]:
    """Token lists of each ``;``-ended statement; an unended one is an error."""
    current: list[_Token] = []
    for token in _tokens(text, name):
        if token.kind == "punct" and token.text == ";":
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        first = current[0].text.upper()
        if first in ("INSERT", "CREATE", "REPLACE"):
            raise FormatError(name, f"the dump ends inside a {first} statement (truncated?)")


def _value(token: _Token, name: str) -> Value:
    if token.kind == "str":
        return _unquote(token.text)
    if token.kind == "num":
        return float(token.text) if any(c in token.text for c in ".eE") else int(token.text)
    if token.kind == "word" and token.text.upper() == "NULL":
        return None
    raise FormatError(name, f"unexpected {token.text[:20]!r} in an INSERT's values")


def _tuples(tokens: list[_Token], start: int, name: str) -> Iterator[tuple[Value, ...]]:
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.text == ",":
            index += 1
            continue
        if token.text != "(":
            raise FormatError(name, f"unexpected {token.text[:20]!r} between INSERT tuples")
        values: list[Value] = []
        index += 1
        expect_value = True
        while True:
            if index >= len(tokens):
                raise FormatError(name, "an INSERT's values end before ')' (truncated?)")
            token = tokens[index]
            index += 1
            if token.text == ")" and token.kind == "punct":
                break
            if token.text == "," and token.kind == "punct" and not expect_value:
                expect_value = True
                continue
            if not expect_value:
                raise FormatError(name, "an INSERT's values lack a ',' between them")
            values.append(_value(token, name))
            expect_value = False
        yield tuple(values)


def sql_values(text: str, name: str) -> Iterator[tuple[Value, ...]]:
    """The tuples of a VALUES list (see the module example)."""
    return _tuples(list(_tokens(text, name)), 0, name)


def _identifier(token: _Token) -> str:
    return token.text[1:-1].replace("``", "`") if token.kind == "ident" else token.text


def _table_name(tokens: list[_Token], index: int) -> tuple[str, int]:
    """A possibly database-qualified name at ``index``; returns (table, next index)."""
    table = _identifier(tokens[index])
    index += 1
    while index + 1 < len(tokens) and tokens[index].text == ".":
        table = _identifier(tokens[index + 1])
        index += 2
    return table, index


def _create_columns(tokens: list[_Token]) -> tuple[str, list[str]]:
    index = 2
    if index < len(tokens) and tokens[index].text.upper() == "IF":
        index += 3  # IF NOT EXISTS
    table, index = _table_name(tokens, index)
    columns: list[str] = []
    depth = 0
    at_item_start = False
    for token in tokens[index:]:
        if token.text == "(":
            depth += 1
            at_item_start = depth == 1
            continue
        if token.text == ")":
            depth -= 1
            continue
        if depth == 1 and token.text == ",":
            at_item_start = True
            continue
        if at_item_start and depth == 1:
            if token.kind == "ident" or token.text.upper() not in _KEYWORDS_NOT_COLUMNS:
                columns.append(_identifier(token))
            at_item_start = False
    return table, columns


def _insert(tokens: list[_Token], name: str) -> tuple[str, list[str], int]:
    """(table, explicit columns or [], index of the first VALUES tuple)."""
    index = 1
    while index < len(tokens) and tokens[index].text.upper() in ("IGNORE", "INTO", "LOW_PRIORITY"):
        index += 1
    if index >= len(tokens):
        raise FormatError(name, "an INSERT statement has no table")
    table, index = _table_name(tokens, index)
    columns: list[str] = []
    if index < len(tokens) and tokens[index].text == "(":
        index += 1
        while index < len(tokens) and tokens[index].text != ")":
            if tokens[index].text != ",":
                columns.append(_identifier(tokens[index]))
            index += 1
        index += 1
    if index >= len(tokens) or tokens[index].text.upper() not in ("VALUES", "VALUE"):
        raise FormatError(name, f"the INSERT into {table} has no VALUES")
    return table, columns, index + 1


def _short_name(table: str) -> str | None:
    for short in sorted(TABLES, key=len, reverse=True):
        if table.lower().endswith(short):
            return short
    return None


def parse_dump(text: str, name: str) -> dict[str, list[Row]]:
    """Rows of the eFiction tables, by short table name ("stories", ...).

    The site's prefix is the one in front of its ``stories`` table; tables
    with another prefix (a second site in the same dump) are left out.
    """
    declared: dict[str, list[str]] = {}
    by_table: dict[str, list[Row]] = defaultdict(list)
    for tokens in _statements(text, name):
        keyword = tokens[0].text.upper()
        if keyword == "CREATE" and len(tokens) > 2 and tokens[1].text.upper() == "TABLE":
            table, columns = _create_columns(tokens)
            declared[table] = columns
        elif keyword in ("INSERT", "REPLACE"):
            table, columns, start = _insert(tokens, name)
            short = _short_name(table)
            if short is None:
                continue
            names = columns or declared.get(table) or DEFAULT_COLUMNS.get(short, "").split()
            rows = by_table[table]
            for values in _tuples(tokens, start, name):
                if len(values) != len(names):
                    raise FormatError(
                        name, f"a row of {table} has {len(values)} values for {len(names)} columns"
                    )
                rows.append(dict(zip(names, values, strict=True)))
                if len(rows) > MAX_ROWS_PER_TABLE:
                    raise FormatError(name, f"{table} has too many rows")
    prefixes = [table[: -len("stories")] for table in by_table if _short_name(table) == "stories"]
    prefix = "fanfiction_" if "fanfiction_" in prefixes else (prefixes[0] if prefixes else "")
    return {short: by_table[prefix + short] for short in TABLES if prefix + short in by_table}


# --- from rows to works ---------------------------------------------------------------


def _int(value: Value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _str(value: Value) -> str:
    return "" if value is None else str(value)


def _ids(value: Value) -> list[int]:
    """A comma-separated id list ("1,4, 7") as ints, ignoring blanks and junk."""
    return [number for part in _str(value).split(",") if (number := _int(part.strip())) is not None]


def _date(value: Value) -> date | None:
    stamp = _int(value)
    if not stamp or stamp < 0:
        return None
    try:
        return datetime.fromtimestamp(stamp, UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def rating_label(rating: str) -> str:
    """An AO3 rating label for an eFiction site's rating name, or ""."""
    return RATING_LABELS.get(rating.strip().lower(), "")


def _by_id(rows: list[Row], key: str) -> dict[int, Row]:
    return {number: row for row in rows if (number := _int(row.get(key))) is not None}


def _chapter_file(stories_dir: Path, row: Row) -> Path:
    uid, chapid = row.get("uid"), row.get("chapid")
    if _int(uid) is None or _int(chapid) is None or not _str(uid).strip().isdigit():
        raise FormatError(
            str(stories_dir), f"chapter {chapid!r} refers to a file by a bad path ({uid!r})"
        )
    path = (stories_dir / str(_int(uid)) / f"{_int(chapid)}.txt").resolve()
    if not path.is_relative_to(stories_dir.resolve()):
        raise FormatError(str(path), "chapter file lies outside the stories folder")
    return path


def _chapter_text(stories_dir: Path, row: Row) -> str:
    stored = _str(row.get("storytext"))
    if stored.strip():
        return stored
    path = _chapter_file(stories_dir, row)
    if not path.is_file():
        raise FormatError(str(path), "chapter file is missing")
    if path.stat().st_size > MAX_CHAPTER_FILE_BYTES:
        raise FormatError(str(path), "chapter file is too large")
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True, slots=True)
class _Lookups:
    authors: dict[int, Row]
    categories: dict[int, str]
    characters: dict[int, str]
    ratings: dict[int, str]
    classes: dict[int, tuple[str, str]]  # id -> (class type name, class name)
    series: dict[int, list[SeriesRef]]  # story id -> refs
    coauthors: dict[int, list[int]]  # story id -> author ids
    chapters: dict[int, list[Row]]  # story id -> chapter rows in order


def _lookups(tables: dict[str, list[Row]]) -> _Lookups:
    class_types = {
        number: _str(row.get("classtype_name")).lower()
        for number, row in _by_id(tables.get("classtypes", []), "classtype_id").items()
    }
    series_titles = {
        number: _str(row.get("title"))
        for number, row in _by_id(tables.get("series", []), "seriesid").items()
    }
    series: dict[int, list[SeriesRef]] = defaultdict(list)
    for row in tables.get("inseries", []):
        sid, seriesid = _int(row.get("sid")), _int(row.get("seriesid"))
        if sid and seriesid in series_titles:
            series[sid].append(SeriesRef(series_titles[seriesid], _int(row.get("inorder")) or 0))
    coauthors: dict[int, list[int]] = defaultdict(list)
    for row in tables.get("coauthors", []):
        sid, uid = _int(row.get("sid")), _int(row.get("uid"))
        if sid is not None and uid is not None:
            coauthors[sid].append(uid)
    chapters: dict[int, list[Row]] = defaultdict(list)
    for row in tables.get("chapters", []):
        sid = _int(row.get("sid"))
        if sid is not None:
            chapters[sid].append(row)
    for rows in chapters.values():
        rows.sort(key=lambda row: (_int(row.get("inorder")) or 0, _int(row.get("chapid")) or 0))
    return _Lookups(
        authors=_by_id(tables.get("authors", []), "uid"),
        categories={
            n: _str(r.get("category"))
            for n, r in _by_id(tables.get("categories", []), "catid").items()
        },
        characters={
            n: _str(r.get("charname"))
            for n, r in _by_id(tables.get("characters", []), "charid").items()
        },
        ratings={
            n: _str(r.get("rating")) for n, r in _by_id(tables.get("ratings", []), "rid").items()
        },
        classes={
            n: (class_types.get(_int(r.get("class_type")) or 0, ""), _str(r.get("class_name")))
            for n, r in _by_id(tables.get("classes", []), "class_id").items()
        },
        series=series,
        coauthors=coauthors,
        chapters=chapters,
    )


def _penname(lookups: _Lookups, uid: int | None) -> str:
    row = lookups.authors.get(uid) if uid is not None else None
    return _str(row.get("penname")) if row else ""


def _work(story: Row, lookups: _Lookups, stories_dir: Path) -> tuple[str, ParsedWork]:
    sid = _int(story.get("sid")) or 0
    owner = _penname(lookups, _int(story.get("uid")))
    co_ids = [*_ids(story.get("coauthors")), *lookups.coauthors.get(sid, [])]
    creators = tuple(
        dict.fromkeys(p for p in [owner, *(_penname(lookups, u) for u in co_ids)] if p)
    )
    classes = [lookups.classes[c] for c in _ids(story.get("classes")) if c in lookups.classes]
    warnings = tuple(name for kind, name in classes if "warning" in kind)
    freeforms = tuple(name for kind, name in classes if "warning" not in kind)
    rating_names = [lookups.ratings[r] for r in _ids(story.get("rid")) if r in lookups.ratings]
    rating = rating_label(rating_names[0]) if rating_names else ""
    chapters = tuple(
        ParsedChapter(
            body=to_safe_html(_chapter_text(stories_dir, row)),
            title=_str(row.get("title")),
            notes=to_safe_html(_str(row.get("notes"))),
            end_notes=to_safe_html(_str(row.get("endnotes"))),
        )
        for row in lookups.chapters.get(sid, [])
    )
    title = _str(story.get("title")) or f"Untitled story {sid}"
    complete = _int(story.get("completed")) == 1
    work = ParsedWork(
        title=title,
        chapters=chapters,
        creators=creators,
        summary=to_safe_html(_str(story.get("summary"))),
        notes=to_safe_html(_str(story.get("storynotes"))),
        rating=rating,
        warnings=warnings,
        fandoms=tuple(
            lookups.categories[c] for c in _ids(story.get("catid")) if c in lookups.categories
        ),
        characters=tuple(
            lookups.characters[c] for c in _ids(story.get("charid")) if c in lookups.characters
        ),
        freeforms=freeforms,
        series=tuple(lookups.series.get(sid, [])),
        expected_chapters=len(chapters) if complete else None,
        complete=complete,
        published=_date(story.get("date")),
        updated=_date(story.get("updated")),
        source_format="efiction",
    )
    if rating_names and not rating:
        work = work.with_message(f"eFiction rating {rating_names[0]!r} has no AO3 equivalent")
    if not chapters:
        work = work.with_message("this story has no chapters in the dump")
    if _int(story.get("validated")) == 0:
        work = work.with_message("this story was not validated (not public) on the old archive")
    return owner, work


def _find_dump(path: Path) -> Path:
    if path.is_file():
        return path
    if not path.is_dir():
        raise FormatError(str(path), "no such eFiction export (file or folder)")
    dumps = sorted(path.glob("*.sql"))
    if len(dumps) != 1:
        raise FormatError(str(path), f"expected one .sql dump in the folder, found {len(dumps)}")
    return dumps[0]


def _read_text(dump: Path) -> str:
    if dump.stat().st_size > MAX_DUMP_BYTES:
        raise FormatError(dump.name, "the dump is too large")
    data = dump.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_efiction(path: Path) -> EfictionArchive:
    """Read an eFiction export: a folder holding ``*.sql`` and ``stories/``, or the dump."""
    dump = _find_dump(path)
    tables = parse_dump(_read_text(dump), dump.name)
    if "stories" not in tables:
        raise FormatError(dump.name, "it has no INSERTs into an eFiction stories table")
    lookups = _lookups(tables)
    authors = tuple(
        EfictionAuthor(
            penname=_str(row.get("penname")),
            email=_str(row.get("email")),
            realname=_str(row.get("realname")),
            bio=to_safe_html(_str(row.get("bio"))),
        )
        for row in tables.get("authors", [])
    )
    stories_dir = dump.parent / "stories"
    works = tuple(_work(story, lookups, stories_dir) for story in tables["stories"])
    return EfictionArchive(authors=authors, works=works)
