from django.contrib.auth import views as auth_views
from django.urls import path

from fanfold.archive.people import views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="people/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/<str:username>/mute/", views.mute, name="mute"),
    path("hidden/", views.hidden, name="hidden"),
    path("hide/<str:type>/<tagname:name>/", views.hide_tag, name="hide_tag"),
]
