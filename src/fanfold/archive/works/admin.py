"""The admin for works and series.

The admin edits rows directly, not through the services, so every change
it makes is followed by re-indexing (listings and searches stay honest).
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fanfold.archive.search.indexing import INDEXED_FIELDS, index_works, unindex_works
from fanfold.archive.works.models import Chapter, Series, SeriesPart, Work


class ChapterInline(admin.TabularInline[Chapter, Work]):
    model = Chapter
    fields = ("position", "title", "is_draft", "word_count")
    readonly_fields = ("word_count",)
    extra = 0
    show_change_link = True


def _set_hidden(queryset: QuerySet[Work], *, hidden: bool) -> None:
    """Hide or show the selected works, then re-index exactly those.

    The ids are taken first: the changelist's filters (``is_hidden``) are
    part of ``queryset``, and the works no longer match them once changed.
    """
    ids = list(queryset.values_list("pk", flat=True))
    Work.objects.filter(pk__in=ids).update(is_hidden=hidden)
    index_works(ids)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = ("title", "owner", "rating", "is_draft", "is_hidden", "word_count", "updated_at")
    list_filter = ("is_draft", "is_hidden", "is_restricted", "rating")
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner",)
    filter_horizontal = ("tags",)
    inlines = [ChapterInline]
    actions = ["hide_works", "show_works"]
    readonly_fields = tuple(INDEXED_FIELDS)

    @admin.action(description="Hide the selected works from readers")
    def hide_works(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        _set_hidden(queryset, hidden=True)

    @admin.action(description="Show the selected works again")
    def show_works(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        _set_hidden(queryset, hidden=False)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Work], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        index_works([form.instance.pk])

    def delete_model(self, request: HttpRequest, obj: Work) -> None:
        unindex_works([obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        unindex_works(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)


class SeriesPartInline(admin.TabularInline[SeriesPart, Series]):
    model = SeriesPart
    raw_id_fields = ("work",)
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin[Series]):
    list_display = ("title", "owner", "is_complete")
    search_fields = ("title",)
    raw_id_fields = ("owner",)
    inlines = [SeriesPartInline]
