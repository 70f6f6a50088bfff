from django.urls import path

from fanfold.archive.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/works/<int:work_id>/", views.report_work, name="report_work"),
    path("report/comments/<int:comment_id>/", views.report_comment, name="report_comment"),
    path("report/users/<str:username>/", views.report_person, name="report_person"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.audit_log, name="log"),
    path("moderation/works/<int:work_id>/", views.moderate_work, name="work"),
    path("moderation/comments/<int:comment_id>/", views.moderate_comment, name="comment"),
    path("moderation/users/<str:username>/", views.moderate_person, name="person"),
]
