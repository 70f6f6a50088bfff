"""Browsing fandoms by media, the tag wrangler's page for one tag, and tag suggestions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from fanfold.archive.pages import found
from fanfold.archive.tags import selectors, services
from fanfold.archive.tags.forms import (
    CanonicalForm,
    MediaForm,
    MetaTagForm,
    ParentForm,
    SynonymForm,
)
from fanfold.archive.tags.models import Media, Tag, TagType
from fanfold.archive.tags.services import Wrangler

UNSORTED_SLUG = "uncategorized"


def fandoms(request: HttpRequest) -> HttpResponse:
    """Every media type with how many fandoms it holds."""
    counts = selectors.fandom_counts_by_media(viewer=request.user)
    media = [
        (choice.value or UNSORTED_SLUG, choice.label, counts.get(choice.value, 0))
        for choice in Media
    ]
    return render(request, "tags/fandoms.html", {"media": media})


def fandoms_of_media(request: HttpRequest, media: str) -> HttpResponse:
    value = "" if media == UNSORTED_SLUG else media
    if value not in Media.values:
        raise Http404("No such media")
    members = request.user.is_authenticated
    listed = selectors.fandoms_of(media=value, viewer=request.user)
    return render(
        request,
        "tags/fandoms_of_media.html",
        {"media_label": Media(value).label, "fandoms": listed, "members": members},
    )


def _wrangler(request: HttpRequest) -> Wrangler:
    user = request.user
    if not isinstance(user, Wrangler) or not user.has_perm("tags.wrangle_tag"):
        raise PermissionDenied("Only tag wranglers can change how tags are organised.")
    return user


def _forms(tag: Tag, data: Any = None, action: str = "") -> dict[str, Form]:
    def bound(name: str) -> Any:
        return data if action == name else None

    forms: dict[str, Form] = {
        "canonical": CanonicalForm(bound("canonical"), initial={"canonical": tag.is_canonical}),
        "synonym": SynonymForm(bound("synonym"), tag_type=tag.type),
        "meta": MetaTagForm(bound("meta"), tag_type=tag.type),
    }
    if tag.type in (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM):
        forms["parent"] = ParentForm(bound("parent"))
    if tag.type == TagType.FANDOM:
        forms["media"] = MediaForm(bound("media"), initial={"media_type": tag.media})
    return forms


def _apply(action: str, form: Form, tag: Tag, by: Wrangler) -> str:
    """Run one wrangling change; returns what to tell the wrangler."""
    data = form.cleaned_data
    if action == "canonical":
        services.set_canonical(tag=tag, by=by, canonical=data["canonical"])
        return "Canonical status saved."
    if action == "synonym":
        services.make_synonym(tag=tag, of=data["of"], by=by)
        return f"“{tag.name}” is now a synonym of “{data['of'].name}”."
    if action == "meta":
        services.add_meta_tag(sub=tag, meta=data["meta"], by=by)
        return f"“{data['meta'].name}” is now a meta tag of “{tag.name}”."
    if action == "parent":
        services.add_parent(child=tag, parent=data["parent"], by=by)
        return f"“{tag.name}” is filed under “{data['parent'].name}”."
    services.set_media(fandom=tag, media=data["media_type"], by=by)
    return "Media saved."


def _remove(request: HttpRequest, tag: Tag, by: Wrangler) -> str | None:
    """The remove buttons: a synonym link, a meta tag or a parent, by id."""
    action = request.POST.get("action", "")
    other_id = request.POST.get("other", "")
    other = Tag.objects.filter(pk=int(other_id)).first() if other_id.isdigit() else None
    if action == "unsynonym":
        services.remove_synonym(tag=tag, by=by)
        return "The synonym link is removed."
    if action == "remove_meta" and other is not None:
        services.remove_meta_tag(sub=tag, meta=other, by=by)
        return f"“{other.name}” is no longer a meta tag of “{tag.name}”."
    if action == "remove_parent" and other is not None:
        services.remove_parent(child=tag, parent=other, by=by)
        return f"“{tag.name}” is no longer filed under “{other.name}”."
    return None


@login_required
def wrangle(request: HttpRequest, type: str, name: str) -> HttpResponse:
    by = _wrangler(request)
    tag = found(selectors.find_tag(type=type, name=name), "tag")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(tag, request.POST or None, action)
    if request.method == "POST":
        try:
            done = _remove(request, tag, by)
            form = forms.get(action)
            if done is None and form is not None and form.is_valid():
                done = _apply(action, form, tag, by)
        except ValidationError as error:
            target = forms.get(action)
            if target is None:
                raise
            target.add_error(None, error)
            done = None
        if done is not None:
            messages.success(request, done)
            return redirect("tags:wrangle", type=tag.type, name=tag.name)
    return render(
        request,
        "tags/wrangle.html",
        {"tag": tag, "forms": forms, **selectors.wrangling_of(tag)},
    )


_TAG_SEPARATORS = ",\n"


@login_required
@require_GET
def suggest(request: HttpRequest, type: str) -> HttpResponse:
    """Canonical tags for the last name typed in a comma-separated tag box, as <option>s.

    The box (works.forms.TagInput) asks with htmx as the author types and
    puts the answer in its <datalist>; it sends its value under its own
    name, so the one parameter given is read, whatever its name (``q`` wins).
    Each option is the whole box as it would read with the tag chosen, since
    choosing an option replaces the box's value. Without JavaScript the box
    is plain text and this is never asked.
    """
    given = "q" if "q" in request.GET else next(iter(request.GET), "")
    typed = request.GET.get(given) or ""
    cut = max(typed.rfind(separator) for separator in _TAG_SEPARATORS) + 1
    head, last = typed[:cut], typed[cut:]
    lead = last[: len(last) - len(last.lstrip())]
    already = {name.strip().casefold() for name in head.replace("\n", ",").split(",")}
    names = [
        name
        for name in selectors.canonical_tags_starting(type=type, prefix=last)
        if name.casefold() not in already
    ]
    return render(
        request,
        "tags/_suggestions.html",
        {"options": [(f"{head}{lead}{name}", name) for name in names]},
    )
