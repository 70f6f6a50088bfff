"""Full-text search on the real database: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.archive.people.models import User
from fanfold.archive.search import fulltext
from fanfold.archive.search.fulltext import Document
from fanfold.archive.search.query import parse_query
from tests.archive.factories import make_work

HARBOUR, SUMMER, LETTERS, LANTERN = 1, 2, 3, 4

DOCUMENTS = [
    Document(
        work_id=HARBOUR,
        title="Rain over the Harbour",
        author="Mira Lind",
        summary="Boats, and the people who wait for them.",
        notes="Written for a friend.",
        tags="Fluff, Harbour Life",
        body="The boats came in late. Nobody spoke of the storm that night.",
    ),
    Document(
        work_id=SUMMER,
        title="The Long Summer",
        author="Jonas Holm",
        summary="Anna waits by the door.",
        notes="",
        tags="Angst, Hurt/Comfort",
        body=(
            "It rains in the kitchen, it rained in the hall, and the rain would not stop. "
            "Then a cold morning came over the square and everyone went out."
        ),
    ),
    Document(
        work_id=LETTERS,
        title="Letters Home",
        author="Elin Storm",
        summary="",
        notes="Thanks to my beta reader.",
        tags="Epistolary",
        body="The morning was cold. She felt no angst at all, only the wish to write.",
    ),
    Document(
        work_id=LANTERN,
        title="Moths",
        author="Karl Dahl",
        summary="A <b>bold</b> summary & more.",
        notes="",
        tags="Fluff",
        body="Before it all. <script>alert('x')</script> The lantern & the <b>moth</b> after.",
    ),
]


@pytest.fixture
def indexed(db: None) -> None:
    fulltext.index_documents(DOCUMENTS)


def found(text: str) -> list[int]:
    """The matching work ids, best first."""
    sql, params = fulltext.match(parse_query(text))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT work_id FROM ({sql}) AS matched ORDER BY rank DESC, work_id", params
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.usefixtures("indexed")
class TestMatching:
    def test_a_word_matches_any_field(self) -> None:
        assert sorted(found("morning")) == [SUMMER, LETTERS]
        assert found("epistolary") == [LETTERS]
        assert found("beta") == [LETTERS]

    def test_every_term_must_match(self) -> None:
        assert found("morning write") == [LETTERS]
        assert found("morning nowhere") == []

    def test_a_phrase_matches_words_next_to_each_other_only(self) -> None:
        assert found('"cold morning"') == [SUMMER]
        assert sorted(found("cold morning")) == [SUMMER, LETTERS]

    def test_stop_words_at_a_phrases_edges_need_not_match(self) -> None:
        # As PostgreSQL's English dictionary does ("the storm that" is "storm"
        # there), so both databases agree and SQLite need not read the
        # position of every "the" in the archive.
        assert found('"and nobody spoke of the"') == [HARBOUR]
        assert found('"the boats came in a"') == [HARBOUR]
        assert found('"boats went"') == []

    def test_stemming_finds_other_forms_of_a_word(self) -> None:
        assert sorted(found("raining")) == [HARBOUR, SUMMER]
        assert found("waiting anna") == [SUMMER]

    def test_a_title_match_ranks_above_body_matches(self) -> None:
        assert found("rain") == [HARBOUR, SUMMER]

    def test_an_exclusion_leaves_out_works_that_match_it(self) -> None:
        assert found("cold -summer") == [LETTERS]
        assert found('morning -"cold morning"') == [LETTERS]

    def test_an_exclusion_only_query_matches_all_other_works(self) -> None:
        assert sorted(found("-fluff")) == [SUMMER, LETTERS]
        assert sorted(found("-fluff -angst")) == []
        assert sorted(found("-nowhere")) == [HARBOUR, SUMMER, LETTERS, LANTERN]

    def test_title_prefix_searches_only_titles(self) -> None:
        assert found("title:rain") == [HARBOUR]
        assert found("title:storm") == []

    def test_author_prefix_searches_only_author_names(self) -> None:
        assert found("author:storm") == [LETTERS]
        assert found('author:"Jonas Holm"') == [SUMMER]
        assert found("author:harbour") == []

    def test_tag_prefix_searches_only_tags(self) -> None:
        assert found("tag:angst") == [SUMMER]
        assert found('tag:"harbour life"') == [HARBOUR]
        assert found('tag:"life harbour"') == []

    def test_a_negated_field_prefix_excludes_by_that_field_only(self) -> None:
        # LETTERS has "angst" in its body, not in its tags, so it stays.
        assert sorted(found("-tag:angst")) == [HARBOUR, LETTERS, LANTERN]
        assert found("angst -tag:angst") == [LETTERS]
        assert found("morning -author:storm") == [SUMMER]

    def test_field_and_plain_terms_combine(self) -> None:
        assert found("tag:fluff moth") == [LANTERN]
        assert found("title:rain storm") == [HARBOUR]

    def test_query_syntax_is_searched_as_text(self) -> None:
        assert found("lantern* (moth) ^after") == [LANTERN]
        assert found("lantern OR nowhere") == []
        assert found("NEAR lantern") == []

    @pytest.mark.parametrize(
        "text",
        [
            '"); DROP TABLE works_work; --',
            "'; DROP TABLE search_fts; --",
            "NEAR(a b) * ^ {title}:",
            'title:"a" OR tag:* -"" ^rain NOT (storm)',
            "-",
            "%s %% %(name)s ?",
            '\\" \\\\ \' ""',
            "rain:* & !storm | <-> :A",
        ],
    )
    def test_hostile_queries_give_a_result_or_nothing_never_an_error(self, text: str) -> None:
        assert set(found(text)) <= {HARBOUR, SUMMER, LETTERS, LANTERN}
        assert found("rain") == [HARBOUR, SUMMER]  # the tables are still there

    def test_user_text_is_a_parameter_never_sql(self) -> None:
        sql, params = fulltext.match(parse_query("title:lantern DROP -angst"))
        assert "DROP" not in sql
        assert "lantern" not in sql
        assert any("DROP" in str(param) for param in params)

    def test_an_empty_query_matches_nothing(self) -> None:
        assert found("") == []


@pytest.mark.usefixtures("indexed")
class TestChangingTheIndex:
    def test_removed_documents_are_not_found(self) -> None:
        fulltext.remove_documents([HARBOUR, LANTERN])
        assert found("rain") == [SUMMER]
        assert sorted(found("-nowhere")) == [SUMMER, LETTERS]

    def test_indexing_again_replaces_a_document(self) -> None:
        fulltext.index_documents([Document(HARBOUR, "Dry Land", "Mira Lind", "", "", "", "")])
        assert found("rain") == [SUMMER]
        assert found("title:dry") == [HARBOUR]

    def test_a_long_garbled_body_is_indexed_not_refused(self) -> None:
        # Far more distinct words than one PostgreSQL tsvector holds (1 MB).
        body = "lighthouse " + " ".join(f"x{number}" for number in range(150_000))
        fulltext.index_documents([Document(99, "Noise", "", "", "", "", body)])
        assert found("lighthouse") == [99]


@pytest.mark.usefixtures("indexed")
class TestSnippets:
    def test_a_body_match_is_marked(self) -> None:
        snippet = fulltext.snippets([SUMMER], parse_query("rain"))[SUMMER]
        assert "<mark>rain</mark>" in snippet
        assert "kitchen" in snippet

    def test_html_in_a_story_is_escaped_around_the_marks(self) -> None:
        snippet = fulltext.snippets([LANTERN], parse_query("lantern"))[LANTERN]
        # PostgreSQL's headline drops anything shaped like a tag; FTS5 keeps it escaped.
        assert "<mark>lantern</mark> &amp; the" in snippet
        assert "alert(&#x27;x&#x27;)" in snippet
        assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
        assert ">" not in snippet.replace("<mark>", "").replace("</mark>", "")

    def test_the_summary_is_used_when_the_body_does_not_match(self) -> None:
        snippet = fulltext.snippets([SUMMER], parse_query("anna"))[SUMMER]
        assert snippet == "<mark>Anna</mark> waits by the door."

    def test_a_work_matched_elsewhere_shows_the_start_of_its_summary(self) -> None:
        snippets = fulltext.snippets([HARBOUR, LANTERN], parse_query("title:harbour"))
        assert snippets[HARBOUR] == "Boats, and the people who wait for them."
        assert snippets[LANTERN] == "A &lt;b&gt;bold&lt;/b&gt; summary &amp; more."

    def test_exclusion_only_queries_show_openings_without_marks(self) -> None:
        snippets = fulltext.snippets([LETTERS, SUMMER], parse_query("-fluff"))
        assert snippets == {
            LETTERS: "The morning was cold. She felt no angst at all, only the wish to write.",
            SUMMER: "Anna waits by the door.",
        }

    def test_a_long_body_gives_about_thirty_words_around_a_late_match(self) -> None:
        body = "Filler words go on. " * 400 + "At last the kettle sang. " + "More filler. " * 50
        fulltext.index_documents([Document(7, "Long", "", "", "", "", body)])
        snippet = fulltext.snippets([7], parse_query("kettle"))[7]
        assert "<mark>kettle</mark>" in snippet
        assert 10 <= len(snippet.split()) <= 40

    def test_a_phrase_is_marked_as_one_run_of_words(self) -> None:
        # PostgreSQL's headline marks each word of a phrase on its own.
        snippet = fulltext.snippets([SUMMER], parse_query('"cold morning"'))[SUMMER]
        assert "<mark>cold morning</mark>" in snippet

    def test_marker_characters_in_a_story_cannot_forge_marks(self) -> None:
        body = "A \ue000strange\ue001 lamp and the \ue001 lantern."
        fulltext.index_documents([Document(8, "Odd", "", "", "", "", body)])
        snippet = fulltext.snippets([8], parse_query("lantern"))[8]
        assert snippet.count("<mark>") == snippet.count("</mark>") == 1
        assert "<mark>lantern</mark>" in snippet

    def test_unknown_works_have_no_snippet(self) -> None:
        assert fulltext.snippets([12345], parse_query("rain")) == {}
        assert fulltext.snippets([], parse_query("rain")) == {}


LONG = 20
# A sentence of the kind long works are mostly made of, with no word the tests search for.
FILLER = "The tide went out and the gulls came down to the flats. "


def filler(characters: int) -> str:
    return FILLER * (characters // len(FILLER))


def snippet_of(body: str, text: str, summary: str = "") -> str:
    fulltext.index_documents([Document(LONG, "Long", "", summary, "", "", body)])
    return fulltext.snippets([LONG], parse_query(text))[LONG]


@pytest.mark.django_db
class TestSnippetsReadABoundedPrefix:
    """A snippet costs the same for a 5,000-word and a 500,000-word work."""

    def test_a_match_beyond_the_scanned_prefix_shows_the_summary(self) -> None:
        body = filler(fulltext.SNIPPET_SCAN + 50_000) + "At last the kettle sang. " + filler(9_000)
        assert snippet_of(body, "kettle", summary="A story about tea.") == "A story about tea."
        assert found("kettle") == [LONG]  # it is still found, only not shown

    def test_a_match_beyond_the_prefix_without_a_summary_shows_the_opening(self) -> None:
        body = filler(fulltext.SNIPPET_SCAN + 50_000) + "At last the kettle sang. " + filler(9_000)
        opening = " ".join(body.split()[: fulltext.SNIPPET_WORDS]) + "…"
        assert snippet_of(body, "kettle") == opening

    def test_a_match_deep_inside_the_prefix_is_marked_where_it_stands(self) -> None:
        body = filler(150_000) + "Then the copper Kettle sang. " + filler(250_000)
        snippet = snippet_of(body, "kettle", summary="A story about tea.")
        assert "copper <mark>Kettle</mark> sang" in snippet
        assert 10 <= len(snippet.split()) <= 40

    @pytest.mark.parametrize("at", [19_990, 20_010])
    def test_words_after_a_match_are_shown_wherever_it_stands(self, at: int) -> None:
        # PostgreSQL reads the first 20,000 characters alone when the match
        # lies well inside them; one just before that edge needs the rest.
        body = filler(at - 100).ljust(at - len("Then the ")) + "Then the kettle sang at last. "
        body += filler(30_000)
        assert body.index("kettle") == at
        assert "<mark>kettle</mark> sang at last" in snippet_of(body, "kettle")

    def test_a_phrase_is_looked_for_as_a_phrase_not_as_its_first_word(self) -> None:
        body = "A cold wind blew. " + filler(20_000) + "Then a cold morning came. " + filler(20_000)
        assert "<mark>cold morning</mark>" in snippet_of(body, '"cold morning"')

    def test_stop_words_at_a_phrases_edges_are_not_looked_for(self) -> None:
        # "the" stands in every sentence; the window must be around "lighthouse".
        body = filler(20_000) + "Far off, the lighthouse stood. " + filler(2_000)
        assert "<mark>lighthouse</mark> stood" in snippet_of(body, '"the lighthouse"')

    def test_a_short_body_is_read_whole_as_before(self) -> None:
        # Only "raining" is looked for, and it stands last; the best place to
        # show is still the opening, where three other forms of it stand.
        body = "It rains on the roof, it rained all night, and the rain kept on. "
        body += filler(1_200) + "Then the raining stopped."
        assert len(body) < fulltext.SNIPPET_WINDOW
        snippet = snippet_of(body, "raining")
        assert "<mark>rains</mark> on the roof, it <mark>rained</mark> all night" in snippet


@pytest.mark.sqlite  # PostgreSQL highlights with the search's own 'english' configuration
def test_snippet_windows_are_tokenised_like_the_search_table_on_sqlite(db: None) -> None:
    fulltext.index_documents(DOCUMENTS)
    fulltext.snippets([SUMMER], parse_query("rain"))
    tokenizer = re.compile(r"tokenize\s*=\s*'([^']*)'")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_fts'"
            " UNION ALL SELECT sql FROM sqlite_temp_master WHERE sql LIKE '%fts5%'"
        )
        used = [tokenizer.search(sql).group(1) for (sql,) in cursor.fetchall()]  # type: ignore[union-attr]
    assert len(used) == 2
    assert used[0] == used[1]


@pytest.mark.usefixtures("indexed")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_search_box_text_runs_without_an_error(text: str) -> None:
    query = parse_query(text)
    assert set(found(text)) <= {HARBOUR, SUMMER, LETTERS, LANTERN}
    assert set(fulltext.snippets([HARBOUR, LANTERN], query)) <= {HARBOUR, LANTERN}


@pytest.mark.postgres  # SQLite has no cascade: callers use remove_documents
def test_deleting_a_work_deletes_its_document_on_postgresql(author: User) -> None:
    work = make_work(owner=author, title="Lighthouse")
    fulltext.index_documents([Document(work.pk, "Lighthouse", "author", "", "", "", "")])
    assert found("lighthouse") == [work.pk]
    work.delete()
    assert found("lighthouse") == []


@pytest.mark.django_db
@pytest.mark.parametrize("at", [0, 3_000, 150_000])
def test_a_snippet_is_framed_by_one_ellipsis_each_side_never_two(at: int) -> None:
    """Issue 14: snippets began "……", the engine's cut mark and the page's side by side."""
    body = filler(at) + " Then the copper kettle sang. " + filler(9_000)
    snippet = snippet_of(body, "kettle")
    assert "<mark>kettle</mark>" in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "……" not in snippet
    assert "..." not in snippet


@pytest.mark.django_db
def test_an_opening_shown_for_a_title_match_has_no_doubled_ellipsis() -> None:
    body = "Rain fell. " * 100
    fulltext.index_documents([Document(LONG, "Kettle", "", "", "", "", body)])
    snippet = fulltext.snippets([LONG], parse_query("title:kettle"))[LONG]
    assert snippet.startswith("Rain fell.")
    assert snippet.endswith("…")
    assert "……" not in snippet
