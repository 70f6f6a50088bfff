from django.urls import path

from fanfold.archive.reading import views

app_name = "reading"
urlpatterns = [
    path("works/<int:work_id>/kudos/", views.leave_kudos, name="kudos"),
    path("works/<int:work_id>/bookmark/", views.bookmark_work, name="bookmark_work"),
    path(
        "works/<int:work_id>/bookmark/delete/",
        views.delete_work_bookmark,
        name="delete_work_bookmark",
    ),
    path("works/<int:work_id>/bookmarks/", views.work_bookmarks, name="work_bookmarks"),
    path("series/<int:series_id>/bookmark/", views.bookmark_series, name="bookmark_series"),
    path(
        "series/<int:series_id>/bookmark/delete/",
        views.delete_series_bookmark,
        name="delete_series_bookmark",
    ),
]
