"""Learning-objective catalogues and the ledger of learning activities.

The ledger is the one source of truth of what an ALIS has done: an activity is entered by hand
in the plan, or projected here by another app (a signed supervision session, attendance at a
course) through `services.activity_record_external()` under a `source_key` that the source
owns, so nothing is entered twice and a correction at the source updates the ledger.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import alis_q


class Catalogue(models.Model):
    """A version of a learning-objective catalogue (ALM or FKM)."""

    class Kind(models.TextChoices):
        ALM = "alm", _("ALM – general practice")
        FKM = "fkm", _("FKM – common competence modules")

    kind = models.CharField(_("catalogue"), max_length=3, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("objective catalogue")
        verbose_name_plural = _("objective catalogues")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="catalogue_kind_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"


class Objective(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("catalogue")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    recommended_activities = models.TextField(_("recommended activities"), blank=True)
    arenas = models.TextField(_("learning arenas"), blank=True)

    class Meta:
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
        ordering = ["catalogue", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="objective_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ActivityKind(models.TextChoices):
    INDIVIDUAL_SUPERVISION = "individual_supervision", _("Individual supervision")
    GROUP_SUPERVISION = "group_supervision", _("Group supervision")
    COURSE = "course", _("Course")
    JOINT_CONSULTATION = "joint_consultation", _("Joint consultation")
    CLINICAL_PRACTICE = "clinical_practice", _("Clinical practice")
    E_LEARNING = "e_learning", _("E-learning")
    OTHER = "other", _("Other")


class LearningActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alis_q(user))

    def done(self):
        return self.filter(status=LearningActivity.Status.DONE)


class LearningActivity(models.Model):
    """A planned or done learning activity of an ALIS."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="learning_activities",
        verbose_name=_("ALIS"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    title = models.CharField(_("title"), max_length=300)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="activities", verbose_name=_("learning objectives")
    )
    source_key = models.CharField(
        _("source"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Set when another part of the portal recorded the activity."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[objectives])

    objects = LearningActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=1000), name="activity_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["alis", "kind", "date"])]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"

    @property
    def is_external(self) -> bool:
        """Recorded by another app: changed only at its source."""
        return bool(self.source_key)
