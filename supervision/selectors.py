"""Reads that span apps: supervisor capacity per municipality, and the ALIS of a municipality
and whether they have a supervisor (municipalities, positions, plans, relationships).

Each function runs a fixed number of queries whatever the number of municipalities, ALIS or
supervisors, so list pages and the municipality page stay flat.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from alis_agreements.models import Employment
from education_plans.models import EducationPlan, SupervisionRelationship, alis_visibility
from supervision.models import Supervisor


@dataclass
class Capacity:
    """Supervisors and ALIS of one municipality (or a sum of several)."""

    supervisors: int = 0
    without_course: int = 0
    in_pool: int = 0
    capacity: int = 0
    load: int = 0
    free: int = 0
    alis: int = 0
    alis_without_supervisor: int = 0
    alis_ids: set[int] = field(default_factory=set, repr=False)

    def add(self, other: "Capacity") -> None:
        for name in (
            "supervisors",
            "without_course",
            "in_pool",
            "capacity",
            "load",
            "free",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        # An ALIS who belongs to two municipalities is counted once in a sum.
        self.alis_ids |= other.alis_ids


def _alis_filter(municipality_ids, on) -> Q:
    roles = RoleAssignment.objects.active(on).filter(
        role=Role.ALIS, municipality_id__in=municipality_ids
    )
    employments = Employment.objects.active(on).filter(
        position__municipality_id__in=municipality_ids
    )
    return Q(pk__in=roles.values("user_id")) | Q(pk__in=employments.values("alis_id"))


def _supervised(on):
    return (
        SupervisionRelationship.objects.active(on)
        .filter(kind=SupervisionRelationship.Kind.INDIVIDUAL)
        .values("alis_id")
    )


def alis_by_municipality(municipality_ids: Iterable[int], on=None) -> dict[int, set[int]]:
    """The ALIS of each municipality today: employed in one of its positions or holding the
    ALIS role there."""
    on = on or timezone.localdate()
    ids = list(municipality_ids)
    result = defaultdict(set)
    for user_id, municipality_id in (
        RoleAssignment.objects.active(on)
        .filter(role=Role.ALIS, municipality_id__in=ids)
        .values_list("user_id", "municipality_id")
    ):
        result[municipality_id].add(user_id)
    for alis_id, municipality_id in (
        Employment.objects.active(on)
        .filter(position__municipality_id__in=ids)
        .values_list("alis_id", "position__municipality_id")
    ):
        result[municipality_id].add(alis_id)
    return result


def capacity_by_municipality(
    municipality_ids: Iterable[int], on: datetime.date | None = None
) -> tuple[dict[int, Capacity], Capacity]:
    """Capacity of each municipality and their sum (ALIS counted once)."""
    on = on or timezone.localdate()
    ids = list(municipality_ids)
    rows = {pk: Capacity() for pk in ids}
    for s in (
        Supervisor.objects.active()
        .filter(municipality_id__in=ids)
        .with_load(on)
        .values("municipality_id", "course_completed_on", "in_pool", "capacity", "load", "free")
    ):
        row = rows[s["municipality_id"]]
        row.supervisors += 1
        row.without_course += s["course_completed_on"] is None
        row.in_pool += s["in_pool"]
        row.capacity += s["capacity"]
        row.load += s["load"]
        row.free += s["free"]
    alis = alis_by_municipality(ids, on)
    everyone = set().union(*alis.values()) if alis else set()
    supervised = set(
        SupervisionRelationship.objects.active(on)
        .filter(kind=SupervisionRelationship.Kind.INDIVIDUAL, alis_id__in=everyone)
        .values_list("alis_id", flat=True)
    )
    for pk, row in rows.items():
        row.alis_ids = alis.get(pk, set())
        row.alis = len(row.alis_ids)
        row.alis_without_supervisor = len(row.alis_ids - supervised)
    total = Capacity()
    for row in rows.values():
        total.add(row)
    total.alis = len(total.alis_ids)
    total.alis_without_supervisor = len(total.alis_ids - supervised)
    return rows, total


def alis_of(municipality_ids: Iterable[int], on=None):
    """The ALIS of these municipalities today, each annotated with `municipality_name` (their
    employer's, else where they hold the ALIS role), by municipality and name."""
    on = on or timezone.localdate()
    ids = list(municipality_ids)
    employer = (
        Employment.objects.active(on)
        .filter(alis_id=OuterRef("pk"), position__municipality_id__in=ids)
        .order_by("-start_date")
        .values("position__municipality__name")[:1]
    )
    role = (
        RoleAssignment.objects.active(on)
        .filter(user_id=OuterRef("pk"), role=Role.ALIS, municipality_id__in=ids)
        .values("municipality__name")[:1]
    )
    return (
        User.objects.filter(_alis_filter(ids, on))
        .annotate(
            municipality_name=Coalesce(
                Subquery(employer), Subquery(role), Value(""), output_field=CharField()
            )
        )
        .order_by("municipality_name", "last_name", "first_name")
    )


def alis_without_supervisor(municipality_ids: Iterable[int], on=None):
    """The ALIS of these municipalities with no individual supervisor today."""
    on = on or timezone.localdate()
    return alis_of(municipality_ids, on).exclude(pk__in=_supervised(on))


def visible_alis(user):
    """The ALIS (people) whose education records the person may see: `alis_visibility` for
    people who hold or held the ALIS role or have a plan."""
    roles = RoleAssignment.objects.filter(alis_visibility(user, "user"), role=Role.ALIS)
    plans = EducationPlan.objects.filter(alis_visibility(user))
    return User.objects.filter(
        Q(pk__in=roles.values("user_id")) | Q(pk__in=plans.values("alis_id"))
    )
