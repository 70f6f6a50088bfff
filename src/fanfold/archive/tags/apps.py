from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanfold.archive.tags"
    label = "tags"
    verbose_name = "Tags"
