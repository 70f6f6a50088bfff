from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fanfold.archive.search"
    label = "search"
