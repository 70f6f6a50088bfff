from django.urls import path

from fanfold.archive.insights import views

app_name = "insights"
urlpatterns = [
    path("works/<int:work_id>/characters/", views.characters, name="characters"),
    path("preferences/colour-dialogue/", views.colour_dialogue, name="colour_dialogue"),
]
