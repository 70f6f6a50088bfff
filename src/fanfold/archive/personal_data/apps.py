from django.apps import AppConfig


class PersonalDataConfig(AppConfig):
    name = "fanfold.archive.personal_data"
    label = "personal_data"
