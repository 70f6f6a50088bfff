"""Pending uploads keep what was read, not the files: waiting uploads are dropped.

An upload waits a day at most; one left over from before this change would
need its files read again, so it is removed (its author uploads again).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0003_listing_and_counters"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM works_pendingupload", migrations.RunSQL.noop),
        migrations.DeleteModel(name="PendingUploadFile"),
        migrations.AddField(
            model_name="pendingupload",
            name="title",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="parsed",
            field=models.TextField(
                default="", help_text="The ParsedWork, as formats.model.work_to_json wrote it"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="suggestions",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="pendingupload",
            name="size",
            field=models.PositiveIntegerField(default=0, help_text="Bytes kept"),
        ),
        migrations.AlterField(
            model_name="pendingupload",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
    ]
