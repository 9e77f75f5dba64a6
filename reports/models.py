"""The annual report to Helsedirektoratet: the narrative the advisers write for a year, and
each PDF made of it (kept with its checksum, so the version that was sent can be found again).

The figures are not stored: `reports.figures` computes them as of the year's end from dated
records, so the same year gives the same figures whenever the report is made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for
from municipalities.models import Region

# The narrative sections, in the order of the report (the 2021 report's parts).
SECTIONS = ["staff", "mandate", "activities", "partners", "plans"]


class AnnualReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The advisers of the region (the report is the office's own document)."""
        return self.filter(region_id__in=scope_for(user).region_ids)


class AnnualReport(models.Model):
    """The narrative of one region's annual report for one year: a draft the advisers keep
    until the report is sent."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    staff = models.TextField(
        _("The office and its staff"),
        blank=True,
        help_text=_("Who works in the office, their positions, and the host municipality."),
    )
    mandate = models.TextField(
        _("Mandate"), blank=True, help_text=_("The office's mandate from Helsedirektoratet.")
    )
    activities = models.TextField(
        _("Activities"),
        blank=True,
        help_text=_(
            "Courses and supervisor training, consultations, working groups, the conference."
        ),
    )
    partners = models.TextField(
        _("Partners"),
        blank=True,
        help_text=_("Health trusts, Statsforvalteren, the other ALIS offices, …"),
    )
    plans = models.TextField(_("Plans for next year"), blank=True)
    started_from = models.PositiveSmallIntegerField(
        _("started from the text of"), null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    history = HistoricalRecords()

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="annual_report_one_per_year"),
        ]

    def __str__(self):
        return str(_("Annual report %(year)s") % {"year": self.year})

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) of each narrative section, in the report's order."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in SECTIONS
        ]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTIONS)


class GeneratedReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(report__in=AnnualReport.objects.visible_to(user))


def generated_report_path(instance, filename):
    return f"annual_reports/{instance.report.region.code}/{instance.report.year}/{filename}"


class GeneratedReport(models.Model):
    """One PDF of an annual report, made by a Celery task: kept with its SHA-256 checksum, the
    time it was made and who asked for it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.PROTECT,
        related_name="generated",
        verbose_name=_("annual report"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=generated_report_path, blank=True, max_length=200)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “sent to Helsedirektoratet 15.02.2026”."),
    )

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("generated annual report")
        verbose_name_plural = _("generated annual reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(sha256=""), name="generated_report_done_has_sum"
            ),
        ]

    def __str__(self):
        return f"{self.report} {self.requested_at:%d.%m.%Y %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
