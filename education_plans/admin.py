from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from education_plans import models


class ObjectiveInline(admin.TabularInline):
    model = models.Objective
    extra = 0
    fields = ["code", "title", "theme"]


@admin.register(models.Catalogue)
class CatalogueAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "version", "valid_from", "valid_to", "imported_at"]
    list_filter = ["kind"]
    inlines = [ObjectiveInline]
    readonly_fields = ["imported_at", "imported_by", "source_name"]


class ServicePeriodInline(admin.TabularInline):
    model = models.ServicePeriod
    extra = 0


@admin.register(models.EducationPlan)
class EducationPlanAdmin(SimpleHistoryAdmin):
    list_display = ["alis", "municipality", "start_date", "rule_set", "education_leader"]
    list_filter = ["rule_set", "municipality__region"]
    search_fields = ["alis__first_name", "alis__last_name", "alis__email"]
    raw_id_fields = ["alis", "education_leader"]
    inlines = [ServicePeriodInline]


@admin.register(models.LearningActivity)
class LearningActivityAdmin(SimpleHistoryAdmin):
    list_display = ["alis", "date", "kind", "status", "hours", "title", "confirmed_by"]
    list_filter = ["kind", "status"]
    search_fields = ["alis__last_name", "title", "source_key"]
    raw_id_fields = ["alis", "confirmed_by", "created_by"]
    filter_horizontal = ["objectives"]


@admin.register(models.Attestation)
class AttestationAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "objective", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "objective", "decided_by"]
