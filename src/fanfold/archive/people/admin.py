from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from fanfold.archive.people import claims, invitations
from fanfold.archive.people.models import Invitation, InvitationRequest, User
from fanfold.archive.people.signin_views import admin_has_permission, admin_login


@admin.register(User)
class AccountAdmin(UserAdmin[User]):
    """Django's user admin, with an action emailing imported accounts their claim links."""

    actions = ["send_claim_links"]

    @admin.action(description="Email claim links to the selected imported accounts")
    def send_claim_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        try:
            emailed = claims.send_claim_links(accounts=queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        skipped = queryset.count() - len(emailed)
        note = f" ({skipped} skipped: claimed, closed or without an address)" if skipped else ""
        self.message_user(request, f"Emailed {len(emailed)} claim link(s){note}.", messages.SUCCESS)


@admin.register(InvitationRequest)
class InvitationRequestAdmin(admin.ModelAdmin[InvitationRequest]):
    """The invitation queue, oldest first, with an action to invite the chosen requests."""

    list_display = ["email", "created_at", "invited_at"]
    list_filter = [("invited_at", admin.EmptyFieldListFilter)]
    ordering = ["created_at", "pk"]
    search_fields = ["email"]
    actions = ["send_invitations"]

    @admin.action(description="Send invitations to the selected requests")
    def send_invitations(self, request: HttpRequest, queryset: QuerySet[InvitationRequest]) -> None:
        try:
            sent = invitations.send_invitations(entries=list(queryset.values_list("pk", flat=True)))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"Sent {sent} invitation(s).", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "created_at", "expires_at", "used_at", "used_by"]
    readonly_fields = ["code", "request", "used_at", "used_by"]
    search_fields = ["email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are made from the queue, with their codes and emails


# The admin is no way around two-factor sign-in: its login page leads to the
# site's (password, then code), and staff with a device need a session that gave it.
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.has_permission = admin_has_permission  # type: ignore[method-assign]
