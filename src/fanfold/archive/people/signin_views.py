"""Logging in (with a second step for two-factor accounts), the lockout page, password
resets that say the same for every address, two-factor settings, and signed-in sessions.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any
from urllib.parse import urlencode

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fanfold.archive.people import selectors, signin
from fanfold.archive.people.forms import CodeForm, DisableTwoFactorForm
from fanfold.archive.people.models import User
from fanfold.archive.people.tasks import send_password_reset
from fanfold.archive.security import client_address

# Logging in -------------------------------------------------------------------------

PENDING = "_fanfold_signin_pending"  # in the session between the password and the code
PENDING_FOR = 5 * 60  # seconds to type the code before the password is asked again


class SignInView(LoginView):
    """Django's login, stopping after the password for accounts with two-factor sign-in.

    The person is not logged in until the code is accepted: the session only
    remembers who gave the right password, for five minutes.
    """

    template_name = "people/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not selectors.has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("people:login_code")


def _pending_sign_in(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_FOR:
        return None
    user = User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
    return None if user is None else (user, pending)


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app (or a recovery code) completes the login."""
    pending = _pending_sign_in(request)
    if pending is None:
        request.session.pop(PENDING, None)
        messages.error(request, "Log in again: the page asking for your code waited too long.")
        return redirect("people:login")
    user, details = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = signin.verify_code(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING]
            login(request, user, backend=details["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(details["next"])
    return render(request, "people/login_code.html", {"form": form})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page, saying when to try again, after too many wrong passwords (django-axes)."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    refusal = signin.wait_message(
        timezone.now() + cool_off,
        what="Too many failed logins for this account or from your address",
    )
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": refusal,
        "next": request.POST.get("next", ""),
    }
    return render(request, "people/login.html", context, status=429)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's login page leads to the site's, so the admin has the same two steps."""
    if request.user.is_authenticated:
        # Logged in, yet the admin refused: not staff, or staff whose session lacks the code.
        messages.error(
            request,
            "The admin is for the archive's staff. If you are, log out and log in again"
            " with your two-factor code.",
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('people:login')}?{urlencode({'next': target})}")


def admin_has_permission(request: HttpRequest) -> bool:
    """Django's own check, and for staff with two-factor sign-in, a session that gave the code."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    verified = getattr(user, "is_verified", lambda: False)()
    return bool(verified) or not (isinstance(user, User) and selectors.has_two_factor(user))


# Sign-ups and password resets, counted per address (and per email) -----------------

SIGNUP_SCOPE = "signup"


def signup_refusal(request: HttpRequest) -> str | None:
    """Count a sign-up attempt from the visitor's address; the refusal if it is one too many."""
    until = signin.count_attempt(SIGNUP_SCOPE, client_address(request), limit=settings.SIGNUP_LIMIT)
    return (
        None
        if until is None
        else signin.wait_message(until, what="Too many sign-ups from your address")
    )


class QuietPasswordReset(PasswordResetView):
    """Django's reset page, answering alike for every address, known or not.

    The email goes from the task queue (``tasks.send_password_reset``), so
    the page does the same work for an unknown address as for a known one.
    Requests are counted per address and per email.
    """

    template_name = "people/password_reset.html"
    success_url = reverse_lazy("people:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        limit = settings.PASSWORD_RESET_LIMIT
        # Both counted, whichever is over: neither says anything about an account.
        by_address = signin.count_attempt(
            "reset-address", client_address(self.request), limit=limit
        )
        by_email = signin.count_attempt("reset-email", email, limit=limit)
        until = by_address or by_email
        if until is not None:
            form.add_error(
                None, signin.wait_message(until, what="Too many password resets asked for")
            )
            return self.form_invalid(form)
        send_password_reset.enqueue(
            email=email, domain=self.request.get_host(), use_https=self.request.is_secure()
        )
        return HttpResponseRedirect(str(self.success_url))


# Two-factor settings ------------------------------------------------------------------


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def qr_code(url: str) -> str:
    """``url`` as a QR code in an SVG data URL (an <img>: the CSP allows data: images)."""
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode()


def readable_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


SHOWN_CODES = "_fanfold_recovery_codes"  # shown once, on the next page, then gone


def _verified_or_none(request: HttpRequest) -> bool:
    """Changing two-factor sign-in that is on takes a session that gave a code."""
    user = _me(request)
    verified = bool(getattr(request.user, "is_verified", lambda: False)())
    if verified or not selectors.has_two_factor(user):
        return True
    messages.error(
        request, "Log out and log in again with your two-factor code to change these settings."
    )
    return False


@login_required
def two_factor(request: HttpRequest, confirm_form: CodeForm | None = None) -> HttpResponse:
    """The "Two-factor sign-in" settings: its state and what can be done from there."""
    me = _me(request)
    pending = selectors.pending_authenticator(me)
    context: dict[str, Any] = {
        "enabled": selectors.has_two_factor(me),
        "pending": pending,
        "codes_left": selectors.recovery_codes_left(me),
        "recovery_codes": request.session.pop(SHOWN_CODES, None),
        "confirm_form": confirm_form or CodeForm(),
        "disable_form": DisableTwoFactorForm(),
    }
    if pending is not None:
        context["qr_code"] = qr_code(pending.config_url)
        context["secret"] = readable_secret(pending)
    return render(request, "people/two_factor.html", context)


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    if _verified_or_none(request):
        signin.start_two_factor(user=_me(request))
    return redirect("people:two_factor")


@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid() and _verified_or_none(request):
        try:
            on = signin.confirm_two_factor(user=_me(request), code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, on.device)  # this session gave the code
            request.session[SHOWN_CODES] = on.recovery_codes
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("people:two_factor")
    return two_factor(request, confirm_form=form)


@login_required
@require_POST
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    if _verified_or_none(request) and selectors.has_two_factor(_me(request)):
        request.session[SHOWN_CODES] = signin.replace_recovery_codes(user=_me(request))
        messages.success(request, "Here are new recovery codes; the earlier ones no longer work.")
    return redirect("people:two_factor")


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = DisableTwoFactorForm(request.POST)
    if form.is_valid():
        try:
            signin.disable_two_factor(
                user=_me(request),
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Two-factor sign-in is off: your password alone logs in.")
            return redirect("people:two_factor")
    me = _me(request)
    context = {
        "enabled": selectors.has_two_factor(me),
        "codes_left": selectors.recovery_codes_left(me),
        "confirm_form": CodeForm(),
        "disable_form": form,
    }
    return render(request, "people/two_factor.html", context, status=400)


# Signed-in sessions --------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the account is signed in, this browser first marked, each with a way out."""
    return render(
        request,
        "people/sessions.html",
        {
            "sessions": list(selectors.sessions_of(_me(request))),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def session_sign_out(request: HttpRequest, session_id: int) -> HttpResponse:
    if signin.sign_out_session(user=_me(request), session_id=session_id):
        messages.success(request, "That session is signed out.")
    else:
        messages.error(request, "That session has already ended.")
    return redirect("people:sessions")


@login_required
@require_POST
def sessions_sign_out_others(request: HttpRequest) -> HttpResponse:
    ended = signin.sign_out_everywhere_else(
        user=_me(request), current_key=request.session.session_key
    )
    messages.success(
        request, f"Signed out everywhere else ({ended} session{'s' if ended != 1 else ''})."
    )
    return redirect("people:sessions")
