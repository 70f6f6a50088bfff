"""Sign up, muting and hiding. Log in and out are Django's own views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found
from fanfold.archive.people import selectors, services
from fanfold.archive.people.forms import SignupForm
from fanfold.archive.people.models import User
from fanfold.archive.tags.selectors import find_tag


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("search:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
def hide_tag(request: HttpRequest, type: str, name: str) -> HttpResponse:
    """Hide (or, with ``undo``, show again) the works a tag finds, in every listing."""
    tag = found(find_tag(type=type, name=name), "tag")
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
    """What you have muted and hidden, to undo it."""
    me = _me(request)
    return render(
        request,
        "people/hidden.html",
        {
            "mutes": selectors.mutes_of(me),
            "hidden_tags": selectors.hidden_tags_of(me),
        },
    )
