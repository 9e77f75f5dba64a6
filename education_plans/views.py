import datetime
import secrets
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alisvest.documents import document_response
from alisvest.history import change_history, timeline
from alisvest.pdf import pdf_response, render_pdf
from alisvest.redirects import safe_next
from alisvest.tabular import TableError, read_table
from education_plans import exports, rules, services
from education_plans.forms import (
    ActivityForm,
    AttestationDecisionForm,
    AttestationRequestForm,
    CatalogueImportForm,
    CatalogueMoveForm,
    GroupPeriodForm,
    PlanForm,
    PlanListFilter,
    ServicePeriodForm,
)
from education_plans.models import (
    ActivityKind,
    Attestation,
    Catalogue,
    EducationPlan,
    GroupSupervisionPeriod,
    LearningActivity,
    Objective,
    ServicePeriod,
    SupervisionRelationship,
)
from education_plans.progress import plan_progress, progress_for
from municipalities.models import Municipality

PLANS_PER_PAGE = 50
ACTIVITIES_PER_PAGE = 25
IMPORT_SESSION_KEY = "catalogue_import"

# Sorting the plan list: by a column of the plan in the database, or by a progress figure
# in Python after `progress_for` (constant queries whatever the number of plans).
DB_SORTS = {
    "name": ("alis__last_name", "alis__first_name"),
    "municipality": ("municipality__name", "alis__last_name"),
    "start": ("start_date", "alis__last_name"),
}
PROGRESS_SORTS = {
    "credited": lambda p: p.credited_months,
    "complete": lambda p: p.share_complete,
    "supervision": lambda p: p.supervision.done - p.supervision.target,
    "short": lambda p: p.months_short,
    "objectives": lambda p: p.objectives_done,
    "completion": lambda p: p.estimated_completion or datetime.date.max,
}


def _plans(user):
    return EducationPlan.objects.visible_to(user).select_related(
        "alis", "municipality", "education_leader", "alm_catalogue", "fkm_catalogue"
    )


def _plan(request, pk) -> EducationPlan:
    return get_object_or_404(_plans(request.user), pk=pk)


def _plan_of(request, alis_id) -> EducationPlan:
    return get_object_or_404(_plans(request.user), alis_id=alis_id)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _detail(plan, anchor="") -> str:
    url = reverse("education_plans:plan_detail", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(request, plan, form, *, title, intro="", multipart=False, extra=None):
    context = {
        "plan": plan,
        "form": form,
        "title": title,
        "intro": intro,
        "multipart": multipart,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        **(extra or {}),
    }
    return render(request, "education_plans/form.html", context)


def _permissions(user, plan) -> dict:
    scope = scope_for(user)
    return {
        "is_alis": scope.user_id == plan.alis_id,
        "can_administer": services.may_administer_plan(user, plan),
        "can_edit": services.may_edit_records(user, plan),
        "can_attest": services.may_attest(user, plan),
        "supervises": services.is_active_supervisor(user, plan.alis_id),
    }


# The list of plans in scope, with their progress


def _plan_rows(request):
    """The plans in the person's scope after the filter, sorted; progress only as needed."""
    plans = _plans(request.user)
    municipalities = Municipality.objects.filter(pk__in=plans.values("municipality_id")).order_by(
        "name"
    )
    form = PlanListFilter(request.GET or None, municipalities=municipalities)
    if form.is_valid():
        if form.cleaned_data["municipality"]:
            plans = plans.filter(municipality=form.cleaned_data["municipality"])
        for word in form.cleaned_data["q"].split():
            plans = plans.filter(
                Q(alis__first_name__icontains=word) | Q(alis__last_name__icontains=word)
            )
    order = request.GET.get("o", "name")
    key = order.lstrip("-")
    reverse_order = order.startswith("-")
    if key not in DB_SORTS and key not in PROGRESS_SORTS:
        key, reverse_order = "name", False
    return form, plans, key, reverse_order


def _sorted_progress(plans, key, reverse_order):
    """Every plan's progress, sorted by a progress figure."""
    progress = list(progress_for(plans).values())
    progress.sort(key=lambda p: (p.plan.alis.last_name, p.plan.alis.first_name))
    progress.sort(key=PROGRESS_SORTS[key], reverse=reverse_order)
    return progress


@login_required
def plan_list(request):
    form, plans, key, reverse_order = _plan_rows(request)
    if key in DB_SORTS:
        fields = DB_SORTS[key]
        plans = plans.order_by(*(f"-{f}" if reverse_order else f for f in fields))
        page_obj = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
        progress = progress_for(page_obj.object_list)
        rows = [progress[p.pk] for p in page_obj.object_list]
    else:
        page_obj = Paginator(_sorted_progress(plans, key, reverse_order), PLANS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = list(page_obj.object_list)
    scope = scope_for(request.user)
    context = {
        "filter": form,
        "page_obj": page_obj,
        "rows": rows,
        "can_create": scope.is_adviser or scope.is_manager,
        "can_import": services.may_import_catalogues(request.user),
    }
    return render(request, "education_plans/plan_list.html", context)


@login_required
def plan_list_export(request):
    _form, plans, key, reverse_order = _plan_rows(request)
    if key in DB_SORTS:
        fields = DB_SORTS[key]
        plans = plans.order_by(*(f"-{f}" if reverse_order else f for f in fields))
        progress = progress_for(plans)
        rows = list(progress.values())
    else:
        rows = _sorted_progress(plans, key, reverse_order)
    data = exports.progress_workbook(rows, on=timezone.localdate())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"utdanningsplaner-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_plan(request):
    plan = EducationPlan.objects.filter(alis=request.user).first()
    if plan is not None:
        return redirect("education_plans:plan_detail", plan.pk)
    return render(request, "education_plans/no_plan.html")


# The plan


@login_required
def plan_create(request):
    scope = scope_for(request.user)
    _require(scope.is_adviser or scope.is_manager)
    initial = {"alis": request.GET.get("alis")} if request.GET.get("alis") else {}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The education plan is made."))
            return redirect(_detail(plan))
    return _form_page(
        request,
        None,
        form,
        title=_("New education plan"),
        intro=_(
            "One plan per ALIS. The objective catalogues are the versions in force when the "
            "education started; the plan keeps them until it is moved to a new version."
        ),
    )


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    progress = plan_progress(plan)
    attestations = {
        a.objective_id: a
        for a in Attestation.objects.filter(plan=plan).select_related("objective__catalogue")
    }
    catalogue_ids = [c.pk for c in plan.catalogues]
    objectives = (
        Objective.objects.filter(catalogue_id__in=catalogue_ids)
        .select_related("catalogue")
        .annotate(activity_count=Count("activities", filter=Q(activities__alis_id=plan.alis_id)))
        .order_by("catalogue__kind", "theme", "code")
    )
    catalogues = defaultdict(lambda: defaultdict(list))
    for objective in objectives:
        objective.attestation = attestations.get(objective.pk)
        catalogues[objective.catalogue][objective.theme].append(objective)
    activities = (
        LearningActivity.objects.filter(alis_id=plan.alis_id)
        .select_related("confirmed_by")
        .prefetch_related("objectives")
    )
    context = {
        "plan": plan,
        "progress": progress,
        "periods": plan.service_periods.select_related("practice"),
        "supervisors": SupervisionRelationship.objects.filter(alis_id=plan.alis_id)
        .select_related("supervisor")
        .order_by("end_date", "-start_date"),
        "group_periods": GroupSupervisionPeriod.objects.filter(alis_id=plan.alis_id),
        "catalogues": [
            (
                catalogue,
                [
                    (theme, objectives, sum(_attested(o) for o in objectives))
                    for theme, objectives in themes.items()
                ],
            )
            for catalogue, themes in catalogues.items()
        ],
        "outside_catalogues": [
            a for a in attestations.values() if a.objective.catalogue_id not in catalogue_ids
        ],
        "activities": activities[:10],
        "activity_count": activities.count(),
        **_permissions(request.user, plan),
        **_row_context(request, plan),
    }
    return render(request, "education_plans/plan_detail.html", context)


def _attested(objective) -> bool:
    attestation = objective.attestation
    return attestation is not None and attestation.status == Attestation.Status.ATTESTED


@login_required
def plan_update(request, pk):
    plan = _plan(request, pk)
    _require(services.may_administer_plan(request.user, plan))
    initial = {
        "municipality": plan.municipality_id,
        "start_date": plan.start_date,
        "rule_set": plan.rule_set,
        "education_leader": plan.education_leader_id,
    }
    form = PlanForm(request.POST or None, user=request.user, plan=plan, initial=initial)
    if form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(_detail(plan))
    return _form_page(request, plan, form, title=_("Edit the plan"))


@login_required
def plan_history(request, pk):
    plan = _plan(request, pk)
    history = timeline(
        (EducationPlan.history.filter(id=plan.pk), lambda row: str(_("The plan"))),
        (
            ServicePeriod.history.filter(plan_id=plan.pk),
            lambda row: _("Service period: %(place)s") % {"place": row.place},
        ),
        (
            Attestation.history.filter(plan_id=plan.pk).select_related("objective"),
            lambda row: _("Attestation: %(code)s") % {"code": row.objective.code},
        ),
        (
            GroupSupervisionPeriod.history.filter(alis_id=plan.alis_id, source_key__isnull=True),
            lambda row: _("Group supervision: %(title)s") % {"title": row.title},
        ),
    )
    return render(request, "education_plans/plan_history.html", {"plan": plan, "history": history})


@login_required
def plan_progress_page(request, pk):
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "progress": plan_progress(plan),
        "notes": rules.interpretation_notes(),
        **_permissions(request.user, plan),
    }
    return render(request, "education_plans/plan_progress.html", context)


@login_required
def plan_pdf(request, pk):
    plan = _plan(request, pk)
    progress = plan_progress(plan)
    attestations = {a.objective_id: a for a in plan.attestations.select_related("decided_by")}
    objectives = list(
        Objective.objects.filter(catalogue__in=plan.catalogues)
        .select_related("catalogue")
        .order_by("catalogue__kind", "theme", "code")
    )
    for objective in objectives:
        objective.attestation = attestations.get(objective.pk)
    context = {
        "plan": plan,
        "progress": progress,
        "notes": rules.interpretation_notes(),
        "periods": plan.service_periods.all(),
        "supervisors": SupervisionRelationship.objects.filter(alis_id=plan.alis_id).select_related(
            "supervisor"
        ),
        "group_periods": GroupSupervisionPeriod.objects.filter(alis_id=plan.alis_id),
        "objectives": objectives,
        "activities": LearningActivity.objects.filter(alis_id=plan.alis_id)
        .select_related("confirmed_by")
        .prefetch_related("objectives")
        .order_by("date", "pk"),
        "today": timezone.localdate(),
        "now": timezone.localtime(),
    }
    pdf = render_pdf("pdf/education_plan.html", context, request=request)
    return pdf_response(pdf, f"utdanningsplan {plan.alis.get_full_name()}")


@login_required
def plan_catalogue_move(request, pk):
    """Choose a new version, see how the objectives map, then apply."""
    plan = _plan(request, pk)
    _require(services.may_administer_plan(request.user, plan))
    form = CatalogueMoveForm(request.POST or None, plan=plan)
    move = None
    if form.is_valid():
        catalogue = form.cleaned_data["catalogue"]
        try:
            if request.POST.get("apply") == "1":
                move = services.plan_catalogue_move(plan=plan, catalogue=catalogue, by=request.user)
                messages.success(
                    request,
                    _(
                        "The plan now uses %(catalogue)s. %(moved)s attestations followed their "
                        "code; %(unmatched)s objectives had no match."
                    )
                    % {
                        "catalogue": catalogue,
                        "moved": move.attestations_moved,
                        "unmatched": len(move.unmatched),
                    },
                )
                return redirect(_detail(plan, "objectives-h"))
            move = services.plan_catalogue_move_preview(plan=plan, catalogue=catalogue)
        except ValidationError as exc:
            form.add_error("catalogue", exc)
    context = {"plan": plan, "form": form, "move": move}
    return render(request, "education_plans/catalogue_move.html", context)


# Service periods


@login_required
def service_period_create(request, pk):
    plan = _plan(request, pk)
    _require(services.may_edit_records(request.user, plan))
    form = ServicePeriodForm(request.POST or None, plan=plan)
    if form.is_valid():
        try:
            services.service_period_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service period is added."))
            return redirect(_detail(plan, "periods-h"))
    return _form_page(request, plan, form, title=_("New service period"), intro=_period_intro())


def _period_intro():
    return _(
        "Periods may overlap (two part-time posts), but together never exceed 100 %. "
        "Leave is registered with the employment and is subtracted automatically."
    )


def _period(request, pk) -> ServicePeriod:
    return get_object_or_404(
        ServicePeriod.objects.visible_to(request.user).select_related(
            "plan__alis", "plan__municipality"
        ),
        pk=pk,
    )


@login_required
def service_period_update(request, pk):
    period = _period(request, pk)
    plan = period.plan
    _require(services.may_edit_records(request.user, plan))
    form = ServicePeriodForm(request.POST or None, instance=period, plan=plan)
    if form.is_valid():
        try:
            services.service_period_update(period=period, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service period is saved."))
            return redirect(_detail(plan, "periods-h"))
    return _form_page(request, plan, form, title=_("Edit service period"), intro=_period_intro())


@login_required
@require_POST
def service_period_delete(request, pk):
    period = _period(request, pk)
    services.service_period_remove(period=period, by=request.user)
    messages.success(request, _("The service period is removed."))
    return redirect(_detail(period.plan, "periods-h"))


# Group supervision entered by hand


@login_required
def group_period_create(request, pk):
    plan = _plan(request, pk)
    _require(services.may_edit_records(request.user, plan))
    form = GroupPeriodForm(request.POST or None)
    if form.is_valid():
        try:
            services.group_period_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The group supervision is added."))
            return redirect(_detail(plan, "groups-h"))
    return _form_page(
        request,
        plan,
        form,
        title=_("Group supervision outside the portal"),
        intro=_("Groups run in the portal are added here by themselves."),
    )


@login_required
@require_POST
def group_period_delete(request, pk):
    period = get_object_or_404(GroupSupervisionPeriod.objects.visible_to(request.user), pk=pk)
    plan = _plan_of(request, period.alis_id)
    services.group_period_remove(period=period, plan=plan, by=request.user)
    messages.success(request, _("The group supervision is removed."))
    return redirect(_detail(plan, "groups-h"))


# Learning activities


def _activity(request, pk) -> tuple[LearningActivity, EducationPlan]:
    activity = get_object_or_404(
        LearningActivity.objects.visible_to(request.user).select_related(
            "confirmed_by", "created_by"
        ),
        pk=pk,
    )
    return activity, _plan_of(request, activity.alis_id)


def _row_context(request, plan=None) -> dict:
    """What the activity rows need to offer their buttons."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    supervisees = set(
        SupervisionRelationship.objects.active(today)
        .filter(supervisor_id=scope.user_id)
        .values_list("alis_id", flat=True)
    )
    return {
        "user_id": scope.user_id,
        "supervisees": supervisees,
        "can_edit": plan is not None and services.may_edit_records(request.user, plan),
        "today": today,
    }


@login_required
def activity_list(request, pk):
    plan = _plan(request, pk)
    activities = (
        LearningActivity.objects.filter(alis_id=plan.alis_id)
        .select_related("confirmed_by")
        .prefetch_related("objectives")
    )
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in LearningActivity.Status.values:
        activities = activities.filter(status=status)
    elif status == "unconfirmed":
        activities = activities.filter(
            status=LearningActivity.Status.DONE, confirmed_at__isnull=True
        )
    if kind in ActivityKind.values:
        activities = activities.filter(kind=kind)
    page_obj = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "page_obj": page_obj,
        "status": status,
        "kind": kind,
        "kinds": ActivityKind.choices,
        "statuses": [
            *LearningActivity.Status.choices,
            ("unconfirmed", _("Waiting for confirmation")),
        ],
        **_row_context(request, plan),
    }
    return render(request, "education_plans/activity_list.html", context)


@login_required
def activity_create(request, pk):
    plan = _plan(request, pk)
    _require(services.may_edit_records(request.user, plan))
    initial = {}
    if request.GET.get("objective", "").isdigit():
        initial["objectives"] = [int(request.GET["objective"])]
    form = ActivityForm(request.POST or None, request.FILES or None, plan=plan, initial=initial)
    if form.is_valid():
        values = form.values()
        values.pop("remove_attachment")
        try:
            services.activity_create(plan=plan, by=request.user, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(safe_next(request, reverse("education_plans:activity_list", args=[pk])))
    return _activity_form(request, plan, form, title=_("New learning activity"))


def _activity_form(request, plan, form, *, title, activity=None):
    return _form_page(
        request,
        plan,
        form,
        title=title,
        multipart=True,
        extra={"activity": activity, "head": "education_plans"},
    )


@login_required
def activity_detail(request, pk):
    activity, plan = _activity(request, pk)
    context = {
        "plan": plan,
        "activity": activity,
        "objectives": activity.objectives.select_related("catalogue"),
        "history": change_history(activity),
        **_row_context(request, plan),
    }
    return render(request, "education_plans/activity_detail.html", context)


@login_required
def activity_update(request, pk):
    activity, plan = _activity(request, pk)
    _require(services.may_edit_records(request.user, plan) and not activity.is_external)
    was_confirmed = activity.confirmed_at is not None
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity, plan=plan)
    if form.is_valid():
        try:
            activity = services.activity_update(
                activity=activity, plan=plan, by=request.user, **form.values()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if was_confirmed and activity.confirmed_at is None:
                messages.warning(
                    request,
                    _("The activity is saved. The change withdrew the supervisor's confirmation."),
                )
            else:
                messages.success(request, _("The activity is saved."))
            return redirect("education_plans:activity_detail", activity.pk)
    return _activity_form(request, plan, form, title=_("Edit learning activity"), activity=activity)


@login_required
@require_POST
def activity_delete(request, pk):
    activity, plan = _activity(request, pk)
    try:
        services.activity_delete(activity=activity, plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("education_plans:activity_detail", activity.pk)
    messages.success(request, _("The activity is removed."))
    return redirect("education_plans:activity_list", plan.pk)


@login_required
def activity_attachment(request, pk):
    activity, _plan = _activity(request, pk)
    if not activity.attachment:
        raise Http404
    return document_response(
        activity.attachment, filename=slugify(activity.title) or "vedlegg", inline=True
    )


def _confirmation_changed(request, pk, change):
    activity, plan = _activity(request, pk)
    try:
        activity = change(activity=activity, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        context = {
            "activity": activity,
            "plan": plan,
            "show_alis": request.POST.get("show_alis") == "1",
            "next": request.POST.get("next", ""),
            **_row_context(request, plan),
        }
        return render(request, "education_plans/_activity_row.html", context)
    return redirect(safe_next(request, reverse("education_plans:activity_detail", args=[pk])))


@login_required
@require_POST
def activity_confirm(request, pk):
    return _confirmation_changed(request, pk, services.activity_confirm)


@login_required
@require_POST
def activity_unconfirm(request, pk):
    return _confirmation_changed(request, pk, services.activity_unconfirm)


@login_required
def confirmation_queue(request):
    """The supervisor's list: done activities of their supervisees waiting for confirmation."""
    activities = (
        LearningActivity.objects.awaiting_confirmation_by(request.user)
        .select_related("alis")
        .prefetch_related("objectives")
        .order_by("date", "pk")
    )
    page_obj = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "show_alis": True, **_row_context(request)}
    return render(request, "education_plans/confirmation_queue.html", context)


# Objectives and attestation


@login_required
def objective_detail(request, pk, objective_pk):
    plan = _plan(request, pk)
    attestation = (
        Attestation.objects.filter(plan=plan, objective_id=objective_pk)
        .select_related("decided_by")
        .first()
    )
    objective = get_object_or_404(
        Objective.objects.select_related("catalogue"),
        Q(catalogue__in=plan.catalogues) | Q(pk=attestation.objective_id if attestation else None),
        pk=objective_pk,
    )
    permissions = _permissions(request.user, plan)
    context = {
        "plan": plan,
        "objective": objective,
        "attestation": attestation,
        "activities": objective.activities.filter(alis_id=plan.alis_id)
        .select_related("confirmed_by")
        .prefetch_related("objectives"),
        "history": change_history(attestation) if attestation else [],
        "request_form": AttestationRequestForm(),
        "decision_form": AttestationDecisionForm(),
        "in_plan": objective.catalogue_id in {c.pk for c in plan.catalogues},
        **permissions,
        **_row_context(request, plan),
    }
    return render(request, "education_plans/objective_detail.html", context)


def _objective_url(attestation) -> str:
    return reverse(
        "education_plans:objective_detail", args=[attestation.plan_id, attestation.objective_id]
    )


@login_required
@require_POST
def attestation_request(request, pk, objective_pk):
    plan = _plan(request, pk)
    objective = get_object_or_404(Objective, catalogue__in=plan.catalogues, pk=objective_pk)
    form = AttestationRequestForm(request.POST)
    form.is_valid()
    try:
        services.attestation_request(
            plan=plan, objective=objective, by=request.user, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The education leader is asked to attest the objective."))
    return redirect("education_plans:objective_detail", plan.pk, objective.pk)


def _attestation(request, pk) -> Attestation:
    return get_object_or_404(
        Attestation.objects.visible_to(request.user).select_related(
            "plan__alis", "plan__municipality", "objective"
        ),
        pk=pk,
    )


def _attestation_step(request, pk, step, success):
    attestation = _attestation(request, pk)
    form = AttestationDecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if step is services.attestation_withdraw:
            step(attestation=attestation, by=request.user)
        else:
            step(attestation=attestation, by=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(safe_next(request, _objective_url(attestation)))


@login_required
@require_POST
def attestation_attest(request, pk):
    return _attestation_step(
        request, pk, services.attestation_attest, _("The objective is attested.")
    )


@login_required
@require_POST
def attestation_return(request, pk):
    return _attestation_step(
        request, pk, services.attestation_return, _("The request is returned to the ALIS.")
    )


@login_required
@require_POST
def attestation_recall(request, pk):
    return _attestation_step(
        request, pk, services.attestation_recall, _("The attestation is recalled.")
    )


@login_required
@require_POST
def attestation_withdraw(request, pk):
    return _attestation_step(
        request, pk, services.attestation_withdraw, _("The request is withdrawn.")
    )


@login_required
def attestation_queue(request):
    """The education leader's list: requests waiting for their decision."""
    waiting = (
        Attestation.objects.waiting_for(request.user)
        .select_related("plan__alis", "objective__catalogue")
        .order_by("requested_at")
    )
    page_obj = Paginator(waiting, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "education_plans/attestation_queue.html", {"page_obj": page_obj})


# Catalogues


def _require_catalogue_reader(request) -> None:
    if not services.may_read_catalogues(request.user):
        raise Http404


@login_required
def catalogue_list(request):
    _require_catalogue_reader(request)
    catalogues = Catalogue.objects.select_related("imported_by").annotate(
        objective_count=Count("objectives")
    )
    context = {
        "catalogues": catalogues,
        "today": timezone.localdate(),
        "can_import": services.may_import_catalogues(request.user),
    }
    return render(request, "education_plans/catalogue_list.html", context)


@login_required
def catalogue_detail(request, pk):
    _require_catalogue_reader(request)
    catalogue = get_object_or_404(Catalogue.objects.select_related("imported_by"), pk=pk)
    themes = defaultdict(list)
    for objective in catalogue.objectives.order_by("theme", "code"):
        themes[objective.theme].append(objective)
    context = {
        "catalogue": catalogue,
        "themes": dict(themes),
        "objective_count": sum(len(v) for v in themes.values()),
        "plan_count": EducationPlan.objects.filter(
            Q(alm_catalogue=catalogue) | Q(fkm_catalogue=catalogue)
        ).count(),
        "can_import": services.may_import_catalogues(request.user),
    }
    return render(request, "education_plans/catalogue_detail.html", context)


@login_required
def catalogue_import(request):
    """Upload a catalogue file and see what importing it would change; nothing is saved."""
    _require(services.may_import_catalogues(request.user))
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        request.session.pop(IMPORT_SESSION_KEY, None)
        options = {k: form.cleaned_data[k] for k in ("kind", "version", "valid_from", "valid_to")}
        try:
            rows = read_table(file, name=file.name)
            preview = services.catalogue_import_preview(rows=rows, **options)
        except TableError as exc:
            context["errors"] = exc.errors
        else:
            # The rows wait in the server-side session; the page carries only a token, and
            # applying checks every row again.
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "name": file.name,
                "rows": rows,
                "options": {
                    **options,
                    "valid_from": options["valid_from"] and options["valid_from"].isoformat(),
                    "valid_to": options["valid_to"] and options["valid_to"].isoformat(),
                },
            }
            context.update(preview=preview, token=token, file_name=file.name)
    return render(request, "education_plans/catalogue_import.html", context)


@login_required
@require_POST
def catalogue_import_apply(request):
    _require(services.may_import_catalogues(request.user))
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or not constant_time_compare(stored["token"], request.POST.get("token", "")):
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("education_plans:catalogue_import")
    del request.session[IMPORT_SESSION_KEY]
    options = dict(stored["options"])
    for key in ("valid_from", "valid_to"):
        options[key] = datetime.date.fromisoformat(options[key]) if options[key] else None
    try:
        result = services.catalogue_import(
            rows=[(line, row) for line, row in stored["rows"]],
            by=request.user,
            source_name=stored["name"],
            **options,
        )
    except TableError as exc:
        for error in exc.errors:
            messages.error(request, str(error))
        return redirect("education_plans:catalogue_import")
    messages.success(
        request,
        _(
            "%(catalogue)s: %(new)s objectives added, %(changed)s changed, %(removed)s removed, "
            "%(unchanged)s unchanged."
        )
        % {
            "catalogue": result.catalogue,
            "new": len(result.new),
            "changed": len(result.changed),
            "removed": len(result.removed),
            "unchanged": result.unchanged,
        },
    )
    return redirect("education_plans:catalogue_detail", result.catalogue.pk)
