from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Invitation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = ["role", "region", "municipality", "valid_from", "valid_to"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "hpr_number", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name", "hpr_number"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "hpr_number", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "region", "municipality", "valid_from", "valid_to"]
    list_filter = ["role", "region"]
    search_fields = ["user__email", "user__last_name", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "region", "municipality"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Read-mostly: invitations are made and sent in the portal (the token exists only in the
    e-mail); staff admin can look one up or revoke it by setting "revoked"."""

    list_display = ["email", "role", "municipality", "invited_by", "sent_at", "expires_at"]
    list_filter = ["role"]
    search_fields = ["email", "first_name", "last_name", "municipality__name"]
    list_select_related = ["municipality", "invited_by"]
    readonly_fields = [
        "email",
        "role",
        "municipality",
        "invited_by",
        "created_at",
        "sent_at",
        "times_sent",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "role_assignment",
    ]
    fields = [*readonly_fields, "first_name", "last_name", "language", "note", "revoked_at"]

    def has_add_permission(self, request):
        return False
