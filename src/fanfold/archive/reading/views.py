"""Leaving kudos on a work: a POST from the work page.

Without JavaScript the answer is the work page again with a message; through
htmx it is the kudos box alone, with the message inside, swapped in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found, in_place
from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.templatetags.reading_tags import kudos_box
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
        level, message = messages.ERROR, refused.messages[0]
    else:
        level, message = (
            (messages.SUCCESS, "Thank you for leaving kudos!")
            if left
            else (messages.INFO, "You have already left kudos here. :)")
        )
    if in_place(request):
        box = kudos_box(work=work, viewer=request.user, message=message)
        return render(request, "reading/_kudos.html", box)
    messages.add_message(request, level, message)
    return redirect("works:work", work_id=work.pk)
