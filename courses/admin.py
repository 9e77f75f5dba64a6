from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from courses import models


@admin.register(models.Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "region", "hours", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["title"]


class SessionInline(admin.TabularInline):
    model = models.EventSession
    extra = 0


@admin.register(models.CourseEvent)
class CourseEventAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "format", "capacity_physical", "capacity_digital", "is_published"]
    list_filter = ["is_published", "format", "course__kind"]
    search_fields = ["title", "course__title", "place"]
    list_select_related = ["course"]
    inlines = [SessionInline]
    raw_id_fields = ["created_by"]


@admin.register(models.Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    """For looking up; registrations change through the portal's pages so the waiting list and
    the e-mails follow."""

    list_display = ["name", "email", "event", "format", "status", "waitlist_rank", "created_at"]
    list_filter = ["status", "format"]
    search_fields = ["name", "email", "event__course__title"]
    list_select_related = ["event__course"]
    readonly_fields = [f.name for f in models.Registration._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(models.Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "registration", "hours", "issued_at", "revoked_at"]
    search_fields = ["number", "registration__name"]
    list_select_related = ["registration__event__course"]
    readonly_fields = [f.name for f in models.Certificate._meta.fields]

    def has_add_permission(self, request):
        return False
