from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports import models


@admin.register(models.AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "region", "year", "updated_by", "updated_at"]
    list_filter = ["region", "year"]
    raw_id_fields = ["updated_by"]


@admin.register(models.GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Read only: a made PDF is a record of what was sent (its file has no URL)."""

    list_display = ["__str__", "status", "requested_by", "finished_at", "sha256", "note"]
    list_filter = ["status", "report__year"]
    list_select_related = ["report", "requested_by"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
