"""The languages a work can be in, and the codes any way of naming one finds.

``fanfold.archive.works.languages`` promises: every work's language is a
code in ``LANGUAGES`` (Django's languages, AO3's extra ones, and ``und``
for unknown), each with its own name; ``language_code`` reads codes in any
case, with regions and scripts, three-letter codes, English names, own
names and AO3's labels and codes, and returns ``None`` for anything else;
``language_name`` never fails, naming an unknown code "Unknown language";
``language_choices`` offers every language once, unknown last.
"""

from __future__ import annotations

import pytest

from fanfold.archive.works import languages
from fanfold.archive.works.languages import (
    CODES,
    LANGUAGES,
    UNKNOWN,
    language_choices,
    language_code,
    language_name,
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        # Codes, in any case, with regions, scripts and underscores.
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_GB", "en-gb"),
        ("fr_CA", "fr"),
        ("pt-BR", "pt-br"),
        ("pt-br", "pt-br"),
        ("pt_PT", "pt"),
        ("zh-Hant-TW", "zh-hant"),
        ("zh-CN", "zh-hans"),
        ("zh_TW", "zh-hant"),
        ("zh", "zh-hans"),
        # Three-letter and retired codes.
        ("eng", "en"),
        ("ger", "de"),
        ("deu", "de"),
        ("iw", "he"),
        # English names and a language's own name.
        ("German", "de"),
        ("german", "de"),
        ("Deutsch", "de"),
        ("Français", "fr"),
        ("  Brazilian   Portuguese ", "pt-br"),
        # AO3's labels and codes, and the languages only AO3 has.
        ("中文-普通话 國語", "zh-hans"),
        ("Português brasileiro", "pt-br"),
        ("ptBR", "pt-br"),
        ("Klingon", "tlh"),
        ("Lingua latina", "la"),
        ("Toki Pona", "tok"),
        ("und", UNKNOWN),
    ],
)
def test_any_way_of_naming_a_language_finds_its_code(written: str, code: str) -> None:
    assert language_code(written) == code


@pytest.mark.parametrize("written", ["", "   ", "Elvish-ish", "xx", "xx-YY", "English please", "-"])
def test_what_names_no_known_language_has_no_code(written: str) -> None:
    assert language_code(written) is None


def test_every_code_found_is_a_language_a_work_can_be_in() -> None:
    written = ["en-US", "German", "ptBR", "中文-普通话 國語", "chi", "tagalog", "Klingon"]
    assert {language_code(w) for w in written} <= CODES


def test_every_alias_and_ao3_label_leads_to_a_known_code() -> None:
    targets = {
        *languages._ALIASES.values(),
        *languages._AO3_CODES.values(),
        *languages._AO3_LABELS.values(),
    }
    assert targets - CODES == set()


@pytest.mark.parametrize(
    ("code", "name"),
    [("de", "Deutsch"), ("en", "English"), ("tlh", "tlhIngan-Hol"), ("la", "Lingua latina")],
)
def test_a_language_is_named_in_its_own_language(code: str, name: str) -> None:
    assert language_name(code) == name


@pytest.mark.parametrize("code", ["xx", "", "DE", UNKNOWN])
def test_an_unknown_code_is_named_unknown_language(code: str) -> None:
    assert language_name(code) == "Unknown language"


def test_each_language_is_listed_once_sorted_by_its_own_name() -> None:
    codes = [code for code, _, _ in LANGUAGES]
    assert len(codes) == len(set(codes)) == len(CODES)
    own_names = [own.casefold() for _, own, _ in LANGUAGES]
    assert own_names == sorted(own_names)


def test_the_choices_offer_every_language_once_with_unknown_last() -> None:
    choices = language_choices()
    codes = [code for code, _ in choices]
    assert codes[-1] == UNKNOWN
    assert choices[-1] == (UNKNOWN, "Unknown language")
    assert set(codes) == CODES | {UNKNOWN}
    assert len(codes) == len(set(codes))


def test_a_choice_adds_the_english_name_only_when_it_differs() -> None:
    labels = dict(language_choices())
    assert labels["de"] == "Deutsch (German)"
    assert labels["en"] == "English"
    assert labels["tlh"] == "tlhIngan-Hol (Klingon)"
