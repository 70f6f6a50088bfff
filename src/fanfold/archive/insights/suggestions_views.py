"""The author adds a suggested tag to their work: one click, one tag.

A plain form posts here and comes back to the page it was on with a
message (POST-redirect-GET). Through htmx the panel answers in place, the
message inside; on the edit page the form's character or relationship box
is swapped too, with the new tag added to what the author had typed there,
so saving the form afterwards keeps the tag.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fanfold.archive.insights.suggestions import suggestions_for
from fanfold.archive.insights.templatetags.suggestion_tags import suggestions_panel
from fanfold.archive.pages import found, in_place
from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import selectors, services
from fanfold.archive.works.forms import WorkForm, split_tags
from fanfold.archive.works.models import Work

# The edit form's box for each type of tag a suggestion can be.
FORM_FIELDS = {TagType.CHARACTER: "characters", TagType.RELATIONSHIP: "relationships"}


@login_required
@require_POST
def add_suggestion(request: HttpRequest, work_id: int) -> HttpResponse:
    """Tag the work with one of its suggestions (only its author may)."""
    assert isinstance(request.user, User)  # behind login_required
    work = found(selectors.work_for_editing(work_id=work_id, user=request.user), "work")
    tag_type = request.POST.get("type", "")
    name = request.POST.get("name", "")
    level, message = _add(work, request.user, tag_type, name)
    if in_place(request):
        context = suggestions_panel(work=work, viewer=request.user, message=message)
        context |= {"csrf_token": get_token(request), "next": request.POST.get("next", "")}
        if level != messages.ERROR:
            context["form_field"] = _form_field(request, work, tag_type, name)
        return render(request, "insights/suggestions_panel.html", context)
    messages.add_message(request, level, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = work.get_absolute_url()
    return redirect(target)


def _add(work: Work, user: User, tag_type: str, name: str) -> tuple[int, str]:
    """Add the tag if Fanfold suggests it for the work: the message level and its words."""
    if tag_type not in FORM_FIELDS:
        return messages.ERROR, "Only suggested characters and relationships can be added here."
    suggestions = suggestions_for(work)
    if suggestions is None or not suggestions.offers(tag_type, name):
        return messages.ERROR, f"“{name[:150]}” is not one of Fanfold's suggestions for this work."
    kind = "characters" if tag_type == TagType.CHARACTER else "relationships"
    try:
        added = services.add_tag(work=work, by=user, tag_type=TagType(tag_type), name=name)
    except ValidationError as refused:
        return messages.ERROR, refused.messages[0]
    if added:
        return messages.SUCCESS, f"Added “{name}” to the work's {kind}."
    return messages.INFO, f"“{name}” is already one of the work's {kind}."


def _form_field(request: HttpRequest, work: Work, tag_type: str, name: str) -> BoundField | None:
    """The edit form's box for this tag type, as typed plus the tag (when the page sent it)."""
    field = FORM_FIELDS.get(TagType(tag_type)) if tag_type in FORM_FIELDS else None
    if field is None or field not in request.POST:
        return None
    try:
        typed = split_tags(request.POST[field])
    except ValidationError:
        return None  # a name over the limit: the form says so when it is saved
    if name.casefold() not in {t.casefold() for t in typed}:
        typed.append(name)
    form = WorkForm(owner_id=work.owner_id, initial={field: ", ".join(typed)})
    return form[field]
