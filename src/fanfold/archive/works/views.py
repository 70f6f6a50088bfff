"""Views for works, chapters and series: parse, call a selector or service, render."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from fanfold.archive.pages import found
from fanfold.archive.people import selectors as people_selectors
from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works import (
    downloads,
    importing,
    pagecache,
    pasted_notes,
    selectors,
    services,
    uploads,
)
from fanfold.archive.works.forms import (
    ChapterForm,
    ChapterNotesForm,
    ImportUploadForm,
    OrderForm,
    PastedNotesForm,
    SeriesForm,
    SuggestedTagsForm,
    WorkForm,
    split_tags,
)
from fanfold.archive.works.models import Chapter, Work
from fanfold.archive.works.signals import tell_work_viewed
from fanfold.formats.clean import multiline, single_line
from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedWork
from fanfold.formats.userhtml import removed_html, to_plain_text, to_safe_html

View = Callable[..., HttpResponseBase]


def _user(request: HttpRequest) -> User:
    """The logged-in user (views that call this are behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def strangers_log_in_to_read(view: View) -> View:
    """Send a logged-out reader of a restricted work to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except selectors.RestrictedWorkError:
            return redirect_to_login(request.get_full_path())

    return wrapper


# An author's page -------------------------------------------------------------


def author(request: HttpRequest, username: str) -> HttpResponse:
    """An author's works and series; on their own page, their drafts too."""
    person = found(people_selectors.active_user(username=username), "author")
    return render(
        request,
        "works/author.html",
        {
            "person": person,
            "works": selectors.works_by_author(author=person, viewer=request.user),
            "series_list": selectors.series_of_author(author=person, viewer=request.user),
            "is_self": request.user.pk == person.pk,
            "is_muted": people_selectors.has_muted(request.user, person),
            "is_blocked": people_selectors.has_blocked(request.user.pk, person),
        },
    )


# Reading --------------------------------------------------------------------


def _reading_context(request: HttpRequest, work: Work) -> dict[str, Any]:
    chapters = selectors.readable_chapters(work=work, viewer=request.user)
    if not chapters:
        raise Http404("This work has no chapters you can read yet.")
    return {
        "work": work,
        "all_chapters": chapters,
        "tag_groups": group_by_type(work.tags.all()),
        "series_places": selectors.series_places(work=work, viewer=request.user),
        "is_author": request.user.pk == work.owner_id,
        # The button to hide notes shows where there are notes to hide.
        "has_notes": bool(
            work.notes or work.end_notes or any(c.notes or c.end_notes for c in chapters)
        ),
    }


ADULT_RATINGS = pagecache.ADULT_RATINGS


def _warn_before_adult_content(request: HttpRequest, work: Work) -> bool:
    """Whether a Mature or Explicit work shows AO3's "adult content" page before its text.

    Strangers and accounts that keep the warning on see it (never the work's
    author); proceeding (``?view_adult=true``, AO3's link) is remembered for
    the session. Downloads are never gated: the reader asked for the file.
    """
    if work.rating not in ADULT_RATINGS or request.user.pk == work.owner_id:
        return False
    if request.GET.get("view_adult") == "true":
        request.session["view_adult"] = True
    if request.session.get("view_adult"):
        return False
    return not isinstance(request.user, User) or request.user.warn_before_mature


def _adult_warning(request: HttpRequest, work: Work) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or back.endswith(
        request.path
    ):
        back = reverse("search:works")
    response = render(request, "works/adult_warning.html", {"work": work, "back": back})
    # It depends on the session and the page the reader came from: never cached whole.
    patch_cache_control(response, private=True)
    return response


def _render_chapter(request: HttpRequest, work: Work, chapter_id: int | None) -> HttpResponse:
    if _warn_before_adult_content(request, work):
        return _adult_warning(request, work)
    context = _reading_context(request, work)
    chapters: list[Chapter] = context["all_chapters"]
    index = 0
    if chapter_id is not None:
        index = next((i for i, c in enumerate(chapters) if c.pk == chapter_id), -1)
        if index < 0:
            raise Http404("No such chapter")
    context.update(
        chapters=[chapters[index]],
        chapter_number=chapters[index].number,
        previous_chapter=chapters[index - 1] if index > 0 else None,
        next_chapter=chapters[index + 1] if index + 1 < len(chapters) else None,
        whole_work=len(chapters) == 1,
    )
    tell_work_viewed(request, work, chapters[index])
    return render(request, "works/work_reading.html", context)


@strangers_log_in_to_read
@pagecache.work_page(counts_hit=True)
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(selectors.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return _render_chapter(request, work, None)


@strangers_log_in_to_read
@pagecache.work_page(counts_hit=True)
def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = found(selectors.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return _render_chapter(request, work, chapter_id)


@strangers_log_in_to_read
@pagecache.work_page(counts_hit=True)
def work_full(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(selectors.work_for_reading(work_id=work_id, viewer=request.user), "work")
    if _warn_before_adult_content(request, work):
        return _adult_warning(request, work)
    context = _reading_context(request, work)
    context.update(chapters=context["all_chapters"], whole_work=True)
    tell_work_viewed(request, work, None)
    return render(request, "works/work_reading.html", context)


@strangers_log_in_to_read
@pagecache.work_page(counts_hit=False)
def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(selectors.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return render(request, "works/navigate.html", _reading_context(request, work))


# One transparent pixel: the image a page nginx served asks for, to count its hit.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b"
)


@require_safe  # an image's request; a POST counts nothing
def work_hit(request: HttpRequest, work_id: int) -> HttpResponse:
    """Count the hit of a work page nginx served from its file (pagecache: the page's image).

    Counted as the page itself would count it: once per visitor per work per
    day, for works the visitor may read. The answer is the same pixel
    whatever the work, so it tells nobody whether a work exists.
    """
    try:
        work = selectors.work_for_reading(work_id=work_id, viewer=request.user)
    except selectors.RestrictedWorkError:
        work = None  # nginx serves no restricted work: nothing of it was read
    if work is not None:
        tell_work_viewed(request, work, None)
    response = HttpResponse(PIXEL, content_type="image/gif")
    patch_cache_control(response, no_store=True)
    return response


@strangers_log_in_to_read
def work_download(request: HttpRequest, work_id: int, extension: str) -> FileResponse:
    """The work as an EPUB, HTML or text file, built once per version of the work."""
    download_format = downloads.FORMATS.get(extension)
    if download_format is None:
        raise Http404("No such download format")
    work = found(selectors.work_for_reading(work_id=work_id, viewer=request.user), "work")
    chapters = selectors.readable_chapters(work=work, viewer=request.user)
    if not chapters:
        raise Http404("This work has no chapters you can read yet.")
    path = downloads.build_download(work, chapters, download_format)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=downloads.file_name(work, download_format),
        content_type=download_format.content_type,
    )


@require_POST
def toggle_notes(request: HttpRequest) -> HttpResponse:
    """Hide or show authors' notes for this reader (kept in the session)."""
    request.session["hide_notes"] = request.POST.get("hide") == "1"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


# Writing --------------------------------------------------------------------


def _post_requested(request: HttpRequest) -> bool:
    # The offer to move pasted notes has its own buttons; it keeps the first click's intent.
    return (request.POST.get("action") or request.POST.get("pasted-intent")) != "draft"


@dataclass(frozen=True)
class _NotesStep:
    """Where a posting form stands on notes pasted into the chapter text.

    ``ready`` is the ``(body, notes, end_notes)`` to save; None means the
    offer is shown instead (``offer``, with ``problem`` when moving failed).
    """

    ready: tuple[str, str, str] | None
    offer: pasted_notes.PastedNotes | None = None
    problem: str = ""
    declined: str = ""


def _notes_step(
    request: HttpRequest, *, body: str, notes: str, end_notes: str, before: str = ""
) -> _NotesStep:
    """Offer to move pasted notes, or apply the author's answer to the offer."""
    answer = PastedNotesForm(request.POST, prefix="pasted")
    declined = answer.declined_digest()
    offer = pasted_notes.offer_for(body, declined=declined, before=before)
    as_typed = (body, notes, end_notes)
    if offer is None:
        return _NotesStep(ready=as_typed, declined=declined)
    if answer.choice() == PastedNotesForm.KEEP:
        return _NotesStep(ready=as_typed, declined=offer.digest)
    if answer.choice() == PastedNotesForm.MOVE:
        try:
            moved = pasted_notes.move_into_notes(offer, notes=notes, end_notes=end_notes)
        except pasted_notes.NotesTooLongError as error:
            return _NotesStep(ready=None, offer=offer, problem=str(error), declined=declined)
        return _NotesStep(ready=moved, declined=declined)
    return _NotesStep(ready=None, offer=offer, declined=declined)


def _notes_context(
    request: HttpRequest, step: _NotesStep | None, *, target: str = "this chapter"
) -> dict[str, Any]:
    """What the offer's panel shows (works/_pasted_notes_offer.html)."""
    if step is None:
        return {"notes_offer": None, "pasted_declined": request.POST.get("pasted-declined", "")}
    return {
        "notes_offer": step.offer,
        "notes_offer_groups": [("beginning", step.offer.beginning), ("end", step.offer.end)]
        if step.offer
        else [],
        "notes_offer_problem": step.problem,
        "notes_target": target,
        "pasted_declined": step.declined,
        "pasted_intent": "post" if _post_requested(request) else "draft",
    }


# The texts of a work and of a chapter that may hold HTML: what the author calls
# each, and its name on the form's fields (services.WorkFields, ChapterFields)
# and on the stored row alike.
_WORK_TEXTS = {"Summary": "summary", "Beginning notes": "notes", "End notes": "end_notes"}
_CHAPTER_TEXTS = {
    "Chapter summary": "summary",
    "Chapter beginning notes": "notes",
    "Chapter text": "body",
    "Chapter end notes": "end_notes",
}


def _tell_removed_html(
    request: HttpRequest, texts: Mapping[str, str], *, typed: object, stored: object
) -> None:
    """After saving, name what the sanitiser took out of each text, rather than lose it silently."""
    for what, name in texts.items():
        removed = removed_html(getattr(typed, name), getattr(stored, name))
        if removed:
            messages.warning(request, f"{what}: {removed.describe()}")


def _previewing(request: HttpRequest) -> bool:
    return request.POST.get("action") == "preview"


def _preview(
    *, work: services.WorkFields | None, chapter: services.ChapterFields, heading: str
) -> dict[str, Any]:
    """The texts as readers will see them (sanitised as saving would), and what saving removes.

    Nothing is saved: the page shows this above the form, still filled in.
    """
    preview: dict[str, Any] = {"title": single_line(work.title) if work else "", "removed": []}
    parts = [("", _WORK_TEXTS, work), ("chapter_", _CHAPTER_TEXTS, chapter)]
    for key, texts, fields in parts:
        for what, name in texts.items():
            typed = getattr(fields, name) if fields else ""
            shown = to_safe_html(multiline(typed))
            preview[name if name == "body" else key + name] = shown
            if removed := removed_html(typed, shown):
                preview["removed"].append((what, removed.describe()))
    chapter_title = single_line(chapter.title)
    preview["heading"] = f"{heading}: {chapter_title}" if chapter_title else heading
    return preview


def _attach_service_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def work_new(request: HttpRequest) -> HttpResponse:
    """Post a new work and its first chapter, after the offer to move pasted notes, if any.

    Notes pasted into the first chapter's text move to the work's notes (the
    Preface), not the first chapter's: AO3's new-work form has only the
    work's, where its authors put a first chapter's notes, and readers see
    them above the first chapter and (end notes) below the last.
    """
    user = _user(request)
    work_form = WorkForm(request.POST or None, owner_id=user.pk)
    chapter_form = ChapterForm(request.POST or None, prefix="chapter")
    step = preview = None
    valid = request.method == "POST" and work_form.is_valid() and chapter_form.is_valid()
    if valid and _previewing(request):
        preview = _preview(
            work=work_form.to_fields(), chapter=chapter_form.to_fields(), heading="Chapter 1"
        )
    elif valid:
        fields, first_chapter = work_form.to_fields(), chapter_form.to_fields()
        step = _notes_step(
            request, body=first_chapter.body, notes=fields.notes, end_notes=fields.end_notes
        )
        if step.ready is not None:
            body, notes, end_notes = step.ready
            try:
                work = services.create_work(
                    owner=user,
                    fields=replace(fields, notes=notes, end_notes=end_notes),
                    first_chapter=replace(first_chapter, body=body),
                    post=_post_requested(request),
                    series=work_form.cleaned_data["series"],
                    new_series_title=work_form.cleaned_data["new_series_title"],
                )
            except ValidationError as error:
                _attach_service_error(chapter_form, error)
            else:
                messages.success(request, "Work posted." if not work.is_draft else "Draft saved.")
                saved = replace(fields, notes=notes, end_notes=end_notes)
                _tell_removed_html(request, _WORK_TEXTS, typed=saved, stored=work)
                _tell_removed_html(
                    request,
                    _CHAPTER_TEXTS,
                    typed=replace(first_chapter, body=body),
                    stored=work.chapters.get(),
                )
                return redirect(work)
    return render(
        request,
        "works/work_form.html",
        {
            "work_form": work_form,
            "chapter_form": chapter_form,
            "work": None,
            "preview": preview,
            **_notes_context(request, step, target="the work (its Preface)"),
        },
    )


def _initial_from_work(work: Work) -> dict[str, Any]:
    groups = {tag_type: [t.name for t in tags] for tag_type, tags in group_by_type(work.tags.all())}
    part = work.series_parts.first()
    return {
        "title": work.title,
        "rating": work.rating,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "expected_chapters": work.expected_chapters,
        "is_complete": work.is_complete,
        "is_restricted": work.is_restricted,
        "comment_permission": work.comment_permission,
        "comments_moderated": work.comments_moderated,
        "analysis_enabled": work.analysis_enabled,
        "warnings": groups.get(TagType.WARNING, []),
        "categories": groups.get(TagType.CATEGORY, []),
        "fandoms": ", ".join(groups.get(TagType.FANDOM, [])),
        "relationships": ", ".join(groups.get(TagType.RELATIONSHIP, [])),
        "characters": ", ".join(groups.get(TagType.CHARACTER, [])),
        "freeforms": ", ".join(groups.get(TagType.FREEFORM, [])),
        "series": part.series_id if part else None,
    }


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    form = WorkForm(request.POST or None, owner_id=user.pk, initial=_initial_from_work(work))
    if request.method == "POST" and form.is_valid():
        fields = form.to_fields()
        services.update_work(
            work=work,
            by=user,
            fields=fields,
            series=form.cleaned_data["series"],
            new_series_title=form.cleaned_data["new_series_title"],
        )
        messages.success(request, "Work updated.")
        _tell_removed_html(request, _WORK_TEXTS, typed=fields, stored=work)
        return redirect(work)
    return render(request, "works/work_form.html", {"work_form": form, "work": work})


@login_required
def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    if request.method == "POST":
        services.delete_work(work=work, by=user)
        messages.success(request, f"“{work.title}” was deleted.")
        return redirect("works:author", username=user.username)
    return render(request, "works/confirm_delete.html", {"object": work, "work": work})


@login_required
@require_POST
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    services.post_work(work=work, by=user)
    messages.success(request, "Work posted.")
    return redirect(work)


@login_required
@require_POST
def work_hide(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    if not user.is_staff:
        raise PermissionDenied
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work")
    services.set_work_hidden(work=work, by=user, hidden=request.POST.get("hidden") == "1")
    messages.success(request, "Work hidden." if work.is_hidden else "Work visible again.")
    return redirect(work)


def _chapter_of(work: Work, chapter_id: int) -> Chapter:
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter")
    return chapter


@login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    form = ChapterForm(request.POST or None)
    step = preview = None
    if request.method == "POST" and form.is_valid() and _previewing(request):
        heading = f"Chapter {work.chapters.count() + 1}"
        preview = _preview(work=None, chapter=form.to_fields(), heading=heading)
    elif request.method == "POST" and form.is_valid():
        step = _chapter_notes_step(request, form)
        if step.ready is not None:
            fields = _with_notes(form.to_fields(), step.ready)
            try:
                chapter = services.add_chapter(
                    work=work, by=user, fields=fields, post=_post_requested(request)
                )
            except ValidationError as error:
                _attach_service_error(form, error)
            else:
                messages.success(
                    request, "Chapter saved as a draft." if chapter.is_draft else "Chapter posted."
                )
                _tell_removed_html(request, _CHAPTER_TEXTS, typed=fields, stored=chapter)
                return redirect(chapter)
    return render(
        request,
        "works/chapter_form.html",
        {
            "form": form,
            "work": work,
            "chapter": None,
            "preview": preview,
            **_notes_context(request, step),
        },
    )


def _chapter_notes_step(request: HttpRequest, form: ChapterForm, before: str = "") -> _NotesStep:
    fields = form.to_fields()
    return _notes_step(
        request, body=fields.body, notes=fields.notes, end_notes=fields.end_notes, before=before
    )


def _with_notes(
    fields: services.ChapterFields, ready: tuple[str, str, str]
) -> services.ChapterFields:
    body, notes, end_notes = ready
    return replace(fields, body=body, notes=notes, end_notes=end_notes)


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    chapter = _chapter_of(work, chapter_id)
    initial = {f: getattr(chapter, f) for f in ("title", "summary", "notes", "end_notes", "body")}
    form = ChapterForm(request.POST or None, initial=initial)
    step = preview = None
    if request.method == "POST" and form.is_valid() and _previewing(request):
        heading = f"Chapter {chapter.number}"
        preview = _preview(work=None, chapter=form.to_fields(), heading=heading)
    elif request.method == "POST" and form.is_valid():
        # Notes the stored text already held are not offered again on every edit.
        step = _chapter_notes_step(request, form, before=chapter.body)
        if step.ready is not None:
            try:
                fields = _with_notes(form.to_fields(), step.ready)
                services.update_chapter(chapter=chapter, by=user, fields=fields)
                if chapter.is_draft and _post_requested(request):
                    services.post_chapter(chapter=chapter, by=user)
            except ValidationError as error:
                _attach_service_error(form, error)
            else:
                messages.success(request, "Chapter updated.")
                _tell_removed_html(request, _CHAPTER_TEXTS, typed=fields, stored=chapter)
                return redirect(chapter)
    return render(
        request,
        "works/chapter_form.html",
        {
            "form": form,
            "work": work,
            "chapter": chapter,
            "preview": preview,
            **_notes_context(request, step),
        },
    )


@login_required
def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    chapter = _chapter_of(work, chapter_id)
    error = None
    if request.method == "POST":
        try:
            services.delete_chapter(chapter=chapter, by=user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, "Chapter deleted.")
            return redirect(work)
    return render(
        request, "works/confirm_delete.html", {"object": chapter, "work": work, "error": error}
    )


@login_required
def chapter_order(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = found(selectors.work_for_editing(work_id=work_id, user=user), "work")
    items = [(c.pk, c.heading, c.position) for c in work.chapters.order_by("position")]
    form = OrderForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        services.reorder_chapters(work=work, by=user, chapter_ids=form.ordered_ids())
        messages.success(request, "Chapters reordered.")
        return redirect("works:navigate", work_id=work.pk)
    return render(request, "works/order_form.html", {"form": form, "work": work, "series": None})


# Series ---------------------------------------------------------------------


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = found(selectors.series_for_reading(series_id=series_id, viewer=request.user), "series")
    parts = selectors.visible_parts(series=series, viewer=request.user)
    ordered = selectors.works_in_order([part.work_id for part in parts], viewer=request.user)
    return render(
        request,
        "works/series_detail.html",
        {"series": series, "works": ordered, "is_author": request.user.pk == series.owner_id},
    )


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    user = _user(request)
    series = found(selectors.series_for_editing(series_id=series_id, user=user), "series")
    parts = list(series.parts.select_related("work").order_by("position"))
    initial = {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "is_complete": series.is_complete,
    }
    form = SeriesForm(request.POST or None, initial=initial)
    order = OrderForm(
        request.POST or None, items=[(p.work_id, p.work.title, p.position) for p in parts]
    )
    if request.method == "POST" and form.is_valid() and order.is_valid():
        services.update_series(
            series=series,
            by=user,
            work_ids=order.ordered_ids(),
            **form.cleaned_data,
        )
        messages.success(request, "Series updated.")
        return redirect(series)
    return render(
        request, "works/series_form.html", {"form": form, "order": order, "series": series}
    )


@login_required
def series_delete(request: HttpRequest, series_id: int) -> HttpResponse:
    user = _user(request)
    series = found(selectors.series_for_editing(series_id=series_id, user=user), "series")
    if request.method == "POST":
        services.delete_series(series=series, by=user)
        messages.success(request, "Series deleted; its works remain.")
        return redirect("works:author", username=user.username)
    return render(request, "works/confirm_delete.html", {"object": series, "work": None})


# Importing ------------------------------------------------------------------

EXCERPT_CHARACTERS = 600


@login_required
def work_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload files, read once. Nothing is created until the author confirms."""
    user = _user(request)
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        max_files=uploads.MAX_UPLOAD_FILES,
        max_bytes=uploads.MAX_UPLOAD_BYTES,
    )
    if request.method == "POST" and form.is_valid():
        try:
            token = _read_and_keep(user, form.cleaned_data["upload"])
        except FormatError as error:
            form.add_error("upload", str(error))
        except importing.OverLimitsError as error:
            for problem in error.problems:
                form.add_error("upload", problem)
        except uploads.UploadQuotaError as error:
            form.add_error(None, str(error))
        else:
            return redirect("works:import_preview", token=token)
    return render(
        request,
        "works/import_form.html",
        {"form": form, "waiting": uploads.waiting_uploads(owner_id=user.pk)},
    )


def _read_and_keep(user: User, files: list[tuple[str, bytes]]) -> str:
    """Read the files, check them against the limits, suggest tags, and keep it all."""
    uploads.check_quota(owner_id=user.pk)  # before spending any time on reading
    parsed = importing.parse_files(files)
    importing.check_limits(parsed, name=", ".join(importing.base_name(n) for n, _ in files))
    suggestions = importing.suggest_tags(parsed)
    return uploads.store_upload(
        owner_id=user.pk,
        parsed=parsed,
        characters=suggestions.characters,
        relationships=suggestions.relationships,
        counts=suggestions.counts,
    )


@login_required
@require_POST
def work_import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    uploads.discard_upload(owner_id=_user(request).pk, token=token)
    messages.success(request, "Import cancelled.")
    return redirect("works:import")


@login_required
def work_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: what Fanfold read from the files, corrected by the author, then created."""
    user = _user(request)
    try:
        waiting = uploads.load_upload(owner_id=user.pk, token=token)
    except uploads.UploadNotFoundError as error:
        raise Http404("This upload is gone; please upload the files again.") from error
    parsed = waiting.parsed
    suggestions = importing.Suggestions(waiting.characters, waiting.relationships, waiting.counts)
    data = request.POST or None
    work_form = WorkForm(
        data, owner_id=user.pk, prefix="work", initial=_initial_from_parsed(parsed)
    )
    order_form = OrderForm(
        data,
        prefix="order",
        items=[(i, c.title or f"Chapter {i + 1}", i + 1) for i, c in enumerate(parsed.chapters)],
    )
    notes_form = ChapterNotesForm(data, prefix="notes", chapters=len(parsed.chapters))
    offers = importing.canonical_offers(
        suggestions, fandoms=_fandoms_named(request, parsed.fandoms, prefix="work")
    )
    suggested_form = _suggested_tags_form(data, offers)
    if request.method == "POST" and all(
        form.is_valid() for form in (work_form, order_form, notes_form, suggested_form)
    ):
        chapters = [
            parsed.chapters[i]
            if notes_form.kept(i)
            else importing.notes_into_story(parsed.chapters[i])
            for i in order_form.ordered_ids()
        ]
        try:
            work = importing.create_imported_work(
                owner=user,
                fields=importing.with_tags(
                    work_form.to_fields(), offers.tags_for(suggested_form.chosen())
                ),
                chapters=chapters,
                post=_post_requested(request),
                series=parsed.series,
                published=parsed.published,
                updated=parsed.updated,
            )
        except ValidationError as error:
            _attach_service_error(work_form, error)
        else:
            uploads.discard_upload(owner_id=user.pk, token=token)
            messages.success(request, "Work imported." if not work.is_draft else "Draft saved.")
            return redirect(work)
    previews = [
        {
            "index": i,
            "chapter": chapter,
            "excerpt": to_plain_text(chapter.body[: EXCERPT_CHARACTERS * 20])[:EXCERPT_CHARACTERS],
            "order_field": order_form[f"position_{i}"],
            "notes_field": notes_form[f"notes_{i}"],
        }
        for i, chapter in enumerate(parsed.chapters)
    ]
    return render(
        request,
        "works/import_preview.html",
        {
            "parsed": parsed,
            "token": token,
            "chapters": previews,
            "offers": offers,
            "suggested_form": suggested_form,
            "work_form": work_form,
            "order_form": order_form,
            "earlier": importing.earlier_copies(owner_id=user.pk, parsed=parsed),
        },
    )


def _suggested_tags_form(data: Any, offers: importing.Offers) -> SuggestedTagsForm:
    """A box per suggestion, labelled with the tag it becomes and its evidence."""

    def times(count: int, what: str) -> str:
        return f"{count} {what}{pluralize(count)}"

    return SuggestedTagsForm(
        data,
        prefix="suggested",
        characters=[
            (offer.suggested, f"{offer.tag} (named {times(offer.count, 'time')})")
            for offer in offers.characters
        ],
        relationships=[
            (offer.suggested, f"{offer.tag} (they meet in {times(offer.count, 'paragraph')})")
            for offer in offers.relationships
        ],
        accepted={
            "characters": offers.tag_of[TagType.CHARACTER],
            "relationships": offers.tag_of[TagType.RELATIONSHIP],
        },
    )


def _fandoms_named(request: HttpRequest, read: Sequence[str], *, prefix: str) -> list[str]:
    """The fandoms the author typed in the preview (once posted), else those the files named."""
    typed = request.POST.get(f"{prefix}-fandoms")
    if typed is None:
        return list(read)
    try:
        return split_tags(typed)
    except ValidationError:
        return list(read)  # the form says what is wrong with them


def _initial_from_parsed(parsed: ParsedWork) -> dict[str, Any]:
    tags = importing.tags_for(parsed)
    return {
        "title": parsed.title,
        "rating": importing.rating_for(parsed.rating) if parsed.rating else "",
        "warnings": tags[TagType.WARNING],
        "categories": tags[TagType.CATEGORY],
        # An empty fandom box asks the author, rather than importing a placeholder.
        "fandoms": ", ".join(parsed.fandoms),
        # The engine's suggestions are offered apart (SuggestedTagsForm), never pre-filled.
        "relationships": ", ".join(parsed.relationships),
        "characters": ", ".join(parsed.characters),
        "freeforms": ", ".join(tags[TagType.FREEFORM]),
        "summary": parsed.summary,
        "notes": parsed.notes,
        "end_notes": parsed.end_notes,
        "language": importing.language_for(parsed.language or "en"),
        "expected_chapters": parsed.expected_chapters,
        "is_complete": parsed.complete,
    }
