"""Listings: the home page, all works, a tag's works and a reader's bookmarks (filterable)."""

from django.urls import path

from fanfold.archive.search import feeds, views

app_name = "search"
urlpatterns = [
    path("", views.home, name="home"),
    path("works/", views.work_list, name="works"),
    path("works/feed/", feeds.WorksFeed(), name="works_feed"),
    path("tags/<str:type>/<tagname:name>/", views.tag_works, name="tag"),
    path("tags/<str:type>/<tagname:name>/feed/", feeds.TagWorksFeed(), name="tag_feed"),
    path("users/<str:username>/bookmarks/", views.bookmarks, name="bookmarks"),
]
