"""The admin shows the audit log and reports but never changes them.

The audit log is a record: no one adds, edits or deletes an entry here (the
moderation pages write it, through the services). Reports are handled on
the moderation pages, so that each decision lands in the log with its reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fanfold.archive.moderation.models import AuditEntry, Report, Suspension


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "target_label", "reason")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_label", "reason")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "category", "state", "work", "comment", "person", "reporter")
    list_filter = ("state", "category")


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ("person", "until", "lifted_at", "created_at", "by")
