"""The education plans' menu entries and their sections of the home and municipality pages."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scope import scope_for
from alisvest.panels import NavItem
from education_plans import services
from education_plans.models import (
    Attestation,
    EducationPlan,
    LearningActivity,
    SupervisionRelationship,
)
from education_plans.progress import progress_for

HOME_ROWS = 5


def _plans():
    return EducationPlan.objects.select_related(
        "alis", "municipality", "alm_catalogue", "fkm_catalogue"
    )


def nav(request):
    scope = scope_for(request.user)
    items = []
    if scope.has_role(Role.ALIS):
        items.append(NavItem(_("My education plan"), reverse("education_plans:my_plan")))
    if scope.is_adviser or scope.is_manager or scope.has_role(Role.SUPERVISOR):
        items.append(NavItem(_("Education plans"), reverse("education_plans:plan_list")))
    return items


def home(request):
    scope = scope_for(request.user)
    if not scope.is_authenticated:
        return None
    user = request.user
    context = {"scope": scope}
    own = _plans().filter(alis=user).first() if scope.has_role(Role.ALIS) else None
    if scope.has_role(Role.ALIS):
        context["own"] = own
        if own is not None:
            context["own_progress"] = progress_for([own])[own.pk]
            context["own_attestations"] = dict(
                Attestation.objects.filter(plan=own)
                .values("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
    if scope.is_manager and not scope.is_adviser:
        # A manager's few plans; an adviser's whole region (hundreds at national scale: a
        # second on every home page) is on the overview instead (reports:dashboard).
        in_scope = (
            _plans().visible_to(user).filter(municipality_id__in=scope.managed_municipality_ids)
        )
        progress = list(progress_for(in_scope).values())
        behind = sorted(
            (p for p in progress if p.behind),
            key=lambda p: (-len(p.behind), -p.months_short, p.plan.alis.last_name),
        )
        context.update(
            plan_count=len(progress), behind=behind[:HOME_ROWS], behind_count=len(behind)
        )
    supervisees = SupervisionRelationship.objects.active().filter(supervisor=user)
    if supervisees.exists():
        plans = _plans().filter(alis_id__in=supervisees.values("alis_id"))
        context["supervisees"] = sorted(
            progress_for(plans).values(), key=lambda p: p.plan.alis.last_name
        )
        context["to_confirm"] = LearningActivity.objects.awaiting_confirmation_by(user).count()
    waiting = Attestation.objects.waiting_for(user)
    if EducationPlan.objects.filter(education_leader=user).exists():
        context["waiting"] = list(
            waiting.select_related("plan__alis", "objective").order_by("requested_at")[:HOME_ROWS]
        )
        context["waiting_count"] = waiting.count()
    if len(context) == 1:
        return None
    return render_to_string("education_plans/_home.html", context, request=request)


def municipality(request, municipality):
    plans = _plans().visible_to(request.user).filter(municipality=municipality)
    may_create = services.may_create_plan(request.user, municipality)
    progress = sorted(progress_for(plans).values(), key=lambda p: p.plan.alis.last_name)
    candidates = list(services.alis_candidates(request.user, municipality)) if may_create else []
    if not progress and not candidates:
        return None
    context = {
        "municipality": municipality,
        "rows": progress,
        "candidates": candidates,
        "may_create": may_create,
    }
    return render_to_string("education_plans/_municipality.html", context, request=request)
