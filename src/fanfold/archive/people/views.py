"""Sign up, settings, profile, email change, muting, blocking and hiding.

Log in and out and the password pages are Django's own views.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found
from fanfold.archive.people import claims, invitations, selectors, services
from fanfold.archive.people.context_processors import (
    READING_SIZE_COOKIE,
    READING_WIDTH_COOKIE,
    THEME_COOKIE,
)
from fanfold.archive.people.forms import (
    BioForm,
    EmailChangeForm,
    InvitedSignupForm,
    QueueForm,
    ReadingForm,
    SettingsForm,
    SignupForm,
    ThemeForm,
)
from fanfold.archive.people.models import User
from fanfold.archive.people.signin_views import signup_refusal
from fanfold.archive.tags.selectors import find_visible_tag
from fanfold.formats.userhtml import to_safe_html


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account: open to all, by invitation only, or closed (``FANFOLD_REGISTRATION``)."""
    if request.user.is_authenticated:
        return redirect("search:home")
    if invitations.registration() == "closed":
        return render(request, "people/signup_closed.html")
    if invitations.registration() == "invite":
        return _invited_signup(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = signup_refusal(request)  # counted only once the form is complete
        if refusal:
            form.add_error(None, refusal)
            return render(request, "people/signup.html", {"form": form}, status=429)
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to the archive, {user.username}.")
        return redirect("search:home")
    return render(request, "people/signup.html", {"form": form})


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _active_author(username: str) -> User:
    return found(selectors.active_user(username=username), "author")


@login_required
@require_POST
def mute(request: HttpRequest, username: str) -> HttpResponse:
    """Mute (or, with ``undo``, unmute) an author: their works leave your listings."""
    person = _active_author(username)
    try:
        if request.POST.get("undo"):
            services.unmute_author(user=_me(request), author=person)
            messages.success(request, f"{person.username} is no longer muted.")
        else:
            services.mute_author(user=_me(request), author=person)
            messages.success(request, f"{person.username}’s works are hidden from your listings.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("works:author", username=person.username)


@login_required
@require_POST
def block(request: HttpRequest, username: str) -> HttpResponse:
    """Block (or, with ``undo``, unblock) an account: no comments on your works, no replies."""
    person = _active_author(username)
    try:
        if request.POST.get("undo"):
            services.unblock_user(user=_me(request), other=person)
            messages.success(request, f"{person.username} is no longer blocked.")
        else:
            services.block_user(user=_me(request), other=person)
            messages.success(
                request,
                f"{person.username} is blocked: they can no longer comment on your works"
                " or reply to your comments.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("works:author", username=person.username)


@login_required
@require_POST
def hide_tag(request: HttpRequest, type: str, name: str) -> HttpResponse:
    """Hide (or, with ``undo``, show again) the works a tag finds, in every listing."""
    tag = found(find_visible_tag(type=type, name=name, viewer=request.user), "tag")
    try:
        if request.POST.get("undo"):
            services.show_tag(user=_me(request), tag=tag)
            messages.success(request, f"Works tagged “{tag.name}” are shown again.")
        else:
            services.hide_tag(user=_me(request), tag=tag)
            messages.success(request, f"Works tagged “{tag.name}” are hidden from your listings.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(tag)


@login_required
def hidden(request: HttpRequest) -> HttpResponse:
    """What you have muted, blocked and hidden, to undo it."""
    me = _me(request)
    return render(
        request,
        "people/hidden.html",
        {
            "mutes": selectors.mutes_of(me),
            "blocks": selectors.blocks_of(me),
            "hidden_tags": selectors.hidden_tags_of(me),
        },
    )


# Settings, profile and email ---------------------------------------------------


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """The account's preferences, each taking effect on the next page."""
    me = _me(request)
    form = SettingsForm.for_user(me, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preferences(user=me, preferences=form.to_preferences())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session.pop("hide_notes", None)  # the new default applies from now on
            messages.success(request, "Your settings are saved.")
            return redirect("people:settings")
    return render(request, "people/settings.html", {"form": form})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """An account's profile: its bio and when it joined, with a way to its works."""
    person = _active_author(username)
    # Sanitised again as it is shown: bios of imported accounts were stored as plain text.
    bio = mark_safe(to_safe_html(person.bio))  # noqa: S308 - nh3-cleaned just above
    return render(
        request,
        "people/profile.html",
        {"person": person, "bio": bio, "is_self": request.user.pk == person.pk},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = BioForm(request.POST or None, initial={"bio": me.bio})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_bio(user=me, bio=form.cleaned_data["bio"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile", username=me.username)
    return render(request, "people/profile_edit.html", {"form": form})


def _back(request: HttpRequest) -> HttpResponse:
    """A redirect to the page the form was on (``next``), or home if that is elsewhere."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


def _keep_in_cookie(response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=365 * 24 * 60 * 60, samesite="Lax", httponly=True)


@require_POST
def theme(request: HttpRequest) -> HttpResponse:
    """The footer's switch: an account keeps the theme, a guest's browser keeps a cookie."""
    form = ThemeForm(request.POST)
    response = _back(request)
    if not form.is_valid():
        messages.error(request, services.THEME_REFUSED)
    elif isinstance(request.user, User):
        services.set_theme(user=request.user, theme=form.cleaned_data["theme"])
    else:
        _keep_in_cookie(response, THEME_COOKIE, form.cleaned_data["theme"])
    return response


@require_POST
def reading(request: HttpRequest) -> HttpResponse:
    """A work page's reading settings: kept on the account, or in a guest's cookies."""
    form = ReadingForm(request.POST)
    response = _back(request)
    if not form.is_valid():
        messages.error(request, "Choose a text size and a line width from the lists.")
        return response
    size, width = form.cleaned_data["size"], form.cleaned_data["width"]
    if isinstance(request.user, User):
        services.set_reading(user=request.user, size=size, width=width)
    else:
        _keep_in_cookie(response, READING_SIZE_COOKIE, size)
        _keep_in_cookie(response, READING_WIDTH_COOKIE, width)
    messages.success(request, "Your reading settings are saved.")
    return response


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    """Ask for a new address: a link goes there, and only following it changes anything."""
    me = _me(request)
    form = EmailChangeForm(request.POST or None, user=me)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        try:
            services.request_email_change(
                user=me,
                new_email=new_email,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("people:email_confirm", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"We sent a link to {new_email}. Your address changes when you open it"
                " (within a day).",
            )
            return redirect("people:settings")
    return render(request, "people/email_change.html", {"form": form})


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a button to confirm (a GET changes nothing: mail scanners open links)."""
    try:
        person, new_email = services.pending_email_change(token)
        if request.method == "POST":
            services.confirm_email_change(token=token)
            messages.success(request, f"Your email address is now {new_email}.")
            return redirect("search:home")
    except ValidationError as error:
        return render(
            request, "people/email_confirm.html", {"problem": error.messages[0]}, status=400
        )
    return render(request, "people/email_confirm.html", {"person": person, "new_email": new_email})


# Joining by invitation -----------------------------------------------------------


def _welcome(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome to the archive, {user.username}.")
    return redirect("search:home")


def _invited_signup(request: HttpRequest) -> HttpResponse:
    """Signup with an invitation code; the email's link (``?code=``) fills it in."""
    code = request.GET.get("code", "").strip()
    initial = {"invitation": code}
    problem = ""
    if code and request.method != "POST":
        try:
            initial["email"] = invitations.check_code(code).email
        except ValidationError as error:
            problem = error.messages[0]
    form = InvitedSignupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.create_invited_account(
                code=form.cleaned_data["invitation"], make_account=form.save
            )
        except ValidationError as error:
            form.add_error("invitation", error)
        else:
            return _welcome(request, user)
    return render(
        request,
        "people/signup_invited.html",
        {"form": form, "problem": problem, "queue_form": QueueForm()},
    )


def join_queue(request: HttpRequest) -> HttpResponse:
    """Ask for an invitation: the address joins the queue and is sent a link to its place."""
    if invitations.registration() != "invite":
        raise Http404("Invitations are not how this archive's accounts are made.")
    form = QueueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitations.join_queue(
                email=email,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("people:queue_place", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"You are in the queue. We sent {email} a link to see your place in it;"
                " your invitation will come to the same address.",
            )
            return redirect("people:signup")
    return render(request, "people/queue_join.html", {"form": form})


def queue_place(request: HttpRequest, token: str) -> HttpResponse:
    """Where an address stands in the queue (the emailed link; it shows no one else)."""
    try:
        entry = invitations.entry_for_token(token)
    except ValidationError as error:
        return render(
            request, "people/queue_place.html", {"problem": error.messages[0]}, status=404
        )
    return render(
        request,
        "people/queue_place.html",
        {"entry": entry, "position": invitations.queue_position(entry)},
    )


# Claiming an account imported from another archive ------------------------------


def claim(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link: choose a password for an imported account, and be logged in."""
    try:
        person = claims.account_to_claim(uidb64=uidb64, token=token)
    except ValidationError as error:
        context = {"problem": error.messages[0], "form": QueueForm()}
        return render(request, "people/claim_request.html", context, status=400)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = claims.claim_account(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome back, {user.username}: the account is yours.")
            return redirect("works:author", username=user.username)
    return render(request, "people/claim.html", {"form": form, "person": person})


def claim_request(request: HttpRequest) -> HttpResponse:
    """Ask for a new claim link with the address the old archive had."""
    form = QueueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            claims.send_claim_link_to(email=email)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"If an imported account has the address {email}, a link to claim it is on"
                " its way there (it works for a day).",
            )
            return redirect("people:claim_request")
    return render(request, "people/claim_request.html", {"form": form})
