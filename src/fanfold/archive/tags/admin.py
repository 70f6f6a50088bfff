"""The admin for tags.

The admin edits rows directly, not through the wrangling services, so a
change to a tag (its name, synonym, meta tags or parents) re-indexes the
works a filter on it found, as the services do; the counters are the
index's to keep, so they are read-only here.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fanfold.archive.search.indexing import index_works, works_finding
from fanfold.archive.tags.models import Tag


def _affected_works(tags: QuerySet[Tag] | list[Tag]) -> set[int]:
    """Works a filter on these tags finds (as indexed) and works tagged with them."""
    found: set[int] = set()
    for tag in tags:
        found.update(works_finding(tag))
        found.update(tag.works.values_list("pk", flat=True))
    return found


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "type", "is_canonical", "listed_count", "created_at")
    list_filter = ("type", "is_canonical")
    search_fields = ("name",)
    raw_id_fields = ("merger",)
    filter_horizontal = ("meta_tags", "parents")
    readonly_fields = ("listed_count", "member_count")

    def save_related(
        self, request: HttpRequest, form: ModelForm[Tag], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        index_works(_affected_works([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Tag) -> None:
        affected = _affected_works([obj])
        super().delete_model(request, obj)
        index_works(affected)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Tag]) -> None:
        affected = _affected_works(queryset)
        super().delete_queryset(request, queryset)
        index_works(affected)
