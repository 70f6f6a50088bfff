from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "fanfold.archive.reading"
    label = "reading"
    verbose_name = "Readers' side: kudos"
