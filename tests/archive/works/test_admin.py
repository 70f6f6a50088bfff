"""The admin for works and series.

``fanfold.archive.works.admin`` promises that an admin's direct edits keep
listings and searches honest, as the services do: hiding and showing works
in bulk, saving a work's form, and deleting works one at a time or in bulk
are each followed by re-indexing (who finds the work, the tag counters),
and the index's own columns cannot be set by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.forms import SplitDateTimeField
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.search.indexing import INDEXED_FIELDS
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import Listing, Work
from tests.archive.factories import make_work

FANDOM = "Pride and Prejudice - Jane Austen"
CHANGELIST = "admin:works_work_changelist"


def listed_titles(client: Client) -> list[str]:
    page = client.get(reverse("search:works"))
    return sorted(work.title for work in page.context["results"].works)


def act(
    as_admin: Client, action: str, *works: Work, filters: str = "", **extra: str
) -> HttpResponse:
    """Run an admin action on the changelist, as filtered by ``filters`` (a query string)."""
    data = {"action": action, "_selected_action": [str(w.pk) for w in works], **extra}
    response = as_admin.post(reverse(CHANGELIST) + filters, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def fandom_counts() -> tuple[int, int]:
    tag = Tag.objects.get(type=TagType.FANDOM, name=FANDOM)
    return tag.listed_count, tag.member_count


def change_form_data(as_admin: Client, work: Work) -> dict[str, Any]:
    """The work's change form as the admin page fills it in, inlines included."""
    context = as_admin.get(reverse("admin:works_work_change", args=[work.pk])).context
    forms = [context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, SplitDateTimeField):
                if isinstance(value, datetime):
                    local = timezone.localtime(value)
                    data[f"{key}_0"], data[f"{key}_1"] = local.date(), local.strftime("%H:%M:%S")
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = value
    return data


def test_an_admin_hides_works_in_bulk_and_listings_drop_them(
    as_admin: Client, as_reader: Client, author: User
) -> None:
    first = make_work(owner=author, title="First")
    second = make_work(owner=author, title="Second")
    make_work(owner=author, title="Untouched")
    act(as_admin, "hide_works", first, second)
    for work in (first, second):
        work.refresh_from_db()
        assert (work.is_hidden, work.listing) == (True, Listing.UNLISTED)
    assert listed_titles(as_reader) == ["Untouched"]
    assert fandom_counts() == (1, 1)


def test_an_admin_shows_hidden_works_again_and_listings_regain_them(
    as_admin: Client, as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Back again", restricted=True)
    act(as_admin, "hide_works", work)
    act(as_admin, "show_works", work)
    work.refresh_from_db()
    assert (work.is_hidden, work.listing) == (False, Listing.MEMBERS)
    assert listed_titles(as_reader) == ["Back again"]


def test_hiding_works_from_a_filtered_list_still_drops_them_from_listings(
    as_admin: Client, as_reader: Client, author: User
) -> None:
    """The admin filtered the list to visible works, ticked some, and hid them.

    The selected works no longer match that filter once hidden: they must
    still be re-indexed (and shown ones likewise from the hidden filter).
    """
    work = make_work(owner=author, title="Hide me")
    act(as_admin, "hide_works", work, filters="?is_hidden__exact=0")
    work.refresh_from_db()
    assert (work.is_hidden, work.listing) == (True, Listing.UNLISTED)
    assert listed_titles(as_reader) == []
    act(as_admin, "show_works", work, filters="?is_hidden__exact=1")
    work.refresh_from_db()
    assert (work.is_hidden, work.listing) == (False, Listing.PUBLIC)
    assert listed_titles(as_reader) == ["Hide me"]


def test_a_work_saved_in_the_admin_is_indexed_again(
    as_admin: Client, as_stranger: Client, as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Open to all")
    data = change_form_data(as_admin, work)
    data["is_restricted"] = "on"
    data["title"] = "Members only now"
    response = as_admin.post(reverse("admin:works_work_change", args=[work.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    work.refresh_from_db()
    assert (work.is_restricted, work.listing) == (True, Listing.MEMBERS)
    assert work.sort_title == "members only now"
    assert listed_titles(as_stranger) == []
    assert listed_titles(as_reader) == ["Members only now"]


def test_the_admin_cannot_set_the_index_columns(as_admin: Client, author: User) -> None:
    work = make_work(owner=author, title="Listed")
    data = change_form_data(as_admin, work)
    assert not set(INDEXED_FIELDS) & set(data)
    data.update(listing=str(Listing.UNLISTED), sort_title="zzz", bucket="63")
    as_admin.post(reverse("admin:works_work_change", args=[work.pk]), data)
    work.refresh_from_db()
    assert (work.listing, work.sort_title) == (Listing.PUBLIC, "listed")


def test_a_work_deleted_in_the_admin_leaves_the_index_and_the_counts(
    as_admin: Client, as_reader: Client, author: User
) -> None:
    gone = make_work(owner=author, title="Gone")
    make_work(owner=author, title="Stays")
    assert fandom_counts() == (2, 2)
    response = as_admin.post(reverse("admin:works_work_delete", args=[gone.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Work.objects.filter(pk=gone.pk).exists()
    assert fandom_counts() == (1, 1)
    assert listed_titles(as_reader) == ["Stays"]


def test_works_deleted_in_bulk_in_the_admin_leave_the_index_and_the_counts(
    as_admin: Client, as_reader: Client, author: User
) -> None:
    works = [make_work(owner=author, title=f"Work {n}") for n in range(3)]
    act(as_admin, "delete_selected", *works[:2], post="yes")
    assert list(Work.objects.values_list("title", flat=True)) == ["Work 2"]
    assert fandom_counts() == (1, 1)
    assert listed_titles(as_reader) == ["Work 2"]


def test_the_series_admin_lists_series_with_their_parts(as_admin: Client, author: User) -> None:
    series = services.create_series(owner=author, title="Netherfield Letters")
    services.join_series(work=make_work(owner=author, title="Letter One"), by=author, series=series)
    listing = as_admin.get(reverse("admin:works_series_changelist")).content.decode()
    assert "Netherfield Letters" in listing
    change = as_admin.get(reverse("admin:works_series_change", args=[series.pk]))
    assert change.status_code == 200
    assert len(change.context["inline_admin_formsets"][0].formset.forms) == 1
