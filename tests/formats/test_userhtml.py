"""User HTML: deep or hostile nesting is sanitised with all its text, in time linear in its size."""

from __future__ import annotations

import re

from fanfold.formats.safety import MAX_HTML_DEPTH
from fanfold.formats.userhtml import removed_html, sanitise, to_plain_text, to_safe_html


def deepest(clean: str) -> int:
    """How deep sanitised HTML nests (nh3 writes an end tag for every element but br, hr, img)."""
    depth = most = 0
    for slash, name in re.findall(r"<(/?)([a-z0-9]+)", clean):
        if name not in ("br", "hr", "img"):
            depth += -1 if slash else 1
            most = max(most, depth)
    return most


def test_sanitising_deeply_nested_divs_keeps_every_word() -> None:
    deep = "<div>x " * 8000 + "</div>" * 8000 + "<p>END</p>"
    clean = sanitise(deep)
    assert clean.count("x") == 8000
    assert clean.endswith("<p>END</p>")
    assert deepest(clean) <= MAX_HTML_DEPTH


def test_italics_left_open_before_thousands_of_paragraphs_keep_every_paragraph() -> None:
    # html5ever reopens every open <i> in each new paragraph: quadratic unless bounded.
    clean = sanitise("<i>x" * 6000 + "<p>END</p>" * 6000)
    assert clean.count("END") == 6000
    assert clean.count("x") == 6000
    assert deepest(clean) <= MAX_HTML_DEPTH


def test_plain_text_of_deep_nesting_keeps_every_word() -> None:
    text = to_plain_text("<blockquote>" * 5000 + "Who is there?" + "</blockquote>" * 5000)
    assert text == "Who is there?"


def test_safe_html_of_a_deep_paste_keeps_its_words() -> None:
    assert to_safe_html("<p>" + "<span>deep " * 3000 + "</p>").count("deep") == 3000


BOLDS = "".join(f'<b title="{n} {"long " * 20}">' for n in range(98))


def test_formatting_reopened_after_every_block_does_not_multiply_the_markup() -> None:
    # html5ever reopens each open <b> after each block that closed it: 98 of
    # them, attributes and all, for every 12 characters read.
    html = "<div>" + BOLDS + "</div><div>x" * 2000
    clean = sanitise(html)
    assert clean.count("x") == 2000
    assert len(clean) < 3 * len(html)


def test_formatting_reopened_in_well_nested_markup_does_not_multiply_it_either() -> None:
    # Each <div> ends the paragraph holding the <b>s; its text reopens them all.
    html = "<p>" + BOLDS + "<div>x</div>" * 2000 + "</b>" * 98 + "</p>"
    clean = sanitise(html)
    assert clean.count("x") == 2000
    assert len(clean) < 3 * len(html)


# Issue 14: what the sanitiser removes is named to the author, not removed silently.


def test_the_elements_removed_are_named_with_how_many_went() -> None:
    typed = (
        '<p>Look:</p><iframe src="https://v.example/1"></iframe><iframe></iframe><object>x</object>'
    )
    removed = removed_html(typed, to_safe_html(typed))
    assert removed.elements == {"iframe": 2, "object": 1}
    assert removed.describe() == (
        "Fanfold removed what HTML here may not contain: <iframe>, <object> (3 elements)."
    )


def test_a_picture_kept_without_its_address_is_named_too() -> None:
    typed = '<p>A map: <img src="data:image/png;base64,AAAA" alt="map"></p>'
    stored = to_safe_html(typed)
    assert "<img" in stored
    assert removed_html(typed, stored).attributes == {"img src": 1}


def test_allowed_html_and_plain_text_lose_nothing() -> None:
    for typed in [
        '<p>Hi <em>there</em>, <a href="https://example.org">look</a>.</p>',
        "<Where are you?> she texted.\n\nNo answer.",
        "Plain text, & nothing more.",
    ]:
        removed = removed_html(typed, to_safe_html(typed))
        assert not removed
        assert removed.describe() == ""
