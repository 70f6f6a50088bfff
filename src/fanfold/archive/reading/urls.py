from django.urls import path

from fanfold.archive.reading import views

app_name = "reading"
urlpatterns = [
    path("works/<int:work_id>/kudos/", views.leave_kudos, name="kudos"),
]
