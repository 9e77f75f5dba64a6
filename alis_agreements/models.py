import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for
from municipalities.models import Municipality, Practice

percentage_validators = [MinValueValidator(1), MaxValueValidator(100)]


class EmploymentForm(models.TextChoices):
    FIXED_SALARY = "fixed_salary", _("Fixed salary")
    SELF_EMPLOYED = "self_employed", _("Self-employed GP")


class PositionType(models.TextChoices):
    GP_WITH_LIST = "gp_with_list", _("GP with patient list")
    LOCUM = "locum", _("Locum")
    INTRODUCTION = "introduction", _("Introduction doctor")
    OTHER_MUNICIPAL = "other_municipal", _("Other municipal doctor")


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality__in=Municipality.objects.visible_to(user))


class Position(models.Model):
    """An ALIS position (ALIS-stilling) in a municipality."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ADVERTISED = "advertised", _("Advertised")
        FILLED = "filled", _("Filled")
        VACANT = "vacant", _("Vacant")
        ENDED = "ended", _("Ended")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("municipality"),
    )
    practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("practice"),
    )
    title = models.CharField(_("title"), max_length=200)
    employment_form = models.CharField(
        _("employment form"), max_length=20, choices=EmploymentForm.choices
    )
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices
    )
    list_size = models.PositiveIntegerField(_("list size"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ALIS position")
        verbose_name_plural = _("ALIS positions")
        ordering = ["municipality__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="position_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self):
        return self.title


class EmploymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Advisers of the region, managers of the position's municipality, the ALIS."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(position__municipality__region_id__in=scope.region_ids)
            | Q(position__municipality_id__in=scope.managed_municipality_ids)
            | Q(alis_id=scope.user_id)
        )

    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Employment(models.Model):
    """An ALIS employed in a position for a while. A move is a new employment: an ALIS has one
    timeline across municipalities."""

    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("ALIS"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("position"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    percentage = models.DecimalField(
        _("position percentage"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=percentage_validators,
    )
    history = HistoricalRecords()

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["alis", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="employment_percentage_1_to_100",
            ),
        ]
        indexes = [models.Index(fields=["alis", "start_date"])]

    def __str__(self):
        return f"{self.alis} – {self.position}"


class LeaveQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(employment__in=Employment.objects.visible_to(user))


class Leave(models.Model):
    """Leave from an employment (parental, sick, other): it stretches the training time."""

    class Kind(models.TextChoices):
        PARENTAL = "parental", _("Parental leave")
        SICK = "sick", _("Sick leave")
        OTHER = "other", _("Other leave")

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="leaves", verbose_name=_("employment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    percentage = models.DecimalField(
        _("share of the position on leave"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=percentage_validators,
        help_text=_("100 for full leave; 50 for half-time leave."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = LeaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="leave_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y}"
