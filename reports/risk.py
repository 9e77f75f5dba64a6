"""The recruitment-risk view: for each municipality a status (ok, watch, at risk) and the
reasons for it, from the facts the office follows up.

`assess(facts)` holds the rules and touches no database; `municipality_risks(municipalities,
user=...)` gathers the facts of any number of municipalities in a fixed number of queries and
assesses each. The dashboard, its map and the home page read risk from here, so they agree.

The rules, in one sentence each. *At risk* means recruitment or training is harmed now;
*watch* means something to follow up:

- registration: not a registered education institution (not applied, lost by merger or no
  status recorded) while an ALIS is in position — their service does not count — is at risk;
  without an ALIS, or applied (service counts from the application date since 2022), watch;
- positions: an ALIS position advertised or vacant is watched; at risk when no ALIS is in
  position at all, or when the open positions are a quarter or more of the GPs in the latest
  yearly mapping;
- agreements: signed agreements ending within `agreement_days` (90) are watched;
- supervisors: an ALIS without an individual supervisor, or supervisors taking more ALIS than
  their capacity, is at risk; fewer free supervisor places than open positions, watch;
- follow-up: no meeting (in person, digital or a gathering) for more than `meeting_days` (365,
  the default of the "no follow-up meeting" reminder), or none recorded, watch. Only the
  region's advisers see the follow-up log, so for managers this rule is left out.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.scope import scope_for
from alis_agreements.models import ENDING_SOON_DAYS, Agreement, Employment, Position
from municipalities.models import Population, RegistrationStatus, YearlyMapping
from supervision.selectors import capacity_by_municipality

OPEN_POSITION_STATUSES = [Position.Status.ADVERTISED, Position.Status.VACANT]
NOT_REGISTERED = {RegistrationStatus.NOT_APPLIED, RegistrationStatus.LOST_BY_MERGER, None}


class RiskStatus(models.TextChoices):
    OK = "ok", _("OK")
    WATCH = "watch", _("Watch")
    AT_RISK = "at_risk", _("At risk")


SEVERITY = {RiskStatus.OK: 0, RiskStatus.WATCH: 1, RiskStatus.AT_RISK: 2}
# The order reasons of the same severity are listed in.
RULE_ORDER = ["registration", "positions", "agreements", "supervisor", "capacity", "meeting"]


@dataclass(frozen=True)
class Thresholds:
    agreement_days: int = ENDING_SOON_DAYS
    meeting_days: int = 365
    # Open positions as a share of the mapped GPs from which they are at risk.
    open_share_of_gps: Decimal = Decimal("0.25")


@dataclass(frozen=True)
class RiskFacts:
    """What the rules look at, for one municipality on one day."""

    registration_status: str | None
    alis_in_position: int
    open_positions: int
    gps: int | None  # from the latest yearly mapping; None when never mapped
    mapping_year: int | None
    agreements_ending: int
    first_agreement_end: datetime.date | None
    supervisor_capacity: int
    supervisor_load: int
    alis_without_supervisor: int
    days_since_meeting: int | None  # None: no meeting recorded (or not known)
    meeting_known: bool  # False for who may not see the follow-up log

    @property
    def free_supervisor_places(self) -> int:
        return max(self.supervisor_capacity - self.supervisor_load, 0)


@dataclass(frozen=True)
class Reason:
    key: str
    status: str
    text: str | Promise


@dataclass(frozen=True)
class Assessment:
    status: str
    reasons: list[Reason]


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _registration(f: RiskFacts) -> Reason | None:
    status = f.registration_status
    if status == RegistrationStatus.REGISTERED:
        return None
    if status == RegistrationStatus.APPLIED:
        return Reason("registration", RiskStatus.WATCH, _("registration applied for, not granted"))
    if status is None:
        what = _("registration status unknown")
    else:
        what = _("not a registered education institution (%(status)s)") % {
            "status": RegistrationStatus(status).label.lower()
        }
    if f.alis_in_position:
        text = ngettext_lazy(
            "%(what)s, with %(n)s ALIS in position whose service does not count",
            "%(what)s, with %(n)s ALIS in position whose service does not count",
            "n",
        ) % {"what": what, "n": f.alis_in_position}
        return Reason("registration", RiskStatus.AT_RISK, text)
    return Reason("registration", RiskStatus.WATCH, what)


def _positions(f: RiskFacts, t: Thresholds) -> Reason | None:
    if not f.open_positions:
        return None
    if f.alis_in_position == 0:
        text = ngettext_lazy(
            "%(n)s ALIS position open and no ALIS in position",
            "%(n)s ALIS positions open and no ALIS in position",
            "n",
        ) % {"n": f.open_positions}
        return Reason("positions", RiskStatus.AT_RISK, text)
    if f.gps and f.open_positions >= t.open_share_of_gps * f.gps:
        text = ngettext_lazy(
            "%(n)s ALIS position open against %(gps)s GPs in the mapping",
            "%(n)s ALIS positions open against %(gps)s GPs in the mapping",
            "n",
        ) % {"n": f.open_positions, "gps": f.gps}
        return Reason("positions", RiskStatus.AT_RISK, text)
    text = ngettext_lazy(
        "%(n)s ALIS position advertised or vacant",
        "%(n)s ALIS positions advertised or vacant",
        "n",
    ) % {"n": f.open_positions}
    return Reason("positions", RiskStatus.WATCH, text)


def _agreements(f: RiskFacts, t: Thresholds) -> Reason | None:
    if not f.agreements_ending:
        return None
    text = ngettext_lazy(
        "%(n)s agreement ends within %(days)s days (first %(date)s)",
        "%(n)s agreements end within %(days)s days (first %(date)s)",
        "n",
    ) % {
        "n": f.agreements_ending,
        "days": t.agreement_days,
        "date": _date(f.first_agreement_end) if f.first_agreement_end else "–",
    }
    return Reason("agreements", RiskStatus.WATCH, text)


def _supervisor(f: RiskFacts) -> Reason | None:
    if not f.alis_without_supervisor:
        return None
    text = ngettext_lazy(
        "%(n)s ALIS without a supervisor",
        "%(n)s ALIS without a supervisor",
        "n",
    ) % {"n": f.alis_without_supervisor}
    return Reason("supervisor", RiskStatus.AT_RISK, text)


def _capacity(f: RiskFacts) -> Reason | None:
    if f.supervisor_load > f.supervisor_capacity:
        text = _("supervisors take %(load)s ALIS but have room for %(capacity)s") % {
            "load": f.supervisor_load,
            "capacity": f.supervisor_capacity,
        }
        return Reason("capacity", RiskStatus.AT_RISK, text)
    if f.open_positions > f.free_supervisor_places:
        text = _("fewer free supervisor places (%(free)s) than open positions (%(open)s)") % {
            "free": f.free_supervisor_places,
            "open": f.open_positions,
        }
        return Reason("capacity", RiskStatus.WATCH, text)
    return None


def _meeting(f: RiskFacts, t: Thresholds) -> Reason | None:
    if not f.meeting_known:
        return None
    if f.days_since_meeting is None:
        return Reason("meeting", RiskStatus.WATCH, _("no follow-up meeting recorded"))
    if f.days_since_meeting > t.meeting_days:
        text = ngettext_lazy(
            "no follow-up meeting for %(days)s day",
            "no follow-up meeting for %(days)s days",
            "days",
        ) % {"days": f.days_since_meeting}
        return Reason("meeting", RiskStatus.WATCH, text)
    return None


def assess(facts: RiskFacts, thresholds: Thresholds = Thresholds()) -> Assessment:
    """The status and the reasons for it, the most serious first."""
    found = [
        _registration(facts),
        _positions(facts, thresholds),
        _agreements(facts, thresholds),
        _supervisor(facts),
        _capacity(facts),
        _meeting(facts, thresholds),
    ]
    reasons = sorted(
        (r for r in found if r is not None),
        key=lambda r: (-SEVERITY[r.status], RULE_ORDER.index(r.key)),
    )
    status = reasons[0].status if reasons else RiskStatus.OK
    return Assessment(status, reasons)


@dataclass
class MunicipalityRisk:
    """A municipality (with its county loaded), its facts, status and reasons."""

    municipality: object
    facts: RiskFacts
    status: str
    reasons: list[Reason] = field(default_factory=list)
    population: int | None = None

    @property
    def severity(self) -> int:
        return SEVERITY[self.status]

    @property
    def alis_per_10000(self) -> float | None:
        if not self.population:
            return None
        return self.facts.alis_in_position / self.population * 10_000

    def get_status_display(self) -> str:
        return RiskStatus(self.status).label


def _counts(queryset, key: str, **annotations) -> dict[int, dict]:
    return {row[key]: row for row in queryset.values(key).annotate(**annotations).order_by()}


def municipality_risks(
    municipalities,
    *,
    user,
    on: datetime.date | None = None,
    thresholds: Thresholds = Thresholds(),
) -> list[MunicipalityRisk]:
    """Risk for each of `municipalities` (a queryset the caller has scoped to the person) as
    it stands on `on` (default today), in the queryset's order. Runs a fixed number of queries
    whatever the number of municipalities."""
    on = on or timezone.localdate()
    latest_mapping = YearlyMapping.objects.filter(
        municipality=OuterRef("pk"), year__lte=on.year
    ).order_by("-year")
    latest_population = Population.objects.filter(
        municipality=OuterRef("pk"), year__lte=on.year
    ).order_by("-year")
    rows = list(
        municipalities.select_related("county")
        .with_registration_status(on)
        .with_follow_up_facts(user)
        .annotate(
            mapping_gps=Subquery(latest_mapping.values("number_of_gps")[:1]),
            mapping_year=Subquery(latest_mapping.values("year")[:1]),
            latest_population=Subquery(latest_population.values("population")[:1]),
        )
    )
    ids = [m.pk for m in rows]
    # The follow-up log is the office's: only the region's advisers know the last meeting.
    advised_regions = scope_for(user).region_ids

    positions = _counts(
        Position.objects.filter(municipality_id__in=ids),
        "municipality_id",
        open=Count("pk", filter=Q(status__in=OPEN_POSITION_STATUSES)),
    )
    in_position = _counts(
        Employment.objects.active(on).filter(position__municipality_id__in=ids),
        "position__municipality_id",
        n=Count("alis_id", distinct=True),
    )
    ending = _counts(
        Agreement.objects.ending_within(thresholds.agreement_days, on=on).filter(
            employment__position__municipality_id__in=ids
        ),
        "employment__position__municipality_id",
        n=Count("pk"),
        first=Min("ends_on"),
    )
    capacity, _total = capacity_by_municipality(ids, on)

    result = []
    empty = defaultdict(int)
    for m in rows:
        cap = capacity[m.pk]
        known = m.region_id in advised_regions
        facts = RiskFacts(
            registration_status=m.registration_status,
            alis_in_position=in_position.get(m.pk, empty)["n"],
            open_positions=positions.get(m.pk, empty)["open"],
            gps=m.mapping_gps,
            mapping_year=m.mapping_year,
            agreements_ending=ending.get(m.pk, empty)["n"],
            first_agreement_end=ending.get(m.pk, {}).get("first"),
            supervisor_capacity=cap.capacity,
            supervisor_load=cap.load,
            alis_without_supervisor=cap.alis_without_supervisor,
            days_since_meeting=(on - m.last_meeting_date).days
            if known and m.last_meeting_date
            else None,
            meeting_known=known,
        )
        assessment = assess(facts, thresholds)
        result.append(
            MunicipalityRisk(
                municipality=m,
                facts=facts,
                status=assessment.status,
                reasons=assessment.reasons,
                population=m.latest_population,
            )
        )
    return result


def count_by_status(risks: list[MunicipalityRisk]) -> dict[str, int]:
    counts = dict.fromkeys(RiskStatus.values, 0)
    for risk in risks:
        counts[risk.status] += 1
    return counts
