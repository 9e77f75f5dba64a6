"""The rules of the specialist education in general practice, in one place.

Source: ../shared/DOMAIN.md, "Specialist education in general practice (rules since 1 March
2019)", which cites alis.no and Fafo 2023:02. Pure functions over dates and Decimals, no
database: `education_plans.progress` loads a plan's records and asks these functions, and the
tests in tests/education_plans/test_rules.py check every boundary.

Where DOMAIN.md states no rule, the portal does not invent one: research service is shown but
not credited, and the old rules' hospital year is marked as unverified.

Interpretation the portal makes (and says so on the progress page): the individual-supervision
requirement follows the position, so a month at 50 % needs half the hours and a month of full
leave needs none. Over the whole education this gives the same 5 × 42 hours at full time and
stretches with part time, as DOMAIN.md says part time and leave stretch the calendar time.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# The date arithmetic lives in alisvest.periods so that the agreements (which this app builds
# on) count part time and leave the same way; the names stay importable from here.
from alisvest.periods import (  # noqa: F401
    ONE_DAY,
    Span,
    add_months,
    calendar_months,
    fte_months,
    month_start,
    overlap_months,
    union_months,
)

NEW_RULES_FROM = datetime.date(2019, 3, 1)
OLD_RULES_DEADLINE = datetime.date(2025, 3, 1)
FOUR_HOURS_FROM = datetime.date(2021, 1, 1)
TOTAL_MONTHS = Decimal(60)
SUPERVISION_MONTHS_A_YEAR = Decimal("10.5")
GROUP_MONTHS = Decimal(24)
GROUP_MONTHS_IN_OPEN_PRACTICE = Decimal(12)
GROUP_HOURS_A_YEAR_RECOMMENDED = Decimal(60)
AVERAGE_MONTH_DAYS = Decimal("30.4375")


class RuleSet(models.TextChoices):
    RULES_2019 = "2019", _("Rules of 1 March 2019")
    OLD = "old", _("Old rules (started before 1 March 2019)")


class ServiceType(models.TextChoices):
    OPEN_UNSELECTED = "open_unselected", _("Open unselected practice")
    OTHER_GP = "other_gp", _("Other general-practice service")
    INSTITUTION = "institution", _("Institution service")
    RESEARCH = "research", _("Research")
    OLD_HOSPITAL = "old_hospital", _("Hospital service (old rules)")


class MonthStatus(models.TextChoices):
    MET = "met", _("Met")
    SHORT = "short", _("Short")
    NONE = "none", _("No session")
    NOT_REQUIRED = "not_required", _("Not required")


@dataclass(frozen=True)
class RuleResult:
    key: str
    label: str
    done: Decimal
    target: Decimal
    kind: str = "minimum"  # "minimum", "maximum" or "info" (shown, never failing)
    unit: str = "months"
    note: str = ""

    @property
    def met(self) -> bool:
        if self.kind == "maximum":
            return self.done <= self.target
        if self.kind == "minimum":
            return self.done >= self.target
        return True

    @property
    def missing(self) -> Decimal:
        """What is still missing of a minimum, or the excess over a maximum."""
        if self.kind == "minimum":
            return max(self.target - self.done, Decimal(0))
        if self.kind == "maximum":
            return max(self.done - self.target, Decimal(0))
        return Decimal(0)

    @property
    def share(self) -> Decimal:
        """How full the bar is, 0–1."""
        if not self.target:
            return Decimal(1)
        return min(self.done / self.target, Decimal(1))


@dataclass(frozen=True)
class SupervisionMonth:
    month: datetime.date
    hours: Decimal
    required: Decimal
    status: str


# Service time


def rule_set_for_start(start: datetime.date) -> str:
    """Doctors who started before 1 March 2019 could finish under the old rules."""
    return RuleSet.OLD if start < NEW_RULES_FROM else RuleSet.RULES_2019


def service_results(
    rule_set: str, months: dict[str, Decimal], *, on: datetime.date | None = None
) -> list[RuleResult]:
    """Service time by type against the rule set's minima and maxima; months beyond a maximum
    are not credited to the total."""
    get = lambda t: months.get(t, Decimal(0))  # noqa: E731
    oup, other = get(ServiceType.OPEN_UNSELECTED), get(ServiceType.OTHER_GP)
    institution, research = get(ServiceType.INSTITUTION), get(ServiceType.RESEARCH)
    hospital = get(ServiceType.OLD_HOSPITAL)
    results = []
    if rule_set == RuleSet.OLD:
        credited = oup + other + institution + hospital
        hospital_rule = RuleResult(
            "old_hospital_min",
            _("Hospital service, at least 1 year"),
            hospital,
            Decimal(12),
            note=_(
                "The old rules are believed to have required a hospital year; this is not "
                "verified from the regulation."
            ),
        )
        total = RuleResult("total", _("Total service, 5 years"), credited, TOTAL_MONTHS)
        results = [total, hospital_rule]
        finished = total.met and hospital_rule.met
        on = on or datetime.date.today()
        results.append(
            RuleResult(
                "old_rules_deadline",
                _("Finished under the old rules by 1 March 2025"),
                Decimal(1 if (on <= OLD_RULES_DEADLINE or finished) else 0),
                Decimal(1),
                unit="yes/no",
                note=_("After 1 March 2025 the education continues under the 2019 rules."),
            )
        )
    else:
        credited = min(oup, Decimal(54)) + min(other, Decimal(30)) + institution
        results = [
            RuleResult("total", _("Total service, 5 years"), credited, TOTAL_MONTHS),
            RuleResult(
                "open_unselected_min",
                _("Open unselected practice, at least 2 years"),
                oup,
                Decimal(24),
            ),
            RuleResult(
                "open_unselected_max",
                _("Open unselected practice, at most 4.5 years"),
                oup,
                Decimal(54),
                kind="maximum",
            ),
            RuleResult(
                "other_gp_max",
                _("Other general-practice service, at most 2.5 years"),
                other,
                Decimal(30),
                kind="maximum",
            ),
            RuleResult(
                "institution_min",
                _("Institution service, at least 6 months"),
                institution,
                Decimal(6),
            ),
        ]
    if research:
        results.append(
            RuleResult(
                "research",
                _("Research"),
                research,
                Decimal(0),
                kind="info",
                note=_(
                    "Not credited by the portal: the rules it knows say nothing of research "
                    "service. Ask the Directorate of Health for an individual assessment."
                ),
            )
        )
    return results


# Individual supervision


def supervision_hours_a_month(month: datetime.date) -> Decimal:
    """4 hours a month from 1 January 2021, 3 hours before."""
    return Decimal(4) if month >= FOUR_HOURS_FROM else Decimal(3)


def supervision_month(
    month: datetime.date, hours: Decimal, *, fte_share: Decimal
) -> SupervisionMonth:
    """One month of the strip: met, short, without a session, or not required (full leave,
    no service)."""
    required = supervision_hours_a_month(month) * fte_share
    if required <= 0:
        status = MonthStatus.MET if hours > 0 else MonthStatus.NOT_REQUIRED
    elif hours <= 0:
        status = MonthStatus.NONE
    elif hours >= required:
        status = MonthStatus.MET
    else:
        status = MonthStatus.SHORT
    return SupervisionMonth(month_start(month), hours, required, status)


def supervision_hours_required(fte_by_month: dict[datetime.date, Decimal]) -> Decimal:
    """Hours of individual supervision due for the months given (month → full-time share):
    the monthly hours in force, in 10.5 of 12 months, at the position's share."""
    return sum(
        (
            supervision_hours_a_month(month) * share * SUPERVISION_MONTHS_A_YEAR / 12
            for month, share in fte_by_month.items()
        ),
        Decimal(0),
    )


def supervision_result(done: Decimal, required: Decimal) -> RuleResult:
    return RuleResult(
        "individual_supervision",
        _("Individual supervision so far"),
        done,
        required,
        unit="hours",
    )


# Group supervision


def group_results(*, group_months: Decimal, group_months_in_open: Decimal) -> list[RuleResult]:
    """Two years of group supervision, one of them during open unselected practice."""
    return [
        RuleResult("group_total", _("Group supervision, 2 years"), group_months, GROUP_MONTHS),
        RuleResult(
            "group_in_open_practice",
            _("Group supervision during open unselected practice, 1 year"),
            group_months_in_open,
            GROUP_MONTHS_IN_OPEN_PRACTICE,
        ),
    ]


# Completion


def estimate_completion(
    *, credited: Decimal, last_twelve_months: Decimal, on: datetime.date
) -> datetime.date | None:
    """When the 60 months will be complete at the pace of the last twelve months (None: no
    service in that year, so no pace to go by)."""
    if credited >= TOTAL_MONTHS:
        return on
    pace = Decimal(last_twelve_months) / 12
    if pace <= 0:
        return None
    remaining = (TOTAL_MONTHS - credited) / pace
    whole = int(remaining)
    days = int(((remaining - whole) * AVERAGE_MONTH_DAYS).to_integral_value())
    return add_months(on, whole) + datetime.timedelta(days=days)


# What the progress page says about how the portal reads the rules


def interpretation_notes() -> list[str]:
    """The portal's readings of the rules where DOMAIN.md leaves room (this module's
    docstring), in words for the progress page and the plan's PDF."""
    return [
        _(
            "Service counts as full-time equivalents: calendar months times the position "
            "percentage, less leave. Part time and leave stretch the calendar time."
        ),
        _(
            "Months beyond a maximum (open unselected practice 4.5 years, other "
            "general-practice service 2.5 years) are shown but not credited to the 5 years."
        ),
        _(
            "Individual supervision follows the position: a month at 50 % needs half the "
            "hours, a month of full leave needs none. The requirement is 3 hours a month "
            "before 1 January 2021 and 4 hours a month from then, in 10.5 months a year."
        ),
        _(
            "Only activities the supervisor has confirmed count, and supervision sessions "
            "once the supervisor has signed them."
        ),
        _(
            "Research service is shown but not credited: the rules the portal knows say "
            "nothing of it."
        ),
        _("The estimated completion assumes the pace of the last twelve months goes on."),
    ]
