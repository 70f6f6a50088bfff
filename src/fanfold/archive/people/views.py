"""Sign up, and an author's page. Log in and out are Django's own views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fanfold.archive.people.forms import SignupForm
from fanfold.archive.people.models import User
from fanfold.archive.works import selectors as work_selectors


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("works:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to the archive, {user.username}.")
        return redirect("works:home")
    return render(request, "people/signup.html", {"form": form})


def author(request: HttpRequest, username: str) -> HttpResponse:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404("No such author")
    works = work_selectors.works_by_author(author=person, viewer=request.user)
    series = work_selectors.series_of_author(author=person, viewer=request.user)
    return render(
        request,
        "people/author.html",
        {
            "person": person,
            "works": works,
            "series_list": series,
            "is_self": request.user.pk == person.pk,
        },
    )
