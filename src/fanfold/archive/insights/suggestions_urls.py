from django.urls import path

from fanfold.archive.insights import suggestions_views

app_name = "suggestions"
urlpatterns = [
    path(
        "works/<int:work_id>/suggestions/add/",
        suggestions_views.add_suggestion,
        name="add",
    ),
]
