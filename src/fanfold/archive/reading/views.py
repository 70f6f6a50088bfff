"""Leaving kudos on a work: a POST from the work page, back to it with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found
from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.security import client_address
from fanfold.archive.works import selectors as works
from fanfold.archive.works.views import strangers_log_in_to_read


@require_POST
@strangers_log_in_to_read
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    reader = request.user if isinstance(request.user, User) else None
    guest = "" if reader else services.guest_key(address=client_address(request), work=work)
    try:
        left = services.leave_kudos(work=work, user=reader, guest=guest)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        if left:
            messages.success(request, "Thank you for leaving kudos!")
        else:
            messages.info(request, "You have already left kudos here. :)")
    return redirect("works:work", work_id=work.pk)
