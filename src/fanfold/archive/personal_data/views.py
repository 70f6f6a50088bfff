"""The "Your data" pages: a download of everything one posted, and deleting the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found
from fanfold.archive.people.models import User
from fanfold.archive.personal_data import selectors, services, tasks
from fanfold.archive.personal_data.forms import DeleteAccountForm


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    """The latest download and its state, with a button to ask for a new one."""
    return render(
        request,
        "personal_data/your_data.html",
        {"export": selectors.latest_export(user=_me(request))},
    )


@login_required
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    try:
        _, created = tasks.queue_export(user=_me(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(
                request,
                "Your download is being prepared. Come back to this page in a few minutes.",
            )
        else:
            messages.info(request, "Your download is already being prepared.")
    return redirect("personal_data:your_data")


@login_required
def download(request: HttpRequest, export_id: int) -> FileResponse:
    """The zip itself, to its owner only (anyone else's is not found)."""
    me = _me(request)
    path = found(selectors.export_file(user=me, export_id=export_id), "download")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"fanfold-{me.username}-data.zip",
        content_type="application/zip",
    )


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the account, with the password, choosing what becomes of the works."""
    me = _me(request)
    form = DeleteAccountForm(request.POST or None, user=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(user=me, works=form.choice())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for being here.")
            return redirect("search:home")
    works = selectors.own_work_count(user=me)
    return render(request, "personal_data/delete_account.html", {"form": form, "works": works})
