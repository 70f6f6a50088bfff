from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "fanfold.archive.reading"
    label = "reading"
    verbose_name = "Readers' side"

    def ready(self) -> None:
        from fanfold.archive.reading import receivers  # noqa: F401 (connects them)
