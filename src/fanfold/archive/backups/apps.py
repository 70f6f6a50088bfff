from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "fanfold.archive.backups"
    label = "backups"
