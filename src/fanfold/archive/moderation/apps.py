from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "fanfold.archive.moderation"
    label = "moderation"
