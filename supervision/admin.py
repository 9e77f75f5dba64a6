"""Staff admin. The private notes of sessions and the group notes are left out: they are for
the ALIS and the supervisor (or the group) only, not the portal's administrators."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from supervision import models


@admin.register(models.Supervisor)
class SupervisorAdmin(SimpleHistoryAdmin):
    list_display = ["person", "municipality", "capacity", "in_pool", "course_completed_on"]
    list_filter = ["in_pool", "is_active", "municipality__region"]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    list_select_related = ["person", "municipality"]
    autocomplete_fields = ["person"]
    exclude = ["created_by"]


@admin.register(models.SupervisionSession)
class SupervisionSessionAdmin(admin.ModelAdmin):
    # Not SimpleHistoryAdmin: its history pages would show the private notes.
    list_display = ["date", "alis", "supervisor", "minutes", "signed_at", "version", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["alis__last_name", "supervisor__last_name"]
    list_select_related = ["alis", "supervisor"]
    exclude = ["private_notes"]
    readonly_fields = ["recorded_by", "signed_at", "replaces", "version", "is_current"]
    raw_id_fields = ["alis", "supervisor", "objectives"]

    # Sessions change only through the log (signing locks them and feeds the ledger).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = models.GroupMembership
    extra = 0
    raw_id_fields = ["alis"]


@admin.register(models.SupervisionGroup)
class SupervisionGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "leader", "start_date", "end_date"]
    search_fields = ["name"]
    list_select_related = ["leader"]
    raw_id_fields = ["leader"]
    filter_horizontal = ["municipalities"]
    exclude = ["created_by"]
    inlines = [MembershipInline]


@admin.register(models.GroupMeeting)
class GroupMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "group", "minutes"]
    list_select_related = ["group"]
    exclude = ["notes", "created_by"]
