from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "fanfold.archive.inbox"
    label = "inbox"
    verbose_name = "Inbox"
