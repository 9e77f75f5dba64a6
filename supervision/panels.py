"""The supervision app's menu entries and sections of the home and municipality pages."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scope import scope_for
from alisvest.panels import NavItem
from education_plans.models import EducationPlan, SupervisionRelationship
from education_plans.progress import progress_for
from supervision import selectors
from supervision.models import GroupMembership, SupervisionGroup, SupervisionSession, Supervisor

HOME_SUPERVISEES = 10


def nav(request):
    scope = scope_for(request.user)
    items = []
    if scope.has_role(Role.ALIS):
        items.append(
            NavItem(
                _("Supervision log"),
                reverse("supervision:alis_supervision", args=[request.user.pk]),
            )
        )
    if scope.has_role(Role.SUPERVISOR):
        items.append(NavItem(_("My supervisees"), reverse("supervision:my_supervisees")))
    if scope.is_adviser or scope.is_manager:
        items.append(NavItem(_("Supervisors"), reverse("supervision:capacity")))
    if (
        scope.is_adviser
        or scope.has_role(Role.GROUP_LEADER)
        or (
            scope.has_role(Role.ALIS) and GroupMembership.objects.filter(alis=request.user).exists()
        )
    ):
        items.append(NavItem(_("Supervision groups"), reverse("supervision:group_list")))
    return items


def home(request):
    scope = scope_for(request.user)
    sections = []
    if scope.has_role(Role.ALIS):
        sections.append(_alis_home(request))
    if (
        scope.has_role(Role.SUPERVISOR)
        or SupervisionSession.objects.waiting_for(request.user).exists()
    ):
        sections.append(_supervisor_home(request))
    if scope.has_role(Role.GROUP_LEADER):
        sections.append(_group_leader_home(request))
    return "".join(sections) or None


def _alis_home(request):
    alis = request.user
    today = timezone.localdate()
    sessions = SupervisionSession.objects.current().filter(alis=alis)
    plan = EducationPlan.objects.filter(alis=alis).first()
    progress = progress_for([plan])[plan.pk] if plan else None
    context = {
        "alis": alis,
        "latest": sessions.select_related("supervisor").order_by("-date", "-pk")[:3],
        "month_minutes": sessions.in_month(today).minutes(),
        "month_signed_minutes": sessions.signed().in_month(today).minutes(),
        "this_month": progress.supervision_strip[-1] if progress else None,
        "today": today,
    }
    return render_to_string("supervision/_home_alis.html", context, request=request)


def _supervisor_home(request):
    relationships = list(
        SupervisionRelationship.objects.active()
        .filter(supervisor=request.user)
        .select_related("alis")
        .order_by("alis__last_name", "alis__first_name")[:HOME_SUPERVISEES]
    )
    plans = EducationPlan.objects.filter(alis_id__in=[r.alis_id for r in relationships])
    progress = {p.plan.alis_id: p for p in progress_for(plans).values()}
    context = {
        "rows": [(r, progress.get(r.alis_id)) for r in relationships],
        "waiting": SupervisionSession.objects.waiting_for(request.user).count(),
        "profile": Supervisor.objects.filter(person=request.user).first(),
    }
    return render_to_string("supervision/_home_supervisor.html", context, request=request)


def _group_leader_home(request):
    today = timezone.localdate()
    groups = (
        SupervisionGroup.objects.filter(leader=request.user)
        .active(today)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=today)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
                distinct=True,
            )
        )
        .order_by("name")
    )
    return render_to_string(
        "supervision/_home_group_leader.html", {"groups": groups}, request=request
    )


def municipality(request, municipality):
    scope = scope_for(request.user)
    if not (
        municipality.region_id in scope.region_ids
        or municipality.pk in scope.managed_municipality_ids
    ):
        return None
    rows, _total = selectors.capacity_by_municipality([municipality.pk])
    supervisors = (
        Supervisor.objects.filter(municipality=municipality)
        .active()
        .with_load()
        .select_related("person", "practice", "municipality")
        .order_by("person__last_name", "person__first_name")
    )
    context = {
        "municipality": municipality,
        "capacity": rows[municipality.pk],
        "supervisors": supervisors,
    }
    return render_to_string("supervision/_municipality.html", context, request=request)
