"""A work's "Characters & dialogue" page, and the switch that colours dialogue by speaker.

The page is for exactly who may read the work. It is a 404 when the author
turned analysis off (as if there were nothing there); a work not read yet
shows the page with "Fanfold has not read this work yet", since that is
true and tells a reader the page will fill in.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from fanfold.archive.insights import charts, selectors
from fanfold.archive.pages import found
from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import User
from fanfold.archive.works import selectors as works
from fanfold.archive.works.views import strangers_log_in_to_read

_YEAR = 365 * 24 * 60 * 60


@strangers_log_in_to_read
def characters(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    page = selectors.characters_page(work=work, viewer=request.user)
    if page is None:
        raise Http404("The author of this work turned Fanfold's reading off.")
    return render(
        request,
        "insights/characters.html",
        {"page": page, "work": work, "charts": _charts(page) if page.people else {}},
    )


def _charts(page: selectors.CharactersPage) -> dict[str, SafeString]:
    """The page's four drawings, from the same figures as its tables."""
    charted = page.charted
    speakers = page.speakers[: selectors.CHARTED]
    position = {person.index: n for n, person in enumerate(charted)}
    shown = f"the {len(charted)} most present" if len(page.people) > len(charted) else "every"
    return {
        "speech": charts.bar_chart(
            chart_id="chart-speech",
            title="Words spoken by each character",
            description=f"Horizontal bars, one per character who speaks ({len(speakers)}), "
            "longest for the most words spoken.",
            bars=[(person.name, person.words) for person in speakers],
        ),
        "talk": charts.network(
            chart_id="chart-talk",
            title="Who talks to whom",
            description=f"{shown.capitalize()} character placed on a circle; a line joins two "
            "who answer each other, thicker for more exchanges.",
            names=[person.name for person in charted],
            edges=[
                (position[a], position[b], n)
                for a, b, n in page.exchanges
                if a in position and b in position
            ],
        ),
        "presence": charts.heat_strip(
            chart_id="chart-presence",
            title="Who appears in each chapter",
            description=f"A grid: a row for {shown} character, a column per chapter, "
            "darker for more mentions, empty where they are not mentioned.",
            rows=[person.name for person in charted],
            columns=[str(chapter.number) for chapter in page.chapters],
            values=[page.presence[person.index] for person in charted],
        ),
        "words": charts.bar_chart(
            chart_id="chart-words",
            title="Words in each chapter",
            description=f"Horizontal bars, one per chapter ({len(page.chapters)}), "
            "longest for the longest chapter.",
            bars=[(chapter.heading, chapter.words) for chapter in page.chapters],
        ),
    }


@require_POST
def colour_dialogue(request: HttpRequest) -> HttpResponse:
    """Colour dialogue by speaker, or stop: kept on the account, or in a guest's cookie."""
    on = request.POST.get("on") == "1"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = redirect(target)
    if isinstance(request.user, User):
        people_services.set_colour_dialogue(user=request.user, on=on)
    else:
        response.set_cookie(
            selectors.DIALOGUE_COOKIE,
            "1" if on else "0",
            max_age=_YEAR,
            samesite="Lax",
            httponly=True,
        )
    messages.success(
        request,
        "Dialogue is coloured by speaker." if on else "Dialogue is no longer coloured.",
    )
    return response
