"""Full-text storage, one per database (``fanfold.archive.search.fulltext`` uses it).

SQLite: an FTS5 table whose rowid is the work id. It stores its own copy
of the text, which snippet() needs.

PostgreSQL: ``search_document`` with the text and a weighted tsvector
(title A; tags and author B; summary and notes C; body D) in a stored
generated column, so it can never disagree with the text, and a GIN index;
``head`` is the same without the body: small enough to stay in the row, so
ranking by it never unpacks the big document; title, author and tags have
a vector and a GIN index each, for field prefixes (``tag:angst`` must not
match "angst" in a body).
The vector is made by ``search_document_vector()``: a tsvector holds at
most 1 MB, which a very long or garbled body can pass, and then only the
first 100,000 characters of each field are indexed instead of failing the
whole batch.

No foreign key to works_work: Django's test flush truncates works_work
without CASCADE, which PostgreSQL refuses while another table references
it. Triggers give the same effect (a deleted or truncated work takes its
document with it). SQLite has no such trigger, as Django rebuilds a SQLite
table (dropping its triggers) on most column changes: callers remove
documents themselves, and a join on works_work hides any leftover.
"""

from django.db import migrations

SQLITE = [
    (
        """CREATE VIRTUAL TABLE search_fts USING fts5(
            title, author, summary, notes, tags, body,
            tokenize = 'porter unicode61 remove_diacritics 2'
        )""",
        "DROP TABLE IF EXISTS search_fts",
    ),
]

FIELD_WEIGHTS = [
    ("title", "A"),
    ("tags", "B"),
    ("author", "B"),
    ("summary", "C"),
    ("notes", "C"),
    ("body", "D"),
]


def weighted(wrap="{}", fields=FIELD_WEIGHTS):
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {wrap.format(name)}), '{weight}')"
        for name, weight in fields
    )


POSTGRESQL = [
    (
        f"""CREATE FUNCTION search_document_vector(
            title text, tags text, author text, summary text, notes text, body text
        ) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        BEGIN
            RETURN {weighted()};
        EXCEPTION WHEN program_limit_exceeded THEN
            RETURN {weighted("left({}, 100000)")};
        END
        $$""",
        "DROP FUNCTION IF EXISTS search_document_vector(text, text, text, text, text, text)",
    ),
    (
        f"""CREATE FUNCTION search_document_head(
            title text, tags text, author text, summary text, notes text
        ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN {weighted("left({}, 10000)", FIELD_WEIGHTS[:-1])}""",
        "DROP FUNCTION IF EXISTS search_document_head(text, text, text, text, text)",
    ),
    (
        """CREATE TABLE search_document (
            work_id bigint PRIMARY KEY,
            title text NOT NULL,
            author text NOT NULL,
            summary text NOT NULL,
            notes text NOT NULL,
            tags text NOT NULL,
            body text NOT NULL,
            document tsvector NOT NULL GENERATED ALWAYS AS (
                search_document_vector(title, tags, author, summary, notes, body)
            ) STORED,
            head tsvector NOT NULL GENERATED ALWAYS AS (
                search_document_head(title, tags, author, summary, notes)
            ) STORED,
            title_vector tsvector NOT NULL GENERATED ALWAYS AS (
                to_tsvector('english'::regconfig, left(title, 10000))
            ) STORED,
            author_vector tsvector NOT NULL GENERATED ALWAYS AS (
                to_tsvector('english'::regconfig, left(author, 10000))
            ) STORED,
            tags_vector tsvector NOT NULL GENERATED ALWAYS AS (
                to_tsvector('english'::regconfig, left(tags, 10000))
            ) STORED
        )""",
        "DROP TABLE IF EXISTS search_document",
    ),
    (
        # Without statistics the planner takes @@ to match few rows and uses
        # the GIN index; with them, a common word makes it scan the table
        # and unpack every document (10x slower).
        "ALTER TABLE search_document ALTER COLUMN document SET STATISTICS 0",
        "SELECT 1",
    ),
    (
        "CREATE INDEX search_document_gin ON search_document USING gin (document)",
        "DROP INDEX IF EXISTS search_document_gin",
    ),
    # Field prefixes (title:, tag:, author:) search these small vectors, so
    # they never read the big weighted document (nor mix tags with author,
    # which share weight B). Stored, so a phrase's recheck needs no parsing.
    *(
        (
            f"CREATE INDEX search_document_{name}_gin ON search_document USING gin ({name}_vector)",
            f"DROP INDEX IF EXISTS search_document_{name}_gin",
        )
        for name in ("title", "author", "tags")
    ),
    (
        """CREATE FUNCTION search_document_forget() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE search_document;
            ELSE
                DELETE FROM search_document WHERE work_id = OLD.id;
            END IF;
            RETURN NULL;
        END
        $$""",
        "DROP FUNCTION IF EXISTS search_document_forget()",
    ),
    (
        """CREATE TRIGGER search_document_work_deleted AFTER DELETE ON works_work
        FOR EACH ROW EXECUTE FUNCTION search_document_forget()""",
        "DROP TRIGGER IF EXISTS search_document_work_deleted ON works_work",
    ),
    (
        """CREATE TRIGGER search_document_works_truncated AFTER TRUNCATE ON works_work
        FOR EACH STATEMENT EXECUTE FUNCTION search_document_forget()""",
        "DROP TRIGGER IF EXISTS search_document_works_truncated ON works_work",
    ),
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def create_storage(apps, schema_editor):
    for forward, _ in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(forward)


def drop_storage(apps, schema_editor):
    for _, backward in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_existing_works")]
    operations = [migrations.RunPython(create_storage, drop_storage)]
