from django.urls import path

from fanfold.archive.comments import views

app_name = "comments"
urlpatterns = [
    path("works/<int:work_id>/comments/", views.post_comment, name="post"),
    path("comments/<int:comment_id>/thread/", views.thread, name="thread"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("comments/<int:comment_id>/edit/", views.edit, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete, name="delete"),
    path("comments/<int:comment_id>/freeze/", views.freeze, name="freeze"),
    path("comments/<int:comment_id>/approve/", views.approve, name="approve"),
    path("comments/<int:comment_id>/reject/", views.reject, name="reject"),
]
