"""Index the works an archive had before the search index existed.

Before wrangling existed every tag filtered as itself, so a work's filter
rows are its own tags; listing, bucket and sort title follow the rules in
``fanfold.archive.search.indexing`` (restated here, as migrations must not
import code that will change).
"""

from django.db import migrations

UNLISTED, MEMBERS, PUBLIC = 2, 1, 0


def index_existing_works(apps, schema_editor):
    Work = apps.get_model("works", "Work")
    FilterTag = apps.get_model("search", "FilterTag")
    Tag = apps.get_model("tags", "Tag")
    for work in Work.objects.prefetch_related("tags").iterator(chunk_size=500):
        if work.is_draft or work.is_hidden:
            work.listing = UNLISTED
        else:
            work.listing = MEMBERS if work.is_restricted else PUBLIC
        work.bucket = work.pk % 64
        work.sort_title = work.title.casefold()[:255]
        fandoms = [t for t in work.tags.all() if t.type == "fandom"]
        work.is_crossover = len(fandoms) > 1
        work.save(update_fields=["listing", "bucket", "sort_title", "is_crossover"])
        FilterTag.objects.bulk_create(
            FilterTag(
                tag=tag, bucket=work.bucket, work=work, tag_type=tag.type, listing=work.listing
            )
            for tag in work.tags.all()
        )
    for tag in Tag.objects.all():
        rows = FilterTag.objects.filter(tag=tag)
        tag.listed_count = rows.filter(listing=PUBLIC).count()
        tag.member_count = rows.filter(listing__lt=UNLISTED).count()
        tag.save(update_fields=["listed_count", "member_count"])


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(index_existing_works, migrations.RunPython.noop)]
