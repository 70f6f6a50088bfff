from django.urls import path

from fanfold.archive.tags import views

app_name = "tags"
urlpatterns = [
    # Tag names may hold "/" (relationships), so the name is a path.
    path("tags/<str:type>/<path:name>/", views.tag_works, name="works"),
]
