from django.urls import path

from fanfold.archive.tags import views

app_name = "tags"
urlpatterns = [
    path("fandoms/", views.fandoms, name="fandoms"),
    path("fandoms/<str:media>/", views.fandoms_of_media, name="fandoms_of_media"),
    path("wrangle/<str:type>/<tagname:name>/", views.wrangle, name="wrangle"),
    path("tag-suggestions/<str:type>/", views.suggest, name="suggest"),
]
