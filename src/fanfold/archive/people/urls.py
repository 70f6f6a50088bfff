from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from fanfold.archive.people import signin_views, views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/queue/", views.join_queue, name="queue_join"),
    path("signup/queue/<str:token>/", views.queue_place, name="queue_place"),
    path("login/", signin_views.SignInView.as_view(), name="login"),
    path("login/code/", signin_views.login_code, name="login_code"),
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
        signin_views.QuietPasswordReset.as_view(),  # the email goes from the task queue
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
    path("settings/two-factor/", signin_views.two_factor, name="two_factor"),
    path("settings/two-factor/start/", signin_views.two_factor_start, name="two_factor_start"),
    path(
        "settings/two-factor/confirm/", signin_views.two_factor_confirm, name="two_factor_confirm"
    ),
    path("settings/two-factor/codes/", signin_views.two_factor_codes, name="two_factor_codes"),
    path(
        "settings/two-factor/disable/", signin_views.two_factor_disable, name="two_factor_disable"
    ),
    path("settings/sessions/", signin_views.sessions, name="sessions"),
    path(
        "settings/sessions/<int:session_id>/sign-out/",
        signin_views.session_sign_out,
        name="session_sign_out",
    ),
    path(
        "settings/sessions/sign-out-others/",
        signin_views.sessions_sign_out_others,
        name="sessions_sign_out_others",
    ),
    path("settings/theme/", views.theme, name="theme"),
    path("settings/reading/", views.reading, name="reading"),
    path("users/<str:username>/profile/", views.profile, name="profile"),
    path("users/<str:username>/mute/", views.mute, name="mute"),
    path("users/<str:username>/block/", views.block, name="block"),
    path("hidden/", views.hidden, name="hidden"),
    path("hide/<str:type>/<tagname:name>/", views.hide_tag, name="hide_tag"),
]
