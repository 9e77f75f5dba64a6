from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reminders.models import (
    Digest,
    DigestPreference,
    Notification,
    ReminderKind,
    WheelCompletion,
    WheelTask,
)


@admin.register(ReminderKind)
class ReminderKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "enabled", "offsets", "repeat_days", "period_days", "optional"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "recipient", "due_date", "remind_on", "emailed_at", "read_at"]
    list_filter = ["kind", "remind_on"]
    search_fields = ["title", "object_key", "recipient__email"]
    raw_id_fields = ["recipient", "digest"]
    date_hierarchy = "remind_on"


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "on", "sent_at", "size"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "sent_at"


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "weekday"]
    raw_id_fields = ["user"]


class WheelCompletionInline(admin.TabularInline):
    model = WheelCompletion
    extra = 0
    raw_id_fields = ["done_by"]


@admin.register(WheelTask)
class WheelTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "month", "day", "week", "weekday", "is_active"]
    list_filter = ["region", "is_active", "month"]
    filter_horizontal = ["owners"]
    inlines = [WheelCompletionInline]
