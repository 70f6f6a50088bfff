"""The languages a work can be in, and how any way of naming one finds its code.

A work's language is always one of ``LANGUAGES``: Django's languages (so
its own names and translations apply) and the languages AO3 offers that
Django lacks (Latin, Cantonese, Klingon, Toki Pona, ...), plus ``und``
("unknown") for an imported work whose language nobody could tell. Codes
are lower-case BCP 47 tags as Django writes them ("pt-br", "zh-hans").

``language_code`` reads what files and people write: codes in any case
with regions and scripts ("en-US", "zh_TW", "pt-BR"), three-letter codes
("eng"), English names ("German"), a language's own name ("Deutsch") and
AO3's labels ("中文-普通话 國語", "Português brasileiro") and codes
("ptBR"). Anything else is ``None``: the caller refuses it or stores
``UNKNOWN``.

>>> language_code("zh-CN"), language_code("zh_TW"), language_code("en-US")
('zh-hans', 'zh-hant', 'en')
>>> language_code("中文-普通话 國語"), language_code("Português brasileiro")
('zh-hans', 'pt-br')
>>> language_code("Klingon"), language_code("Elvish-ish") is None
('tlh', True)
>>> language_name("de"), language_name("xx")
('Deutsch', 'Unknown language')
"""

from __future__ import annotations

from functools import cache

from django.conf import global_settings
from django.conf.locale import LANG_INFO

UNKNOWN = "und"

# AO3's languages that Django has no code for: (code, own name, English name).
# AO3's three-letter codes are kept where ISO 639-1 has no two-letter one.
_MORE_LANGUAGES = (
    ("ain", "Aynu itak | アイヌ イタㇰ", "Ainu"),
    ("akk", "𒀝𒅗𒁺𒌑", "Akkadian"),
    ("ale", "Unangam Tunuu", "Aleut"),
    ("am", "አማርኛ", "Amharic"),
    ("ang", "Eald Englisċ", "Old English"),
    ("arc", "ܐܪܡܝܐ | ארמיא", "Aramaic"),
    ("ase", "American Sign Language", "American Sign Language"),
    ("ba", "Башҡорт теле", "Bashkir"),
    ("bar", "Boarisch", "Bavarian"),
    ("bfi", "British Sign Language", "British Sign Language"),
    ("bo", "བོད་སྐད་", "Tibetan"),
    ("bua", "Буряад хэлэн | ᠪᠤᠷᠢᠶᠠᠳ ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", "Buryat"),
    ("ce", "Нохчийн мотт", "Chechen"),
    ("ceb", "Cebuano", "Cebuano"),
    ("ch", "Finuʼ Chamorro", "Chamorro"),
    ("chn", "Chinuk Wawa", "Chinook Jargon"),
    ("chr", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "Cherokee"),
    ("cop", "ϯⲙⲉⲧⲣⲉⲙⲛ̀ⲭⲏⲙⲓ", "Coptic"),
    ("crh", "къырымтатар тили | qırımtatar tili", "Crimean Tatar"),
    ("cu", "Slověnьskъ Językъ", "Old Church Slavonic"),
    ("egy", "𓂋𓏺𓈖 𓆎𓅓𓏏𓊖", "Egyptian"),
    ("fcs", "Langue des signes québécoise", "Quebec Sign Language"),
    ("fil", "Filipino", "Filipino"),
    ("frr", "Friisk", "North Frisian"),
    ("fuc", "Pulaar", "Pulaar"),
    ("fur", "Furlan", "Friulian"),
    ("gem", "Sprēkō Þiudiskō", "Proto-Germanic"),
    ("got", "𐌲𐌿𐍄𐌹𐍃𐌺𐌰", "Gothic"),
    ("gyn", "Creolese", "Guyanese Creole"),
    ("ha", "Hausa | هَرْشَن هَوْسَ", "Hausa"),
    ("hak", "中文-客家话", "Hakka Chinese"),
    ("haw", "ʻŌlelo Hawaiʻi", "Hawaiian"),
    ("ht", "kreyòl ayisyen", "Haitian Creole"),
    ("jv", "Basa Jawa", "Javanese"),
    ("kl", "Kalaallisut", "Greenlandic"),
    ("ku", "Kurdî | کوردی", "Kurdish"),
    ("kw", "Kernewek", "Cornish"),
    ("la", "Lingua latina", "Latin"),
    ("mi", "te reo Māori", "Māori"),
    ("mik", "Mikisúkî", "Mikasuki"),
    ("mnc", "ᠮᠠᠨᠵᡠ ᡤᡳᠰᡠᠨ", "Manchu"),
    ("mt", "Malti", "Maltese"),
    ("myv", "Эрзянь кель", "Erzya"),
    ("nah", "Nāhuatl", "Nahuatl"),
    ("nan", "中文-闽南话 臺語", "Min Nan Chinese"),
    ("nds", "Plattdüütsch", "Low German"),
    ("no", "Norsk", "Norwegian"),
    ("oj", "Anishinaabemowin", "Ojibwe"),
    ("ood", "O’odham Ñiok", "O'odham"),
    ("ota", "لسان عثمانى", "Ottoman Turkish"),
    ("ppl", "Nawat", "Pipil"),
    ("ps", "پښتو", "Pashto"),
    ("qkz", "Khuzdul", "Khuzdul"),
    ("qlq", "Uncategorized Constructed Languages", "Constructed language"),
    ("qmd", "Mando'a", "Mando'a"),
    ("qya", "Quenya", "Quenya"),
    ("rom", "RRomani Ćhib", "Romani"),
    ("sah", "саха тыла", "Yakut"),
    ("sco", "Scots", "Scots"),
    ("si", "සිංහල", "Sinhala"),
    ("sjn", "Sindarin", "Sindarin"),
    ("smi", "Sámi", "Sámi"),
    ("so", "af Soomaali", "Somali"),
    ("sux", "𒅴𒂠", "Sumerian"),
    ("ti", "ትግርኛ", "Tigrinya"),
    ("tlh", "tlhIngan-Hol", "Klingon"),
    ("tok", "toki pona", "Toki Pona"),
    ("tqx", "Thermian", "Thermian"),
    ("trf", "Trinidadian Creole", "Trinidadian Creole"),
    ("tsd", "τσακώνικα", "Tsakonian"),
    ("vo", "Volapük", "Volapük"),
    ("wuu", "中文-吴语", "Wu Chinese"),
    ("xal", "Хальмг Өөрдин келн", "Kalmyk"),
    ("yi", "יידיש", "Yiddish"),
    ("yua", "maayaʼ tʼàan", "Yucatec Maya"),
    ("yue", "中文-广东话 粵語", "Cantonese"),
    ("zu", "isiZulu", "Zulu"),
)

# AO3's labels where they differ from Django's own name for the language,
# and AO3's codes where they differ from ours (an AO3 download shows the
# label; its search URLs use the code).
_AO3_LABELS = {
    "العربية": "ar",
    "Azərbaycan dili | آذربایجان دیلی": "az",
    "Bahasa Malaysia": "ms",
    "Bosanski": "bs",
    "Čeština": "cs",
    "eesti keel": "et",
    "Euskara": "eu",
    "हिन्दी": "hi",
    "ಕನ್ನಡ": "kn",
    "ភាសាខ្មែរ": "km",
    "Кыргызча": "ky",
    "Lietuvių kalba": "lt",
    "Latviešu valoda": "lv",
    "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ᠌ | Монгол Кирилл үсэг": "mn",
    "ਪੰਜਾਬੀ": "pa",
    "Português brasileiro": "pt-br",
    "Português europeu": "pt",
    "qazaqşa | қазақша": "kk",
    "Slovenčina": "sk",
    "Slovenščina": "sl",
    "Српски": "sr",
    "ไทย": "th",
    "татар теле": "tt",
    "Tiếng Việt": "vi",
    "ئۇيغۇر تىلى": "ug",
    "اُردُو": "ur",
    "中文-普通话 國語": "zh-hans",
}
_AO3_CODES = {
    "afr": "af", "amh": "am", "azj": "az", "bod": "bo", "bos": "bs", "cha": "ch",
    "cor": "kw", "fry": "fy", "hau": "ha", "kal": "kl", "kan": "kn", "kat": "ka",
    "kaz": "kk", "khm": "km", "kir": "ky", "mon": "mn", "mri": "mi", "oji": "oj",
    "ptbr": "pt-br", "ptpt": "pt", "sla": "cu", "slv": "sl", "tat": "tt", "tel": "te",
    "tir": "ti", "uig": "ug", "urd": "ur", "vol": "vo",
}  # fmt: skip

# Tags and names people write that are not any language's code or name.
_ALIASES = {
    # Chinese: mainland and Singapore write Simplified, Taiwan, Hong Kong and Macau Traditional.
    "zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh-my": "zh-hans",
    "zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh-mo": "zh-hant",
    "chinese": "zh-hans", "mandarin": "zh-hans", "中文": "zh-hans",
    "简体中文": "zh-hans", "繁體中文": "zh-hant",
    # Retired or alternative codes still found in files.
    "iw": "he", "in": "id", "ji": "yi", "tl": "fil", "nb-no": "nb", "pt-pt": "pt",
    # Three-letter codes (ISO 639-2) of the languages fan fiction is most written in.
    "eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "ita": "it", "por": "pt", "rus": "ru", "jpn": "ja", "kor": "ko", "zho": "zh-hans",
    "chi": "zh-hans", "pol": "pl", "nld": "nl", "dut": "nl", "swe": "sv", "tur": "tr",
    "ukr": "uk", "vie": "vi", "ind": "id", "tha": "th", "ara": "ar", "heb": "he",
    "fin": "fi", "dan": "da", "nor": "no", "ces": "cs", "cze": "cs", "hun": "hu",
    "ell": "el", "gre": "el", "ron": "ro", "rum": "ro", "bul": "bg", "cat": "ca",
    "lat": "la", "yue": "yue", "fil": "fil",
    "portuguese (brazil)": "pt-br", "brazilian portuguese": "pt-br",
    "norwegian": "no", "filipino/tagalog": "fil", "tagalog": "fil",
}  # fmt: skip


def _django_languages() -> list[tuple[str, str, str]]:
    return [
        (code, str(LANG_INFO[code]["name_local"]), str(LANG_INFO[code]["name"]))
        for code, _ in global_settings.LANGUAGES
    ]


# (code, own name, English name), sorted by own name as AO3 lists them.
LANGUAGES: tuple[tuple[str, str, str], ...] = tuple(
    sorted([*_django_languages(), *_MORE_LANGUAGES], key=lambda row: row[1].casefold())
)
_NAMES = {code: own for code, own, _ in LANGUAGES}
CODES = frozenset(_NAMES)


def language_name(code: str) -> str:
    """A language's own name ("Deutsch"); "Unknown language" for anything else."""
    return _NAMES.get(code, "Unknown language")


def language_choices() -> list[tuple[str, str]]:
    """For a form: every language as "Own name (English name)", unknown last."""
    choices = [
        (code, own if own.casefold() == english.casefold() else f"{own} ({english})")
        for code, own, english in LANGUAGES
    ]
    return [*choices, (UNKNOWN, "Unknown language")]


@cache
def _by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, own, english in LANGUAGES:
        found.setdefault(english.casefold(), code)
        found.setdefault(own.casefold(), code)
    for label, code in _AO3_LABELS.items():
        found[label.casefold()] = code
    for alias, code in (*_AO3_CODES.items(), *_ALIASES.items()):
        found[alias] = code
    return found


def language_code(value: str) -> str | None:
    """The code of the language ``value`` names, or None when it names none we know."""
    text = " ".join(value.split()).casefold()
    if not text:
        return None
    if text == UNKNOWN:
        return UNKNOWN
    known = _by_name()
    tag = text.replace("_", "-")
    # "zh-Hant-TW" -> "zh-hant-tw", "zh-hant", "zh": the longest known prefix wins.
    subtags = tag.split("-")
    for end in range(len(subtags), 0, -1):
        candidate = "-".join(subtags[:end])
        if candidate in CODES:
            return candidate
        if candidate in known:
            return known[candidate]
    return known.get(text)
