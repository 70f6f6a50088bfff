"""Tag names are one clean line: existing names are repaired, empty ones refused.

A name with a newline or a control character (possible before names were
cleaned on the way in) becomes one line with single spaces. Where that
would give a name another tag of the type already has, the repaired tag
keeps its own identity with its id added ("Lexie Grey (tag 42)") rather
than being merged: nothing is lost, and a wrangler can make it a synonym.
The cleaning is restated here, as migrations must not import code that
will change.
"""

import re
import unicodedata

from django.db import migrations, models

import fanfold.archive.tags.models

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
NAME_MAX = 150


def _clean(name):
    return unicodedata.normalize("NFC", " ".join(_CONTROLS.sub(" ", name).split()))


def repair_names(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag in Tag.objects.only("pk", "type", "name").iterator(chunk_size=2000):
        name = _clean(tag.name)[:NAME_MAX] or f"Tag {tag.pk}"
        if name == tag.name:
            continue
        twin = Tag.objects.filter(type=tag.type, name__iexact=name).exclude(pk=tag.pk)
        if twin.exists():
            suffix = f" (tag {tag.pk})"
            name = name[: NAME_MAX - len(suffix)] + suffix
        tag.name = name
        tag.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0003_tag_wranglers_group"),
    ]

    operations = [
        migrations.RunPython(repair_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="name",
            field=models.CharField(
                max_length=150, validators=[fanfold.archive.tags.models.validate_tag_name]
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.CheckConstraint(
                condition=models.Q(("name", ""), _negated=True), name="tag_name_not_empty"
            ),
        ),
    ]
