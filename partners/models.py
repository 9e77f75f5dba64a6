"""Institution-service arrangements (avtaler om institusjonstjeneste): a health trust or
institution and the municipalities in its area commit to host ALIS for their institution
service — the learning objectives of the selected patient population.

An arrangement is drafted from an agreement template of the kind "institution service" (the
same templates, sandbox and frozen PDFs as ALIS agreements). Municipalities join it on a date
(or are listed as not yet joined); a municipality is *covered* on a day when it has joined an
arrangement in force that day and not left it.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for
from alis_agreements.models import TemplateVersion
from education_plans.models import Objective
from municipalities.models import Municipality, Partner, Region


class ArrangementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The region's advisers; a municipality's managers see the arrangements it is a party
        to (joined or not yet), to read."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(region_id__in=scope.region_ids)
            | Q(parties__municipality_id__in=scope.managed_municipality_ids)
        ).distinct()

    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class Arrangement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="arrangements", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="arrangements",
        verbose_name=_("health trust or institution"),
    )
    other_institutions = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="+",
        verbose_name=_("other institutions"),
        help_text=_("Chosen private institutions that take part as well."),
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="arrangements",
        verbose_name=_("template"),
    )
    objectives = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="arrangements",
        verbose_name=_("learning objectives"),
        help_text=_("The objectives the institution service serves (e.g. ALM 055 and 085)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    pdf = models.FileField(_("signed arrangement (PDF)"), upload_to="arrangements/", blank=True)
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[objectives])

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution-service arrangement")
        verbose_name_plural = _("institution-service arrangements")
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="arrangement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | (Q(signed_on__isnull=False) & ~Q(pdf_sha256="")),
                name="arrangement_signed_has_date_and_pdf",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class PartyStatus(models.TextChoices):
    JOINED = "joined", _("Joined")
    NOT_YET = "not_yet", _("Not yet joined")


class ArrangementPartyQuerySet(models.QuerySet):
    def covering(self, on: datetime.date | None = None):
        """The memberships that cover their municipality on a day: joined by then, not left,
        in an arrangement in force."""
        on = on or timezone.localdate()
        return self.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=on),
            Q(arrangement__valid_to__isnull=True) | Q(arrangement__valid_to__gte=on),
            status=PartyStatus.JOINED,
            joined_on__lte=on,
            arrangement__valid_from__lte=on,
        )


class ArrangementParty(models.Model):
    """A municipality in an arrangement: joined on a date, or listed as not yet joined."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("arrangement")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="arrangement_parties",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PartyStatus.choices, default=PartyStatus.NOT_YET
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ArrangementPartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("party municipality")
        verbose_name_plural = _("party municipalities")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "municipality"], name="arrangement_party_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="joined") | Q(joined_on__isnull=False),
                name="arrangement_party_joined_has_date",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | (Q(joined_on__isnull=False) & Q(left_on__gte=F("joined_on"))),
                name="arrangement_party_left_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} – {self.arrangement}"


class ArrangementPlaces(models.Model):
    """How many institution-service places the arrangement offers in a year."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="places", verbose_name=_("arrangement")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    places = models.PositiveSmallIntegerField(_("places"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("places offered")
        verbose_name_plural = _("places offered")
        ordering = ["arrangement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "year"], name="arrangement_places_year"),
        ]

    def __str__(self):
        return f"{self.arrangement} {self.year}: {self.places}"


def uncovered_municipalities(*, region_ids, on: datetime.date | None = None):
    """The municipalities of the regions that no arrangement covers on a day."""
    covered = ArrangementParty.objects.covering(on).values("municipality_id")
    return Municipality.objects.filter(region_id__in=region_ids).exclude(pk__in=covered)


# The position board


class PostingKind(models.TextChoices):
    ALIS_POSITION = "alis_position", _("ALIS position")
    INSTITUTION_PLACE = "institution_place", _("Temporary institution-service place")


class PostingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who keeps the postings: the region's advisers, and a municipality's managers its
        own. (The public board shows the open ones to everyone: `open()`.)"""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(region_id__in=scope.region_ids)
            | Q(municipality_id__in=scope.managed_municipality_ids)
        )

    def open(self, on: datetime.date | None = None):
        """Published, not withdrawn, deadline not passed: a posting disappears by itself the
        day after its deadline."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, deadline__gte=on)

    def in_county(self, county_id):
        return self.filter(
            Q(municipality__county_id=county_id) | Q(institution__county_id=county_id)
        )

    def overlapping(self, start: datetime.date | None, end: datetime.date | None):
        """Postings whose period overlaps [start, end] (either may be open)."""
        qs = self
        if start:
            qs = qs.filter(Q(period_end__isnull=True) | Q(period_end__gte=start))
        if end:
            qs = qs.filter(period_start__lte=end)
        return qs

    def for_board(self):
        return self.select_related(
            "municipality__county", "institution__county", "position"
        ).order_by("deadline", "pk")


class Posting(models.Model):
    """An advertised ALIS position of a municipality (linked to its position record) or a
    temporary institution-service place of an institution, on the public board until its
    deadline."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="postings", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("municipality"),
    )
    institution = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("institution"),
    )
    position = models.ForeignKey(
        "alis_agreements.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("ALIS position"),
        help_text=_("The position record: its title and municipality are shown."),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For a place; a position has its own.")
    )
    place = models.CharField(_("place"), max_length=200, help_text=_("Practice, ward, town."))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), null=True, blank=True)
    percentage = models.PositiveSmallIntegerField(
        _("percentage"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    deadline = models.DateField(_("application deadline"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["region", "deadline"])]
        constraints = [
            # An ALIS position is a municipality's and points to its record; a place is an
            # institution's.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="alis_position",
                        municipality__isnull=False,
                        position__isnull=False,
                        institution__isnull=True,
                    )
                    | Q(
                        kind="institution_place",
                        institution__isnull=False,
                        municipality__isnull=True,
                        position__isnull=True,
                    )
                ),
                name="posting_kind_matches_poster",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="posting_period_in_order",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.position.title if self.position_id else self.title

    @property
    def poster(self):
        return self.municipality or self.institution

    @property
    def county(self):
        return self.poster.county
