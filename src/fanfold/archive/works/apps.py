from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanfold.archive.works"
    label = "works"
    verbose_name = "Works"
