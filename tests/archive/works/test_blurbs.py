# ruff: noqa: E501 (REFERENCE is the old template, verbatim)
"""A work's blurb, written as a string (``works.blurbs``).

The blurb was a template (``works/_blurb.html``); it is now built in Python
for speed (bench.pages). ``REFERENCE`` is that template, kept here: the
string must be exactly what it rendered, for hostile titles, tags, names
and series, drafts and restricted works, in a reader's time zone, so every
page test and the escaping guarantees (test_xss) still hold.
"""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services
from fanfold.archive.works.blurbs import render_blurb, url_for
from fanfold.archive.works.models import Work
from fanfold.archive.works.selectors import works_in_order
from tests.archive.factories import UserFactory, make_work

REFERENCE = """{% load works_tags %}
<article class="blurb" aria-labelledby="work-{{ work.pk }}-title">
  <header>
    <h3 id="work-{{ work.pk }}-title"><a href="{{ work.get_absolute_url }}">{{ work.title }}</a>
      <span class="byline">by <a href="{% url 'works:author' work.owner.username %}">{{ work.owner.username }}</a></span></h3>
    <ul class="required-tags" aria-label="Rating, warnings, category and completion">
      {% for symbol in work|required_tags %}<li class="symbol symbol-{{ symbol.kind }} {{ symbol.kind }}-{{ symbol.tone }}"><abbr title="{{ symbol.text }}"><span aria-hidden="true">{{ symbol.mark }}</span><span class="visually-hidden">{{ symbol.text }}</span></abbr></li>{% endfor %}
    </ul>
    {% if work.is_draft or work.is_hidden or work.is_restricted %}
    <p class="blurb-flags">
      {% if work.is_draft %}<span class="flag flag-draft">Draft</span>{% endif %}
      {% if work.is_hidden %}<span class="flag flag-hidden">Hidden by an admin</span>{% endif %}
      {% if work.is_restricted %}<span class="flag">Logged-in readers only</span>{% endif %}
    </p>
    {% endif %}
  </header>
  <ul class="tags" aria-label="Tags">
    {% for tag_type, tags in work|tag_groups %}{% for tag in tags %}<li class="tag-{{ tag_type }}"><a class="tag" href="{% url 'search:tag' tag.type tag.name %}">{{ tag.name }}</a></li>{% endfor %}{% endfor %}
  </ul>
  {% if work.summary %}<blockquote class="userstuff summary">{{ work.summary|safe }}</blockquote>{% endif %}
  {% if snippet %}<p class="snippet">{{ snippet|safe }}</p>{% endif %}
  {% for part in work.series_parts.all %}
    <p class="series-line">Part {{ part.visible_position }} of <a href="{{ part.series.get_absolute_url }}">{{ part.series.title }}</a></p>
  {% endfor %}
  <dl class="stats">
    <dt>Language</dt><dd>{{ work.language|language_label }}</dd>
    <dt>Words</dt><dd>{{ work.word_count }}</dd>
    <dt>Chapters</dt><dd>{{ work.chapters_label }}</dd>
    {% if work.updated_at %}<dt>Updated</dt><dd><time datetime="{{ work.updated_at|date:'c' }}">{{ work.updated_at|date:"Y-m-d" }}</time></dd>{% endif %}
  </dl>
</article>
"""

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' {{ braces }} %25 ../?#"


def _listed(work: Work, viewer: User) -> Work:
    (listed,) = works_in_order([work.pk], viewer=viewer)
    return listed


def _reference(work: Work, snippet: str = "") -> str:
    return engines["django"].from_string(REFERENCE).render({"work": work, "snippet": snippet})


def _hostile_work(owner: User, **fields: object) -> Work:
    work = make_work(
        owner=owner,
        title=HOSTILE,
        summary=f"<p>{HOSTILE}</p>",
        tags={
            TagType.WARNING: ["Graphic Depictions Of Violence", "Major Character Death"],
            TagType.CATEGORY: ["F/M", "Gen"],
            TagType.FANDOM: ["<b>Bold</b> Fandom / Slash * Star"],
            TagType.RELATIONSHIP: ["A/B & <C>"],
            TagType.FREEFORM: [HOSTILE, "100% Fluff?", "..."],
        },
        **fields,
    )
    series = services.create_series(owner=owner, title=HOSTILE)
    services.update_work(
        work=work,
        by=owner,
        fields=services.WorkFields(
            title=work.title,
            summary=work.summary,
            rating=work.rating,
            tags={
                TagType.FANDOM: ["<b>Bold</b> Fandom / Slash * Star"],
                TagType.FREEFORM: [HOSTILE],
            },
        ),
        series=series,
    )
    return work


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_a_blurb_is_exactly_what_the_template_wrote(author: User, zone: str) -> None:
    work = _listed(_hostile_work(author), author)
    with timezone.override(zone):
        assert str(render_blurb(work)) == _reference(work)
        snippet = "a <mark>match</mark> &amp; more"
        assert str(render_blurb(work, snippet)) == _reference(work, snippet)


def test_drafts_restricted_works_and_plain_works_match_the_template_too(author: User) -> None:
    works = [
        make_work(owner=author, post=False, restricted=True, expected_chapters=3),
        make_work(owner=author, rating="explicit", is_complete=True),
        make_work(owner=author, rating="not_rated", tags={TagType.FANDOM: ["Only A Fandom"]}),
    ]
    for work in works:
        listed = _listed(work, author)
        assert str(render_blurb(listed)) == _reference(listed)


def test_hostile_text_is_escaped_never_markup(author: User) -> None:
    html = str(render_blurb(_listed(_hostile_work(author), author)))
    assert "<script>" not in html
    assert "<b>Bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Fandom / Slash * Star" in html


@pytest.mark.django_db
def test_a_hostile_username_is_escaped_in_the_byline() -> None:
    owner = UserFactory(username="o'brien")
    html = str(render_blurb(_listed(make_work(owner=owner), owner)))
    assert ">o&#x27;brien</a>" in html
    assert 'href="/users/o&#x27;brien/"' in html


@pytest.mark.parametrize(
    "name", ["Angst/Fluff", "100% * Stars", "...", "Jörð & Ýmir?", "#hash tag", "a//b"]
)
def test_url_for_gives_what_reverse_gives(name: str) -> None:
    assert url_for("search:tag", "freeform", name) == reverse("search:tag", args=["freeform", name])


def test_url_for_answers_under_each_requests_script_prefix() -> None:
    try:
        set_script_prefix("/archive/")
        assert url_for("works:work", 7) == "/archive/works/7/"
    finally:
        set_script_prefix("/")
    assert url_for("works:work", 7) == "/works/7/"
