from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipalities import models


class PopulationInline(admin.TabularInline):
    model = models.Population
    extra = 0


class PredecessorInline(admin.TabularInline):
    model = models.Predecessor
    extra = 0


class CentralityInline(admin.TabularInline):
    model = models.CentralityClassification
    extra = 0


class RegistrationInline(admin.TabularInline):
    model = models.RegistrationStatusChange
    extra = 0
    exclude = ["recorded_by"]


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "host_municipality"]


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "region", "centrality_class"]
    list_filter = ["region", "county", "centrality_class"]
    search_fields = ["number", "name", "predecessors__name"]
    list_select_related = ["county", "region"]
    inlines = [PredecessorInline, CentralityInline, PopulationInline, RegistrationInline]


@admin.register(models.Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "function", "municipality", "email", "is_active"]
    list_filter = ["function", "is_active"]
    search_fields = ["name", "email", "municipality__name"]
    list_select_related = ["municipality"]


@admin.register(models.Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ownership", "municipality", "is_active"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]


class NextActionInline(admin.TabularInline):
    model = models.NextAction
    extra = 0
    autocomplete_fields = ["owner"]
    exclude = ["done_by"]


@admin.register(models.FollowUpEntry)
class FollowUpEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["summary", "municipality__name"]
    list_select_related = ["municipality"]
    inlines = [NextActionInline]
    exclude = ["created_by"]


@admin.register(models.YearlyMapping)
class YearlyMappingAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "year", "number_of_gps", "number_of_alis"]
    list_filter = ["year"]
    list_select_related = ["municipality"]


@admin.register(models.Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "county", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name"]
