"""ALIS positions, the employments of ALIS in them (with leave), ALIS agreements with their
measures and templates, and the grant schemes with their yearly rate tables.

An agreement is a document with a life: drafted from a template version, sent for signature,
signed (then frozen: its PDF is rendered once and kept with its SHA-256 checksum) and ended.
Changing a signed agreement makes a new version; the old one keeps its text and its PDF.
The rules of these steps are in `services.py`; the grant arithmetic in `grants.py`.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, Least
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

    def editable_by(self, user):
        """Positions the person registers and changes: the adviser's region and the manager's
        municipalities (the same as those they see)."""
        return self.filter(municipality__in=Municipality.objects.editable_by(user))


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

    def editable_by(self, user):
        """Employments the person registers and changes: those in positions they may edit (the
        ALIS reads their own, and changes nothing)."""
        return self.filter(position__in=Position.objects.editable_by(user))

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
    via_temp_agency = models.BooleanField(
        _("through a temp agency"),
        default=False,
        help_text=_("Some years' grant schemes give no grant for an ALIS hired through an agency."),
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

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


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


# Measures


class Element(models.TextChoices):
    """The element groups of Helsedirektoratet's mandatory agreement template."""

    STANDARD = "standard", _("Standard element")
    ADDITIONAL = "additional", _("Additional element")
    MUNICIPAL = "municipal", _("Funded by the municipality")


GRANT_ELEMENTS = [Element.STANDARD, Element.ADDITIONAL]


class MeasureType(models.Model):
    """A kind of recruitment measure an agreement can contain (extra supervision hours, time
    off after on-call, income guarantee, …). Advisers add and change them; agreements keep the
    values they were signed with."""

    class MeasuredIn(models.TextChoices):
        AMOUNT = "amount", _("An amount in kroner")
        QUANTITY = "quantity", _("A quantity")

    name = models.CharField(_("name"), max_length=120, unique=True)
    element = models.CharField(
        _("element group"),
        max_length=20,
        choices=Element.choices,
        default=Element.STANDARD,
        help_text=_("Where the measure usually belongs; an agreement can place it elsewhere."),
    )
    measured_in = models.CharField(
        _("measured in"), max_length=10, choices=MeasuredIn.choices, default=MeasuredIn.AMOUNT
    )
    unit = models.CharField(
        _("unit"),
        max_length=60,
        blank=True,
        help_text=_("For a quantity: what is counted, e.g. “hours per month”."),
    )
    default_value = models.DecimalField(
        _("default value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Filled in when the measure is added to an agreement (kroner or quantity)."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to stop offering it in new agreements.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(measured_in="quantity") | ~Q(unit=""),
                name="measuretype_quantity_has_unit",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_quantity(self) -> bool:
        return self.measured_in == self.MeasuredIn.QUANTITY


# Templates


class AgreementTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office's advisers write the templates; others see only the agreements made
        from them."""
        return self if scope_for(user).is_adviser else self.none()


class TemplateKind(models.TextChoices):
    """What a template is for: each kind has its own merge fields (`sandbox.FIELD_SETS`)."""

    ALIS_AGREEMENT = "alis_agreement", _("ALIS agreement")
    INSTITUTION_SERVICE = "institution_service", _("Institution-service arrangement")


class AgreementTemplate(models.Model):
    """An agreement template the office keeps, in versions. New agreements (or arrangements,
    by kind) start from the newest version of the kind's default template."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(
        _("for"),
        max_length=30,
        choices=TemplateKind.choices,
        default=TemplateKind.ALIS_AGREEMENT,
    )
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("New documents of its kind start from it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgreementTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["kind", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_default=True), name="one_default_template_per_kind"
            ),
        ]

    def __str__(self):
        return self.name

    def current_version(self):
        return self.versions.order_by("-number").first()


class TemplateVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(template__in=AgreementTemplate.objects.visible_to(user))


class TemplateVersion(models.Model):
    """One version of a template's text: Django template language with the merge fields of
    `sandbox.FIELDS`, rendered in the sandbox. Never changed once saved: agreements refer to
    the version they were made from."""

    template = models.ForeignKey(
        AgreementTemplate,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("template"),
    )
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


# Agreements


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signature")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    PERIOD_OVER = "period_over", _("The period is over")
    DOCTOR_LEFT = "doctor_left", _("The doctor left the position")
    GRANT_REFUSED = "grant_refused", _("The grant was refused")
    TERMINATED = "terminated", _("Terminated")
    REPLACED = "replaced", _("Replaced by a new version")


OPEN_STATUSES = [AgreementStatus.DRAFT, AgreementStatus.SENT]
ENDING_SOON_DAYS = 90
SIGNED_STATUSES = [AgreementStatus.SIGNED, AgreementStatus.ENDED]
FAR_FUTURE = datetime.date(9999, 12, 31)


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Advisers of the region and managers of the municipality see its agreements; the ALIS
        sees their own once it is sent for signature (a draft is the municipality's work)."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(employment__position__municipality__region_id__in=scope.region_ids)
            | Q(employment__position__municipality_id__in=scope.managed_municipality_ids)
            | Q(
                employment__alis_id=scope.user_id,
                status__in=[AgreementStatus.SENT, *SIGNED_STATUSES],
            )
        )

    def editable_by(self, user):
        return self.filter(employment__in=Employment.objects.editable_by(user))

    def with_dates(self):
        """Annotate `starts_on` (valid from: the signing date, or the agreed start if later;
        the agreed start before signing) and `ends_on` (the agreed end, the end of the
        employment or the day it ended, whichever comes first)."""
        return self.annotate(
            starts_on=Greatest(Coalesce("signed_on", "start_date"), "start_date"),
            ends_on=Least(
                "end_date",
                Coalesce("employment__end_date", "end_date"),
                Coalesce("ended_on", "end_date"),
            ),
        )

    def for_grant_year(self, year: int):
        """Agreements whose period touches the year (signed ones from their signing date)."""
        return self.with_dates().filter(
            starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1)
        )

    def with_details(self):
        """What the pages, the merge fields and the grant estimates read, loaded at once."""
        return self.select_related(
            "employment__alis",
            "employment__position__municipality",
            "employment__position__practice",
            "template_version__template",
        ).prefetch_related(
            "employment__leaves",
            models.Prefetch("measures", AgreementMeasure.objects.select_related("measure_type")),
        )

    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.with_dates().filter(
            status__in=SIGNED_STATUSES, starts_on__lte=on, ends_on__gte=on
        )

    def ending_within(self, days: int = ENDING_SOON_DAYS, on: datetime.date | None = None):
        """Signed agreements whose end falls within the next `days` days (today included)."""
        on = on or timezone.localdate()
        return (
            self.with_dates()
            .filter(status=AgreementStatus.SIGNED)
            .filter(ends_on__gte=on, ends_on__lte=on + datetime.timedelta(days=days))
        )


def agreement_file_path(instance, filename):
    return f"agreements/{instance.employment_id}/{filename}"


class Agreement(models.Model):
    """An ALIS agreement between a municipality and the ALIS employed in one of its positions,
    for measures beyond what the regulation grants."""

    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("employment"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("template"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    percentage = models.DecimalField(
        _("position percentage"),
        max_digits=5,
        decimal_places=2,
        validators=percentage_validators,
    )
    start_date = models.DateField(
        _("from"), help_text=_("The agreement is valid from signing, at the earliest.")
    )
    end_date = models.DateField(_("to"))
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_title = models.CharField(_("contact person's title"), max_length=150, blank=True)
    sent_at = models.DateTimeField(_("sent for signature"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(_("signed agreement (PDF)"), upload_to=agreement_file_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    scan = models.FileField(_("signed scan"), upload_to=agreement_file_path, blank=True)
    scan_sha256 = models.CharField(_("scan checksum (SHA-256)"), max_length=64, blank=True)
    scan_uploaded_at = models.DateTimeField(_("scan uploaded"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on the ending"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("ALIS agreement")
        verbose_name_plural = _("ALIS agreements")
        ordering = ["-start_date", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="agreement_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="agreement_percentage_1_to_100",
            ),
            models.UniqueConstraint(
                fields=["employment", "version"], name="agreement_version_unique"
            ),
            # One agreement being worked on, and one in force, per employment at a time.
            models.UniqueConstraint(
                fields=["employment"],
                condition=Q(status__in=["draft", "sent"]),
                name="agreement_one_open_per_employment",
            ),
            models.UniqueConstraint(
                fields=["employment"],
                condition=Q(status="signed"),
                name="agreement_one_signed_per_employment",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["signed", "ended"])
                | (Q(signed_on__isnull=False) & ~Q(pdf_sha256="")),
                name="agreement_signed_has_date_and_pdf",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="agreement_ended_has_date_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self):
        return _("ALIS agreement %(alis)s, version %(version)s") % {
            "alis": self.employment.alis,
            "version": self.version,
        }

    @property
    def municipality(self):
        return self.employment.position.municipality

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    @property
    def is_open(self) -> bool:
        """Still being worked on: its text can change."""
        return self.status in OPEN_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED_STATUSES

    @property
    def valid_from(self) -> datetime.date | None:
        """An agreement is valid from signing (and not before its agreed start)."""
        if self.signed_on is None:
            return None
        return max(self.signed_on, self.start_date)

    @property
    def effective_end(self) -> datetime.date:
        """The agreed end, unless the employment or the agreement ended earlier."""
        ends = [self.end_date, self.employment.end_date, self.ended_on]
        return min(d for d in ends if d is not None)

    def ends_within(self, days: int = ENDING_SOON_DAYS, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == AgreementStatus.SIGNED
            and on <= self.effective_end <= on + datetime.timedelta(days=days)
        )


class AgreementMeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class AgreementMeasure(models.Model):
    """A measure in an agreement, with its quantity and/or its yearly amount."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="measures", verbose_name=_("agreement")
    )
    measure_type = models.ForeignKey(
        MeasureType, on_delete=models.PROTECT, related_name="+", verbose_name=_("measure")
    )
    element = models.CharField(_("element group"), max_length=20, choices=Element.choices)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount per year (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("details"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = AgreementMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement measure")
        verbose_name_plural = _("agreement measures")
        ordering = ["agreement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=False) | Q(amount__isnull=False),
                name="measure_has_quantity_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="measure_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="measure_quantity_positive",
            ),
        ]

    def __str__(self):
        return str(self.measure_type)


# Grants


class GrantSchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rate tables are the office's configuration: advisers keep them, managers read
        them (their grant summary is computed from them)."""
        scope = scope_for(user)
        return self if (scope.is_adviser or scope.is_manager) else self.none()


class GrantScheme(models.Model):
    """A state grant scheme for ALIS agreements (the ALIS-Vest pilot, "Nasjonal ALIS og
    veiledning", …) with a rate table per year. A scheme limited to named municipalities (the
    pilot) is used for them, in the years it has a table, instead of a general scheme."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="grant_schemes",
        verbose_name=_("only for these municipalities"),
        help_text=_("Leave empty for a scheme open to every municipality."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[municipalities])

    objects = GrantSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GrantTableQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scheme__in=GrantScheme.objects.visible_to(user))


class GrantTable(models.Model):
    """A scheme's rules for one year: its rates, which centrality classes count as special
    recruitment challenges, whether ALIS hired through a temp agency are excluded, and the
    municipality's own share per ALIS-year (the pilot's egenandel)."""

    scheme = models.ForeignKey(
        GrantScheme, on_delete=models.CASCADE, related_name="tables", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    special_centrality_classes = models.JSONField(
        _("centrality classes with special recruitment challenges"),
        default=list,
        blank=True,
        help_text=_("Municipalities in these classes may have additional elements funded."),
    )
    excludes_temp_agency = models.BooleanField(
        _("no grant for ALIS through a temp agency"), default=False
    )
    municipal_share = models.DecimalField(
        _("municipal share per ALIS-year (kr)"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Deducted from the grant, e.g. the pilot's kr 50 000."),
    )
    is_example = models.BooleanField(
        _("example rates"),
        default=False,
        help_text=_("Ticked while the rates are examples, not yet entered from the year's rules."),
    )
    source = models.TextField(
        _("source"), blank=True, help_text=_("The rules or letter the rates come from.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = GrantTableQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant rate table")
        verbose_name_plural = _("grant rate tables")
        ordering = ["-year", "scheme__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="grant_table_one_per_year"),
        ]

    def __str__(self):
        return f"{self.scheme} {self.year}"


class GrantRate(models.Model):
    """One rate of a year's table: a yearly amount for an element, for a position type and
    employment form (empty: any) from a position percentage up."""

    table = models.ForeignKey(
        GrantTable, on_delete=models.CASCADE, related_name="rates", verbose_name=_("table")
    )
    element = models.CharField(
        _("element group"),
        max_length=20,
        choices=[(e.value, e.label) for e in GRANT_ELEMENTS],
        default=Element.STANDARD,
    )
    label = models.CharField(
        _("what it is for"), max_length=120, help_text=_("E.g. “ALIS agreement” or “Supervision”.")
    )
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices, blank=True
    )
    employment_form = models.CharField(
        _("employment form"), max_length=20, choices=EmploymentForm.choices, blank=True
    )
    min_percentage = models.DecimalField(
        _("from position percentage"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(
        _("amount per ALIS-year (kr)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    prorate_by_percentage = models.BooleanField(
        _("in proportion to the position percentage"),
        default=True,
        help_text=_("Untick for a fixed amount for every percentage from the one given."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant rate")
        verbose_name_plural = _("grant rates")
        ordering = ["table", "pk"]  # as the adviser entered them
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(min_percentage__gte=0) & Q(min_percentage__lte=100),
                name="grant_rate_percentage_0_to_100",
            ),
        ]

    def __str__(self):
        return self.label
