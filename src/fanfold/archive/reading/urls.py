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
    path("history/pause/", views.pause_history, name="pause_history"),
    path("history/works/<int:work_id>/remove/", views.forget_work, name="forget_work"),
]
