from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fanfold.archive.people"
    label = "people"
    verbose_name = "People"
