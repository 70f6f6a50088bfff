from django.urls import path

from fanfold.archive.search import views as search_views
from fanfold.archive.tags import views

app_name = "tags"
urlpatterns = [
    path("fandoms/", views.fandoms, name="fandoms"),
    path("fandoms/<str:media>/", views.fandoms_of_media, name="fandoms_of_media"),
    # Tag names may hold "/" (relationships), so the name is a path, and comes last.
    path("wrangle/<str:type>/<path:name>/", views.wrangle, name="wrangle"),
    path("tags/<str:type>/<path:name>/", search_views.tag_works, name="works"),
]
