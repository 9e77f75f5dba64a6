from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from alis_agreements.models import (
    Agreement,
    AgreementMeasure,
    AgreementTemplate,
    Employment,
    GrantRate,
    GrantScheme,
    GrantTable,
    Leave,
    MeasureType,
    Position,
    TemplateVersion,
)


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "municipality", "position_type", "employment_form", "status"]
    list_filter = ["status", "employment_form", "position_type"]
    search_fields = ["title", "municipality__name"]
    autocomplete_fields = ["municipality", "practice"]
    list_select_related = ["municipality"]


class LeaveInline(admin.TabularInline):
    model = Leave
    extra = 0


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ["alis", "position", "start_date", "end_date", "percentage"]
    search_fields = ["alis__email", "alis__last_name", "position__title"]
    autocomplete_fields = ["alis", "position"]
    list_select_related = ["alis", "position"]
    inlines = [LeaveInline]


class AgreementMeasureInline(admin.TabularInline):
    model = AgreementMeasure
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    """For reading and for repairs by staff: the rules are in the services, so a signed
    agreement's text and PDF are shown read-only here too."""

    list_display = ["__str__", "status", "start_date", "end_date", "signed_on"]
    list_filter = ["status"]
    search_fields = ["employment__alis__email", "employment__alis__last_name"]
    list_select_related = ["employment__alis"]
    readonly_fields = ["pdf", "pdf_sha256", "scan", "scan_sha256", "signed_on", "status"]
    raw_id_fields = ["employment", "replaces", "template_version"]
    inlines = [AgreementMeasureInline]


class TemplateVersionInline(admin.StackedInline):
    model = TemplateVersion
    extra = 0
    readonly_fields = ["number", "body", "created_by", "created_at"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [TemplateVersionInline]


@admin.register(MeasureType)
class MeasureTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "element", "measured_in", "unit", "is_active", "order"]


class GrantRateInline(admin.TabularInline):
    model = GrantRate
    extra = 0


@admin.register(GrantTable)
class GrantTableAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "year", "municipal_share", "is_example"]
    list_filter = ["scheme", "is_example"]
    inlines = [GrantRateInline]


@admin.register(GrantScheme)
class GrantSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    filter_horizontal = ["municipalities"]
