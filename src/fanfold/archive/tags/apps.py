from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanfold.archive.tags"
    label = "tags"
    verbose_name = "Tags"

    def ready(self) -> None:
        # Any app's URLs may name a tag ("<tagname:name>"), so the converter
        # is known before any URLconf loads.
        from django.urls import register_converter

        from fanfold.archive.tags.converters import TagNameConverter

        register_converter(TagNameConverter, "tagname")
