from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from fanfold.archive.people import views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/queue/", views.join_queue, name="queue_join"),
    path("signup/queue/<str:token>/", views.queue_place, name="queue_place"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="people/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Changing a password, and resetting a forgotten one by email: Django's views.
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="people/password_change.html",
            success_url=reverse_lazy("people:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="people/password_changed.html"),
        name="password_changed",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="people/password_reset.html",
            email_template_name="people/password_reset_email.txt",
            subject_template_name="people/password_reset_subject.txt",
            success_url=reverse_lazy("people:password_reset_sent"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="people/password_reset_confirm.html",
            success_url=reverse_lazy("people:password_reset_done"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="people/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path("claim/", views.claim_request, name="claim_request"),
    path("claim/<uidb64>/<token>/", views.claim, name="claim"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/email/", views.email_change, name="email_change"),
    path("settings/email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("settings/theme/", views.theme, name="theme"),
    path("settings/reading/", views.reading, name="reading"),
    path("users/<str:username>/profile/", views.profile, name="profile"),
    path("users/<str:username>/mute/", views.mute, name="mute"),
    path("users/<str:username>/block/", views.block, name="block"),
    path("hidden/", views.hidden, name="hidden"),
    path("hide/<str:type>/<tagname:name>/", views.hide_tag, name="hide_tag"),
]
