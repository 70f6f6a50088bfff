from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fanfold.archive.works.models import Chapter, Series, SeriesPart, Work


class ChapterInline(admin.TabularInline[Chapter, Work]):
    model = Chapter
    fields = ("position", "title", "is_draft", "word_count")
    readonly_fields = ("word_count",)
    extra = 0
    show_change_link = True


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = ("title", "owner", "rating", "is_draft", "is_hidden", "word_count", "updated_at")
    list_filter = ("is_draft", "is_hidden", "is_restricted", "rating")
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner",)
    filter_horizontal = ("tags",)
    inlines = [ChapterInline]
    actions = ["hide_works", "show_works"]

    @admin.action(description="Hide the selected works from readers")
    def hide_works(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        queryset.update(is_hidden=True)

    @admin.action(description="Show the selected works again")
    def show_works(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        queryset.update(is_hidden=False)


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
