"""Stored values are clean: titles one line, no control characters, known languages.

Before values were cleaned on the way in, a title could hold a form feed
(and its EPUB would not open), and an import could store a language code
no page knew ("zh", "中文-普通话 國語"). Titles become one line with
single spaces; summaries, notes and chapter text lose their control
characters (newlines and tabs stay); a language becomes its code, or
"und" (unknown) when it names no language. The cleaning is restated here,
as migrations must not import code that will change; the language table is
the one exception (restating 176 languages would be worse), and any code it
gives is one the pages know.
"""

import re
import unicodedata

from django.db import migrations

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_IN_LINE = re.compile(f"[{_CONTROLS}\t\n\r]")
TITLE_MAX = 255


def _line(value):
    return unicodedata.normalize("NFC", " ".join(_IN_LINE.sub(" ", value).split()))[:TITLE_MAX]


def _text(value):
    return _IN_TEXT.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _repair(model, texts, empty_title=""):
    """Clean every row's title and ``texts``; a title left empty becomes ``empty_title``."""
    for row in model.objects.only("pk", "title", *texts).iterator(chunk_size=200):
        cleaned = {"title": _line(row.title) or empty_title}
        cleaned.update({name: _text(getattr(row, name)) for name in texts})
        changed = {name: value for name, value in cleaned.items() if value != getattr(row, name)}
        if changed:
            model.objects.filter(pk=row.pk).update(**changed)


def _repair_languages(work_model):
    from fanfold.archive.works.languages import CODES, UNKNOWN, language_code

    for language in set(work_model.objects.values_list("language", flat=True)) - CODES:
        code = language_code(language) or UNKNOWN
        work_model.objects.filter(language=language).update(language=code)


def clean_stored_values(apps, schema_editor):
    Work = apps.get_model("works", "Work")
    _repair(Work, ["summary", "notes", "end_notes"], empty_title="Untitled")
    _repair(apps.get_model("works", "Chapter"), ["summary", "notes", "end_notes", "body"])
    _repair(apps.get_model("works", "Series"), ["summary", "notes"], empty_title="Untitled")
    _repair_languages(Work)


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0004_pending_uploads_read_once"),
    ]

    operations = [
        migrations.RunPython(clean_stored_values, migrations.RunPython.noop),
    ]
