from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partners import models


class PartyInline(admin.TabularInline):
    model = models.ArrangementParty
    extra = 0


class PlacesInline(admin.TabularInline):
    model = models.ArrangementPlaces
    extra = 0


@admin.register(models.Arrangement)
class ArrangementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "institution", "valid_from", "valid_to", "status"]
    list_filter = ["status", "region"]
    inlines = [PartyInline, PlacesInline]
    # The signed PDF is frozen: it is made by the service, never edited here.
    readonly_fields = ["status", "signed_on", "pdf", "pdf_sha256"]


@admin.register(models.Posting)
class PostingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "municipality", "institution", "deadline", "withdrawn_at"]
    list_filter = ["kind", "region"]
    raw_id_fields = ["position"]
