from django.urls import path

from fanfold.archive.personal_data import views

app_name = "personal_data"
urlpatterns = [
    path("settings/data/", views.your_data, name="your_data"),
    path("settings/data/export/", views.request_export, name="request_export"),
    path("settings/data/<int:export_id>/download/", views.download, name="download"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
