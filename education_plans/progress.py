"""Progress of education plans against the rules (`education_plans.rules`).

`progress_for(plans)` loads what the rules need for any number of plans in a fixed number of
queries (periods, leave, confirmed supervision hours by month, group periods, attestations) and
returns one `PlanProgress` per plan. The progress page, the plan list, the reminders, the
course waiting list and the annual report all read progress from here, so they agree.

Only confirmed activities count: a supervision session counts once its supervisor has signed
it, an activity once the supervisor has confirmed it. What waits for confirmation is shown
beside the figures.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from education_plans import rules
from education_plans.models import (
    ActivityKind,
    Attestation,
    EducationPlan,
    GroupSupervisionPeriod,
    LearningActivity,
    Objective,
    ServicePeriod,
)
from education_plans.rules import RuleResult, ServiceType, Span, SupervisionMonth

STRIP_MONTHS = 12
BEHIND_MONTHS_SHORT = 3


@dataclass
class PlanProgress:
    plan: EducationPlan
    on: datetime.date
    months_by_type: dict[str, Decimal]
    service: list[RuleResult]
    supervision: RuleResult
    supervision_strip: list[SupervisionMonth]
    supervision_pending_hours: Decimal
    group: list[RuleResult]
    group_hours: Decimal
    objectives: list[RuleResult]
    estimated_completion: datetime.date | None
    notes: list[str] = field(default_factory=list)

    @property
    def credited_months(self) -> Decimal:
        return self.rule("total").done

    @property
    def share_complete(self) -> Decimal:
        return min(self.credited_months / rules.TOTAL_MONTHS, Decimal(1))

    @property
    def results(self) -> list[RuleResult]:
        return [*self.service, self.supervision, *self.group, *self.objectives]

    @property
    def unmet(self) -> list[RuleResult]:
        return [r for r in self.results if not r.met]

    @property
    def months_short(self) -> int:
        """Months of the strip below the requirement (short or without a session)."""
        return sum(
            1
            for m in self.supervision_strip
            if m.status in (rules.MonthStatus.SHORT, rules.MonthStatus.NONE)
        )

    @property
    def is_complete(self) -> bool:
        return not self.unmet

    @property
    def objectives_done(self) -> Decimal:
        """Objectives attested, over the plan's catalogues."""
        return sum((r.done for r in self.objectives), Decimal(0))

    @property
    def objectives_total(self) -> Decimal:
        return sum((r.target for r in self.objectives), Decimal(0))

    @property
    def supervision_below_due(self) -> bool:
        return bool(self.supervision.target) and self.supervision.done < self.supervision.target

    @property
    def behind_on_supervision(self) -> bool:
        """Supervision below what is due so far, or short in three of the last twelve months."""
        return self.supervision_below_due or self.months_short >= BEHIND_MONTHS_SHORT

    @property
    def behind(self) -> list[str]:
        """Why the plan needs attention now, in words (empty: on track). Supervision below
        what is due so far, or three or more of the last twelve months short; service
        without a pace (nothing credited in a year) while not finished."""
        reasons = []
        if self.supervision_below_due:
            reasons.append(_("supervision below what is due so far"))
        if self.months_short >= BEHIND_MONTHS_SHORT:
            reasons.append(
                _("%(n)s of the last 12 months short of supervision") % {"n": self.months_short}
            )
        if self.estimated_completion is None:
            reasons.append(_("no service in the last 12 months"))
        return reasons

    def rule(self, key: str) -> RuleResult:
        return next(r for r in self.results if r.key == key)


def _month_shares(periods: list[Span], leaves: list[Span], first, last) -> dict:
    """Full-time share worked in each month from `first` to `last` (inclusive)."""
    shares = {}
    month = rules.month_start(first)
    while month <= last:
        month_end = rules.add_months(month, 1) - rules.ONE_DAY
        clip_end = min(month_end, last)
        share = Decimal(0)
        for p in periods:
            start, end = max(p.start, month), min(p.end or clip_end, clip_end)
            if start <= end:
                share += rules.fte_months(Span(start, end, p.percentage), leaves, until=end)
        shares[month] = min(share, Decimal(1))
        month = rules.add_months(month, 1)
    return shares


def progress_for(
    plans: Iterable[EducationPlan], *, on: datetime.date | None = None
) -> dict[int, PlanProgress]:
    """Progress of each plan as it stood on `on` (default today), keyed by plan id."""
    from alis_agreements.models import Leave

    on = on or timezone.localdate()
    plans = list(plans)
    if not plans:
        return {}
    plan_ids = [p.pk for p in plans]
    alis_ids = [p.alis_id for p in plans]

    periods = defaultdict(list)
    for period in ServicePeriod.objects.filter(plan_id__in=plan_ids, start_date__lte=on).values(
        "plan_id", "service_type", "start_date", "end_date", "percentage"
    ):
        periods[period["plan_id"]].append(period)
    leaves = defaultdict(list)
    for leave in Leave.objects.filter(employment__alis_id__in=alis_ids, start_date__lte=on).values(
        "employment__alis_id", "start_date", "end_date", "percentage"
    ):
        leaves[leave["employment__alis_id"]].append(
            Span(leave["start_date"], leave["end_date"], leave["percentage"])
        )

    done = LearningActivity.objects.filter(
        alis_id__in=alis_ids, status=LearningActivity.Status.DONE, date__lte=on
    )
    supervision_by_month = defaultdict(dict)
    for row in (
        done.filter(kind=ActivityKind.INDIVIDUAL_SUPERVISION, confirmed_at__isnull=False)
        .annotate(month=TruncMonth("date"))
        .values("alis_id", "month")
        .annotate(hours=Sum("hours"))
    ):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        supervision_by_month[row["alis_id"]][month] = row["hours"]
    totals = {
        row["alis_id"]: row
        for row in done.values("alis_id").annotate(
            pending=Sum(
                "hours",
                filter=Q(kind=ActivityKind.INDIVIDUAL_SUPERVISION, confirmed_at__isnull=True),
            ),
            group_hours=Sum(
                "hours", filter=Q(kind=ActivityKind.GROUP_SUPERVISION, confirmed_at__isnull=False)
            ),
        )
    }
    groups = defaultdict(list)
    for g in GroupSupervisionPeriod.objects.filter(alis_id__in=alis_ids, start_date__lte=on).values(
        "alis_id", "start_date", "end_date"
    ):
        groups[g["alis_id"]].append(Span(g["start_date"], g["end_date"]))

    catalogue_ids = {c for p in plans for c in (p.alm_catalogue_id, p.fkm_catalogue_id) if c}
    objective_counts = dict(
        Objective.objects.filter(catalogue_id__in=catalogue_ids)
        .values("catalogue_id")
        .annotate(n=Count("pk"))
        .values_list("catalogue_id", "n")
    )
    attested = defaultdict(int)
    for row in (
        Attestation.objects.attested()
        .filter(plan_id__in=plan_ids, decided_at__date__lte=on)
        .values("plan_id", "objective__catalogue_id")
        .annotate(n=Count("pk"))
    ):
        attested[(row["plan_id"], row["objective__catalogue_id"])] = row["n"]
    catalogues = _catalogue_labels(plans)

    result = {}
    for plan in plans:
        plan_periods = periods[plan.pk]
        plan_leaves = leaves[plan.alis_id]
        spans_by_type = defaultdict(list)
        months_by_type = defaultdict(Decimal)
        last_year = Decimal(0)
        year_ago = rules.add_months(on, -12) + rules.ONE_DAY
        for p in plan_periods:
            span = Span(p["start_date"], p["end_date"], p["percentage"])
            spans_by_type[p["service_type"]].append(span)
            months_by_type[p["service_type"]] += rules.fte_months(span, plan_leaves, until=on)
            if p["service_type"] != ServiceType.RESEARCH:
                recent = Span(max(span.start, year_ago), span.end, span.percentage)
                last_year += rules.fte_months(recent, plan_leaves, until=on)
        service = rules.service_results(plan.rule_set, dict(months_by_type), on=on)

        all_spans = [
            Span(p["start_date"], p["end_date"], p["percentage"])
            for p in plan_periods
            if p["service_type"] != ServiceType.RESEARCH
        ]
        first = min((s.start for s in all_spans), default=on)
        shares = _month_shares(all_spans, plan_leaves, first, on) if all_spans else {}
        hours = supervision_by_month[plan.alis_id]
        required = rules.supervision_hours_required(shares)
        supervision = rules.supervision_result(sum(hours.values(), Decimal(0)), required)
        strip = []
        month = rules.add_months(rules.month_start(on), -(STRIP_MONTHS - 1))
        for _i in range(STRIP_MONTHS):
            strip.append(
                rules.supervision_month(
                    month, hours.get(month, Decimal(0)), fte_share=shares.get(month, Decimal(0))
                )
            )
            month = rules.add_months(month, 1)

        group_spans = groups[plan.alis_id]
        group = rules.group_results(
            group_months=rules.union_months(group_spans, until=on),
            group_months_in_open=rules.overlap_months(
                group_spans, spans_by_type[ServiceType.OPEN_UNSELECTED], until=on
            ),
        )
        objectives = [
            RuleResult(
                f"objectives_{kind}",
                label,
                Decimal(attested[(plan.pk, catalogue_id)]),
                Decimal(objective_counts.get(catalogue_id, 0)),
                unit="objectives",
            )
            for kind, catalogue_id, label in catalogues[plan.pk]
        ]
        totals_row = totals.get(plan.alis_id, {})
        credited = next(r for r in service if r.key == "total").done
        result[plan.pk] = PlanProgress(
            plan=plan,
            on=on,
            months_by_type=dict(months_by_type),
            service=service,
            supervision=supervision,
            supervision_strip=strip,
            supervision_pending_hours=totals_row.get("pending") or Decimal(0),
            group=group,
            group_hours=totals_row.get("group_hours") or Decimal(0),
            objectives=objectives,
            estimated_completion=rules.estimate_completion(
                credited=credited, last_twelve_months=last_year, on=on
            ),
        )
    return result


def _catalogue_labels(plans):
    labels = {}
    for plan in plans:
        entries = []
        for kind, catalogue_id, label in (
            ("alm", plan.alm_catalogue_id, _("ALM objectives attested")),
            ("fkm", plan.fkm_catalogue_id, _("FKM objectives attested")),
        ):
            if catalogue_id:
                entries.append((kind, catalogue_id, label))
        labels[plan.pk] = entries
    return labels


def plan_progress(plan: EducationPlan, *, on: datetime.date | None = None) -> PlanProgress:
    return progress_for([plan], on=on)[plan.pk]


def credited_months_for(alis_ids: Iterable[int], *, on=None) -> dict[int, Decimal]:
    """Months of service credited so far per ALIS (ALIS without a plan are absent): how close
    each is to completing, e.g. to order a course's waiting list."""
    plans = EducationPlan.objects.filter(alis_id__in=list(alis_ids))
    return {p.plan.alis_id: p.credited_months for p in progress_for(plans, on=on).values()}
