import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for

number_validator = RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))


class Region(models.Model):
    """A regional ALIS office's area. ALIS Vest today; the other offices can be added."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    host_municipality = models.CharField(_("host municipality"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def advisers(self, on: datetime.date | None = None):
        """The people who hold an adviser role in this region on a day (default today)."""
        from accounts.models import Role, RoleAssignment, User

        holders = RoleAssignment.objects.active(on).filter(role=Role.ADVISER, region=self)
        return User.objects.filter(is_active=True, pk__in=holders.values("user_id"))


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RegistrationStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("Not applied")
    APPLIED = "applied", _("Applied")
    REGISTERED = "registered", _("Registered")
    LOST_BY_MERGER = "lost_by_merger", _("Lost by merger")


class FollowUpKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DIGITAL_MEETING = "digital_meeting", _("Digital meeting")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    GATHERING = "gathering", _("Gathering")


MEETING_KINDS = [FollowUpKind.MEETING, FollowUpKind.DIGITAL_MEETING, FollowUpKind.GATHERING]


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        return self.filter(
            Q(region_id__in=scope.region_ids) | Q(pk__in=scope.managed_municipality_ids)
        )

    def advised_by(self, user):
        """The municipalities whose follow-up, registration and mapping the person writes:
        those of the regions where they are an adviser."""
        return self.filter(region_id__in=scope_for(user).region_ids)

    def editable_by(self, user):
        """The municipalities whose contacts and practices the person keeps up to date: the
        adviser's region and the manager's own municipalities."""
        return self.visible_to(user)

    def with_registration_status(self, on: datetime.date | None = None):
        """Annotate `registration_status` (and its date) as it stood on a day (default today)."""
        on = on or timezone.localdate()
        latest = RegistrationStatusChange.objects.filter(
            municipality=OuterRef("pk"), date__lte=on
        ).order_by("-date", "-pk")
        return self.annotate(
            registration_status=Subquery(latest.values("status")[:1]),
            registration_status_date=Subquery(latest.values("date")[:1]),
        )

    def with_population(self, year: int):
        return self.annotate(
            population=Subquery(
                Population.objects.filter(municipality=OuterRef("pk"), year=year).values(
                    "population"
                )[:1]
            )
        )

    def with_follow_up_facts(self, user):
        """Annotate the last meeting's date and the first open next action, as far as the
        person may see the follow-up log (for anyone but the region's advisers: None)."""
        last_meeting = (
            FollowUpEntry.objects.visible_to(user)
            .filter(municipality=OuterRef("pk"), kind__in=MEETING_KINDS)
            .order_by("-date")
        )
        next_action = (
            NextAction.objects.visible_to(user)
            .open()
            .filter(entry__municipality=OuterRef("pk"))
            .order_by("due_date", "pk")
        )
        return self.annotate(
            last_meeting_date=Subquery(last_meeting.values("date")[:1]),
            next_action_text=Subquery(next_action.values("description")[:1]),
            next_action_due=Subquery(next_action.values("due_date")[:1]),
        )


class Municipality(models.Model):
    number = models.CharField(_("number"), max_length=4, unique=True, validators=[number_validator])
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    centrality_class = models.PositiveSmallIntegerField(
        _("centrality class"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("SSB's centrality index: 1 is the most central, 6 the least."),
    )
    centrality_version = models.CharField(
        _("centrality index version"),
        max_length=10,
        blank=True,
        help_text=_("The version of SSB's index the class comes from, e.g. 2024."),
    )
    border_changes = models.TextField(_("border changes"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="municipality_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def registration_status_on(self, on: datetime.date):
        change = self.registration_changes.filter(date__lte=on).order_by("-date", "-pk").first()
        return change.status if change else None


class CentralityClassification(models.Model):
    """A municipality's class in one version of SSB's centrality index (2020, 2024, …)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="centrality_classes"
    )
    version = models.CharField(_("version"), max_length=10)
    centrality_class = models.PositiveSmallIntegerField(
        _("centrality class"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )

    class Meta:
        verbose_name = _("centrality class")
        verbose_name_plural = _("centrality classes")
        ordering = ["municipality", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "version"], name="centrality_one_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.version}: {self.centrality_class}"


class Population(models.Model):
    """Residents on 1 January of the year (SSB table 07459)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_one_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}: {self.population}"


class Predecessor(models.Model):
    """A pre-2020 municipality whose area this one took over (e.g. Odda, now in Ullensvang)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="predecessors"
    )
    number = models.CharField(_("number"), max_length=4, validators=[number_validator])
    name = models.CharField(_("name"), max_length=100)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("predecessor")
        verbose_name_plural = _("predecessors")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="predecessor_unique"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class RegistrationStatusChange(models.Model):
    """One dated step in a municipality's registration as education institution."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="registration_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration status")
        verbose_name_plural = _("registration statuses")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["municipality", "-date"])]

    def __str__(self):
        return f"{self.get_status_display()} {self.date:%d.%m.%Y}"


class PartnerKind(models.TextChoices):
    DIRECTORATE = "directorate", _("Directorate")
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    HEALTH_TRUST = "health_trust", _("Health trust or hospital")
    PRIVATE_INSTITUTION = "private_institution", _("Private institution")
    ASSOCIATION = "association", _("Association")
    ALIS_OFFICE = "alis_office", _("Other ALIS office")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


# The kinds that host institution service (institusjonstjeneste) for ALIS.
INSTITUTION_KINDS = [PartnerKind.HEALTH_TRUST, PartnerKind.PRIVATE_INSTITUTION]


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partners are the office's own relations: the region's advisers see them."""
        return self.filter(region_id__in=scope_for(user).region_ids)

    def institutions(self):
        return self.filter(kind__in=INSTITUTION_KINDS)

    def with_follow_up_facts(self, user):
        """The last meeting and the first open next action, as `with_follow_up_facts` of
        municipalities."""
        last_meeting = (
            FollowUpEntry.objects.visible_to(user)
            .filter(partner=OuterRef("pk"), kind__in=MEETING_KINDS)
            .order_by("-date")
        )
        next_action = (
            NextAction.objects.visible_to(user)
            .open()
            .filter(entry__partner=OuterRef("pk"))
            .order_by("due_date", "pk")
        )
        return self.annotate(
            last_meeting_date=Subquery(last_meeting.values("date")[:1]),
            next_action_text=Subquery(next_action.values("description")[:1]),
            next_action_due=Subquery(next_action.values("due_date")[:1]),
        )


class Partner(models.Model):
    """An organisation the office works with besides the municipalities: Helsedirektoratet,
    Statsforvalteren, health trusts, associations, the other ALIS offices, …"""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partners", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("county"),
        help_text=_("Where it belongs, if it belongs to one county."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what we work on together"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="partner_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_institution(self) -> bool:
        return self.kind in INSTITUTION_KINDS


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            Q(municipality__in=Municipality.objects.visible_to(user))
            | Q(partner__region_id__in=scope_for(user).region_ids)
        )


class Contact(models.Model):
    class Function(models.TextChoices):
        CHIEF_MEDICAL_OFFICER = "chief_medical_officer", _("Chief municipal medical officer")
        HEALTH_LEADER = "health_leader", _("Health leader")
        PRACTICE_LEADER = "practice_leader", _("Practice leader")
        EDUCATION_LEADER = "education_leader", _("Education leader")
        ADVISER = "adviser", _("Adviser")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("municipality"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partner"),
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("role"), max_length=30, choices=Function.choices)
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_active", "name"]
        constraints = [
            # A contact person works for a municipality or for a partner, never both.
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, partner__isnull=True)
                | Q(municipality__isnull=True, partner__isnull=False),
                name="contact_of_municipality_or_partner",
            ),
        ]

    def __str__(self):
        return self.name


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality__in=Municipality.objects.visible_to(user))


class Practice(models.Model):
    """A legekontor: the workplace of GPs and ALIS."""

    class Ownership(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PRIVATE = "private", _("Private")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="practices",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["name"]

    def __str__(self):
        return self.name


def _in_regions(prefix: str, region_ids) -> Q:
    """An entry of the log is the region's when its municipality or its partner is."""
    return Q(**{f"{prefix}municipality__region_id__in": region_ids}) | Q(
        **{f"{prefix}partner__region_id__in": region_ids}
    )


class FollowUpEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The follow-up log is the office's internal working log: only the advisers of the
        region of the municipality or partner see it (not the municipality's managers, so not
        the partner entries about their municipality either)."""
        return self.filter(_in_regions("", scope_for(user).region_ids))

    def meetings_in(self, year: int):
        """Meetings (in person, digital, gatherings) held in a year."""
        return self.filter(kind__in=MEETING_KINDS, date__year=year)

    def with_partner(self):
        """Only entries with a partner, with it loaded, ordered by partner then date: the
        annual report's "partner meetings of the year by partner"
        (`FollowUpEntry.objects.meetings_in(year).with_partner()`)."""
        return (
            self.filter(partner__isnull=False)
            .select_related("partner", "municipality")
            .order_by("partner__name", "date", "pk")
        )

    def concerning(self, obj):
        """The entries on a municipality's or a partner's timeline."""
        if isinstance(obj, Partner):
            return self.filter(partner=obj)
        return self.filter(municipality=obj)


class FollowUpEntry(models.Model):
    """A meeting, call or e-mail with a municipality, a partner, or both (Helse Bergen about
    Bergen's ALIS): the advisers' one follow-up log."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("municipality"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("partner"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(
        _("kind"), max_length=20, choices=FollowUpKind.choices, default=FollowUpKind.MEETING
    )
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Who took part, one per line or comma-separated."),
    )
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = FollowUpEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up entries")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "kind", "-date"]),
            models.Index(fields=["partner", "kind", "-date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(partner__isnull=False),
                name="followup_concerns_municipality_or_partner",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"

    def get_absolute_url(self):
        if self.partner_id:
            return reverse("municipalities:partner_detail", args=[self.partner_id])
        return reverse("municipalities:municipality_detail", args=[self.municipality.number])

    @property
    def region_id(self):
        return (self.municipality or self.partner).region_id

    @property
    def concerns(self):
        """The timeline the entry belongs to first: the partner's when it has one."""
        return self.partner or self.municipality


class NextActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Like the entries they belong to: the advisers of the region."""
        return self.filter(_in_regions("entry__", scope_for(user).region_ids))

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def for_owner(self, user):
        return self.filter(owner_id=user.pk)

    def by_urgency(self):
        """Overdue first, then by due date (the oldest due date is the most overdue)."""
        return self.order_by("due_date", "pk")

    def open_for(self, user):
        """The person's own open actions in their scope, most urgent first, with the
        municipality loaded: the adviser's "my open actions" list and home page."""
        return (
            self.visible_to(user)
            .open()
            .for_owner(user)
            .select_related("entry__municipality", "entry__partner")
            .by_urgency()
        )


class NextAction(models.Model):
    entry = models.ForeignKey(
        FollowUpEntry,
        on_delete=models.CASCADE,
        related_name="next_actions",
        verbose_name=_("follow-up entry"),
    )
    description = models.CharField(_("next action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="next_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = NextActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("next action")
        verbose_name_plural = _("next actions")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(
                fields=["owner", "due_date"],
                condition=Q(done_at__isnull=True),
                name="nextaction_open_by_owner",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (on or timezone.localdate())


class YearlyMappingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality__in=Municipality.objects.visible_to(user))


class YearlyMapping(models.Model):
    """The office's yearly mapping (kartlegging) of one municipality."""

    class Organisation(models.TextChoices):
        LIST_SYSTEM_PRIVATE = "private", _("Self-employed GPs with lists")
        FIXED_SALARY = "fixed_salary", _("Fixed-salary GPs")
        MIXED = "mixed", _("Mixed")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    gp_organisation = models.CharField(
        _("how the GP service is organised"),
        max_length=20,
        choices=Organisation.choices,
        blank=True,
    )
    gp_organisation_note = models.TextField(_("organisation, in words"), blank=True)
    number_of_gps = models.PositiveSmallIntegerField(_("number of GPs"), null=True, blank=True)
    number_of_alis = models.PositiveSmallIntegerField(_("number of ALIS"), null=True, blank=True)
    supervisor_capacity = models.PositiveSmallIntegerField(
        _("supervisor capacity"),
        null=True,
        blank=True,
        help_text=_("How many ALIS the municipality's supervisors can take."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = YearlyMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly mapping")
        verbose_name_plural = _("yearly mappings")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="mapping_one_per_year"),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}"
