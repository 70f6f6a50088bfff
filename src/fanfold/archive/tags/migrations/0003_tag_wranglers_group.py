"""The "Tag wranglers" staff group: its members may wrangle tags (and nothing else)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Tag wranglers"


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; this one is needed now.
    config = apps.get_app_config("tags")
    config.models_module = True  # what create_permissions checks; a migration's stub lacks it
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(codename="wrangle_tag", content_type__app_label="tags")
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("tags", "0002_wrangling"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_group, remove_group)]
