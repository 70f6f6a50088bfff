from django.contrib import admin

from fanfold.archive.tags.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "type", "created_at")
    list_filter = ("type",)
    search_fields = ("name",)
