"""An index for tag autocomplete: canonical tags of a type by the start of their name, any case.

``tags.selectors.canonical_tags_starting`` asks for ``type = %s AND
is_canonical AND name LIKE 'lex%'`` in any case. Partial (canonical tags
only: what authors are offered), so it stays small however many tags
authors type.

PostgreSQL: on ``upper(name)`` with ``text_pattern_ops``, which Django's
case-insensitive ``LIKE UPPER(...)`` uses as a range whatever the
database's collation. SQLite: on ``(type, name)``; its LIKE reads only the
canonical tags of the one type (its own prefix optimisation needs a NOCASE
column).
"""

from django.db import migrations

POSTGRESQL = (
    "CREATE INDEX tag_canonical_prefix ON tags_tag "
    "(type, (upper((name)::text)) text_pattern_ops) WHERE is_canonical"
)
SQLITE = "CREATE INDEX tag_canonical_prefix ON tags_tag (type, name) WHERE is_canonical"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRESQL if vendor == "postgresql" else SQLITE)


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS tag_canonical_prefix")


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0004_tag_names_one_clean_line"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
