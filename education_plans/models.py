"""Education plans: learning-objective catalogues, the plan with its service periods, the
ALIS's supervisors, group-supervision periods, attestations, and the ledger of learning
activities.

The ledger is the one source of truth of what an ALIS has done: an activity is entered by hand
in the plan, or projected here by another app (a signed supervision session, attendance at a
course) through `services.activity_record_external()` under a `source_key` that the source
owns, so nothing is entered twice and a correction at the source updates the ledger. Group
supervision periods work the same way (`services.group_period_record_external()`).

Who may see an ALIS's records is decided once, by `alis_visibility()`; every model here that
belongs to an ALIS filters through it.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role, RoleAssignment
from accounts.scope import scope_for
from education_plans.rules import RuleSet, ServiceType
from municipalities.models import Municipality, Practice

percentage_validators = [MinValueValidator(1), MaxValueValidator(100)]


def alis_visibility(user, field: str = "alis") -> Q:
    """A filter on `field` (a foreign key to an ALIS) for the ALIS whose education records the
    person may see (DESIGN.md, "Who uses it"):

    - the ALIS themselves;
    - advisers: every ALIS who has been employed, held the ALIS role or had their plan in a
      municipality of their region (they follow the region over the years);
    - municipal managers: the ALIS employed or holding the ALIS role in one of their
      municipalities today, or whose plan belongs to one of them;
    - supervisors: the ALIS they supervise today (individual or clinical);
    - the education leader named in the ALIS's plan.

    Private notes of supervision sessions are narrower still: see the supervision app.
    """
    from alis_agreements.models import Employment

    scope = scope_for(user)
    if not scope.is_authenticated:
        return Q(pk__in=[])
    today = timezone.localdate()
    regions, managed = scope.region_ids, scope.managed_municipality_ids
    ids = f"{field}_id__in"
    condition = Q(**{f"{field}_id": scope.user_id})
    condition |= Q(
        **{
            ids: SupervisionRelationship.objects.active(today)
            .filter(supervisor_id=scope.user_id)
            .values("alis_id")
        }
    )
    condition |= Q(
        **{ids: EducationPlan.objects.filter(education_leader_id=scope.user_id).values("alis_id")}
    )
    if regions:
        condition |= Q(
            **{
                ids: Employment.objects.filter(
                    position__municipality__region_id__in=regions
                ).values("alis_id")
            }
        )
        condition |= Q(
            **{
                ids: RoleAssignment.objects.filter(
                    role=Role.ALIS, municipality__region_id__in=regions
                ).values("user_id")
            }
        )
        condition |= Q(
            **{
                ids: EducationPlan.objects.filter(municipality__region_id__in=regions).values(
                    "alis_id"
                )
            }
        )
    if managed:
        condition |= Q(
            **{
                ids: Employment.objects.active(today)
                .filter(position__municipality_id__in=managed)
                .values("alis_id")
            }
        )
        condition |= Q(
            **{
                ids: RoleAssignment.objects.active(today)
                .filter(role=Role.ALIS, municipality_id__in=managed)
                .values("user_id")
            }
        )
        condition |= Q(
            **{ids: EducationPlan.objects.filter(municipality_id__in=managed).values("alis_id")}
        )
    return condition


class CatalogueQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class Catalogue(models.Model):
    """A version of a learning-objective catalogue (ALM or FKM)."""

    class Kind(models.TextChoices):
        ALM = "alm", _("ALM – general practice")
        FKM = "fkm", _("FKM – common competence modules")

    kind = models.CharField(_("catalogue"), max_length=3, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    source_name = models.CharField(_("file"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective catalogue")
        verbose_name_plural = _("objective catalogues")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="catalogue_kind_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"

    @property
    def is_in_force(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)


class Objective(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("catalogue")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    recommended_activities = models.TextField(_("recommended activities"), blank=True)
    arenas = models.TextField(_("learning arenas"), blank=True)
    history = HistoricalRecords()

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
        return self.filter(alis_visibility(user))

    def done(self):
        return self.filter(status=LearningActivity.Status.DONE)

    def awaiting_confirmation_by(self, user, on: datetime.date | None = None):
        """Done activities entered in the plan that this person, as the ALIS's supervisor
        today, may confirm and has not (external ones are confirmed at their source)."""
        on = on or timezone.localdate()
        scope = scope_for(user)
        supervisees = SupervisionRelationship.objects.active(on).filter(supervisor_id=scope.user_id)
        return self.filter(
            status=LearningActivity.Status.DONE,
            confirmed_at__isnull=True,
            source_key__isnull=True,
            date__lte=on,
            alis_id__in=supervisees.values("alis_id"),
        )


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
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="activities/%Y/", blank=True, max_length=200
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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


class LearningArena(models.TextChoices):
    GP_PRACTICE = "gp_practice", _("GP practice")
    NURSING_HOME = "nursing_home", _("Nursing home")
    HEALTH_STATION = "health_station", _("Health station")
    EMERGENCY = "emergency", _("Out-of-hours emergency service")
    ACUTE_BEDS = "acute_beds", _("Municipal acute inpatient unit (KAD)")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class EducationPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alis_visibility(user))


class EducationPlan(models.Model):
    """The individual education plan of one ALIS (individuell utdanningsplan)."""

    alis = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="education_plan",
        verbose_name=_("ALIS"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="education_plans",
        verbose_name=_("education institution"),
        help_text=_("The municipality responsible for the education now."),
    )
    start_date = models.DateField(_("start of the specialist education"))
    rule_set = models.CharField(
        _("rule set"), max_length=10, choices=RuleSet.choices, default=RuleSet.RULES_2019
    )
    education_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_education_plans",
        verbose_name=_("education leader"),
        help_text=_("The leader of the education institution, who attests learning objectives."),
    )
    alm_catalogue = models.ForeignKey(
        Catalogue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Catalogue.Kind.ALM},
        verbose_name=_("ALM catalogue"),
    )
    fkm_catalogue = models.ForeignKey(
        Catalogue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Catalogue.Kind.FKM},
        verbose_name=_("FKM catalogue"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EducationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("education plan")
        verbose_name_plural = _("education plans")
        ordering = ["alis__last_name", "alis__first_name"]
        indexes = [models.Index(fields=["municipality"])]

    def __str__(self):
        return str(_("Education plan of %(alis)s") % {"alis": self.alis})

    @property
    def catalogues(self) -> list[Catalogue]:
        return [c for c in (self.alm_catalogue, self.fkm_catalogue) if c]


class ServicePeriodQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alis_visibility(user, "plan__alis"))


class ServicePeriod(models.Model):
    """A period of service that counts toward the education: its type, where, how much."""

    plan = models.ForeignKey(
        EducationPlan,
        on_delete=models.CASCADE,
        related_name="service_periods",
        verbose_name=_("education plan"),
    )
    service_type = models.CharField(
        _("type of service"), max_length=20, choices=ServiceType.choices
    )
    arena = models.CharField(_("learning arena"), max_length=20, choices=LearningArena.choices)
    place = models.CharField(_("place"), max_length=200, help_text=_("Practice, hospital, …"))
    practice = models.ForeignKey(
        Practice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_periods",
        verbose_name=_("practice"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: ongoing."))
    percentage = models.DecimalField(
        _("position percentage"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=percentage_validators,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ServicePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("service period")
        verbose_name_plural = _("service periods")
        ordering = ["plan", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="serviceperiod_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="serviceperiod_percentage_1_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.get_service_type_display()}, {self.place}"


class SupervisionRelationshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ALIS's records' readers, and the supervisor themselves."""
        scope = scope_for(user)
        return self.filter(alis_visibility(user) | Q(supervisor_id=scope.user_id))

    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class SupervisionRelationship(models.Model):
    """An ALIS's supervisor (veileder) or clinical supervisor (supervisør) for a while.

    It lives with the plan rather than in the supervision app because the plan's access rule,
    the confirmation of activities and the supervisor's load all need it, and the supervision
    app builds on the plans (DESIGN.md's arrows). A change of supervisor ends one relationship
    and starts another, so the history stays.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Supervisor")
        CLINICAL = "clinical", _("Clinical supervisor")

    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisors_as_alis",
        verbose_name=_("ALIS"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisees",
        verbose_name=_("supervisor"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = SupervisionRelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision relationship")
        verbose_name_plural = _("supervision relationships")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="supervision_relationship_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(alis=F("supervisor")), name="supervision_relationship_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "end_date"]),
            models.Index(fields=["alis", "end_date"]),
        ]

    def __str__(self):
        return f"{self.supervisor} → {self.alis} ({self.get_kind_display()})"


class GroupSupervisionPeriodQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alis_visibility(user))


class GroupSupervisionPeriod(models.Model):
    """A time an ALIS belonged to a supervision group. Entered by hand (a group outside the
    portal) or projected by the supervision app under its `source_key`."""

    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="group_supervision_periods",
        verbose_name=_("ALIS"),
    )
    title = models.CharField(_("group"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    source_key = models.CharField(_("source"), max_length=100, null=True, blank=True, unique=True)
    history = HistoricalRecords()

    objects = GroupSupervisionPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("group supervision period")
        verbose_name_plural = _("group supervision periods")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="groupperiod_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.title


class AttestationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alis_visibility(user, "plan__alis"))

    def attested(self):
        return self.filter(status=Attestation.Status.ATTESTED)

    def waiting_for(self, user):
        """Requests waiting for this person as the plan's education leader."""
        return self.filter(
            status=Attestation.Status.REQUESTED, plan__education_leader_id=scope_for(user).user_id
        )


class Attestation(models.Model):
    """The education leader's attestation that a learning objective is achieved (competence
    shown, not only activities done). Requested by the ALIS, attested or returned with a
    comment by the leader, recalled by the one who gave it; every step is in the history."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ATTESTED = "attested", _("Attested")
        RETURNED = "returned", _("Returned")
        RECALLED = "recalled", _("Recalled")

    plan = models.ForeignKey(
        EducationPlan,
        on_delete=models.CASCADE,
        related_name="attestations",
        verbose_name=_("education plan"),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        related_name="attestations",
        verbose_name=_("learning objective"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    request_note = models.TextField(
        _("how the objective was achieved"),
        blank=True,
        help_text=_("Activities, feedback or assessments that show the competence."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    objects = AttestationQuerySet.as_manager()

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["objective__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "objective"], name="attestation_one_per_goal"),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return f"{self.objective.code}: {self.get_status_display()}"
