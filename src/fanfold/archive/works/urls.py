from django.urls import path

from fanfold.archive.works import feeds, views

app_name = "works"
urlpatterns = [
    path("works/new/", views.work_new, name="new"),
    path("works/import/", views.work_import, name="import"),
    path("works/import/<str:token>/", views.work_import_preview, name="import_preview"),
    path("works/import/<str:token>/cancel/", views.work_import_cancel, name="import_cancel"),
    path("works/<int:work_id>/", views.work_detail, name="work"),
    path("works/<int:work_id>/full/", views.work_full, name="full"),
    path("works/<int:work_id>/feed/", feeds.WorkChaptersFeed(), name="work_feed"),
    path("works/<int:work_id>/navigate/", views.work_navigate, name="navigate"),
    path("works/<int:work_id>/hit.gif", views.work_hit, name="hit"),
    path(
        "works/<int:work_id>/download/<str:extension>/",
        views.work_download,
        name="download",
    ),
    path("works/<int:work_id>/edit/", views.work_edit, name="edit"),
    path("works/<int:work_id>/delete/", views.work_delete, name="delete"),
    path("works/<int:work_id>/post/", views.work_post, name="post"),
    path("works/<int:work_id>/hide/", views.work_hide, name="hide"),
    path("works/<int:work_id>/chapters/new/", views.chapter_new, name="chapter_new"),
    path("works/<int:work_id>/chapters/order/", views.chapter_order, name="chapter_order"),
    path("works/<int:work_id>/chapters/<int:chapter_id>/", views.chapter_detail, name="chapter"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit/",
        views.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete/",
        views.chapter_delete,
        name="chapter_delete",
    ),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("series/<int:series_id>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:series_id>/delete/", views.series_delete, name="series_delete"),
    path("preferences/notes/", views.toggle_notes, name="toggle_notes"),
    path("users/<str:username>/", views.author, name="author"),
    path("users/<str:username>/feed/", feeds.AuthorWorksFeed(), name="author_feed"),
]
