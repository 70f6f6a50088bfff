from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fanfold.archive.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from fanfold.archive.people import receivers  # noqa: F401 - connects them
