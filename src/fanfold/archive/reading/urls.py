from django.urls import path

from fanfold.archive.reading import views

app_name = "reading"
urlpatterns = [
    path("works/<int:work_id>/kudos/", views.leave_kudos, name="kudos"),
    path("works/<int:work_id>/subscribe/", views.subscribe_work, name="subscribe_work"),
    path("series/<int:series_id>/subscribe/", views.subscribe_series, name="subscribe_series"),
    path("users/<str:username>/subscribe/", views.subscribe_author, name="subscribe_author"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("works/<int:work_id>/later/", views.mark_for_later, name="mark_for_later"),
    path("history/", views.history, name="history"),
    path("history/clear/", views.clear_history, name="clear_history"),
    path("history/later/clear/", views.clear_later, name="clear_later"),
    path("history/pause/", views.pause_history, name="pause_history"),
    path("history/works/<int:work_id>/remove/", views.forget_work, name="forget_work"),
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
