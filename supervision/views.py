import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, RoleAssignment, User
from accounts.scope import scope_for
from alis_agreements.models import Employment
from alisvest.history import change_history
from education_plans.models import EducationPlan, SupervisionRelationship
from education_plans.progress import progress_for
from municipalities.models import Municipality, Region
from supervision import selectors, services
from supervision.filters import SupervisorFilter
from supervision.forms import (
    GroupForm,
    MeetingForm,
    MembershipForm,
    RelationshipChangeForm,
    RelationshipEndForm,
    RelationshipStartForm,
    SessionForm,
    SupervisorForm,
    SupervisorRegisterForm,
)
from supervision.models import (
    GroupMeeting,
    GroupMembership,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
)

PER_PAGE = 25


def _page(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _form_page(request, form, *, title, back, intro="", subtitle="", submit=None, danger=None):
    context = {
        "form": form,
        "title": title,
        "subtitle": subtitle,
        "intro": intro,
        "back": back,
        "submit": submit or _("Save"),
        "danger": danger,
    }
    return render(request, "supervision/form.html", context)


def _apply(form, call):
    """Call the service; a rule it enforces shows beside its field, the form unchanged."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def _require_office(request):
    """Capacity and the register's overviews: advisers and municipal managers."""
    scope = scope_for(request.user)
    if not (scope.region_ids or scope.managed_municipality_ids):
        raise Http404
    return scope


def _overview_municipalities(request):
    scope = _require_office(request)
    return Municipality.objects.visible_to(request.user).order_by("name"), scope


def _with_supervision(municipalities):
    """The municipalities with a supervisor in the register or an ALIS today."""
    today = timezone.localdate()
    return municipalities.filter(
        Q(pk__in=Supervisor.objects.active().values("municipality_id"))
        | Q(
            pk__in=RoleAssignment.objects.active(today)
            .filter(role=Role.ALIS)
            .values("municipality_id")
        )
        | Q(pk__in=Employment.objects.active(today).values("position__municipality_id"))
    )


# Capacity and the register


@login_required
def capacity(request):
    municipalities, scope = _overview_municipalities(request)
    show_all = request.GET.get("all") == "1"
    shown = municipalities if show_all else _with_supervision(municipalities)
    page_obj = _page(request, shown)
    rows, _total = selectors.capacity_by_municipality([m.pk for m in page_obj])
    _rows, total = selectors.capacity_by_municipality(municipalities.values_list("pk", flat=True))
    context = {
        "show_all": show_all,
        "hidden_count": municipalities.count() - page_obj.paginator.count,
        "page_obj": page_obj,
        "rows": [(m, rows[m.pk]) for m in page_obj],
        "total": total,
        "scope": scope,
        "is_region": bool(scope.region_ids),
    }
    return render(request, "supervision/capacity.html", context)


@login_required
def supervisor_list(request):
    _require_office(request)
    supervisors = (
        Supervisor.objects.visible_to(request.user)
        .with_load()
        .select_related("person", "municipality", "practice")
        .order_by("municipality__name", "person__last_name", "person__first_name")
    )
    filterset = SupervisorFilter(
        request.GET,
        queryset=supervisors,
        municipalities=Municipality.objects.visible_to(request.user).order_by("name"),
    )
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "can_register": Municipality.objects.editable_by(request.user).exists(),
    }
    return render(request, "supervision/supervisor_list.html", context)


@login_required
def pool(request):
    """Supervisors willing to take ALIS from other municipalities, with free places first."""
    _require_office(request)
    supervisors = (
        Supervisor.objects.visible_to(request.user)
        .active()
        .filter(in_pool=True)
        .with_load()
        .select_related("person", "municipality", "practice")
        .order_by("-free", "municipality__name", "person__last_name")
    )
    return render(request, "supervision/pool.html", {"page_obj": _page(request, supervisors)})


@login_required
def alis_overview(request):
    """Every ALIS of the person's municipalities with their strip: who is short this year."""
    municipalities, _scope = _overview_municipalities(request)
    page_obj = _page(request, selectors.alis_of(municipalities.values_list("pk", flat=True)))
    ids = [alis.pk for alis in page_obj]
    progress = {
        p.plan.alis_id: p
        for p in progress_for(EducationPlan.objects.filter(alis_id__in=ids)).values()
    }
    supervisors = {
        r.alis_id: r.supervisor
        for r in SupervisionRelationship.objects.active()
        .filter(alis_id__in=ids, kind=SupervisionRelationship.Kind.INDIVIDUAL)
        .select_related("supervisor")
    }
    context = {
        "page_obj": page_obj,
        "rows": [(a, progress.get(a.pk), supervisors.get(a.pk)) for a in page_obj],
    }
    return render(request, "supervision/alis_overview.html", context)


@login_required
def alis_without_supervisor(request):
    municipalities, _scope = _overview_municipalities(request)
    alis = selectors.alis_without_supervisor(municipalities.values_list("pk", flat=True))
    return render(
        request, "supervision/alis_without_supervisor.html", {"page_obj": _page(request, alis)}
    )


@login_required
def supervisor_create(request):
    municipalities = Municipality.objects.editable_by(request.user).order_by("name")
    if not municipalities.exists():
        raise Http404
    form = SupervisorRegisterForm(request.POST or None, municipalities=municipalities)
    if form.is_valid():
        supervisor = _apply(
            form,
            lambda: services.supervisor_register(
                by=request.user, **form.person(), data=form.values()
            ),
        )
        if supervisor:
            messages.success(
                request, _("%(p)s is added to the register.") % {"p": supervisor.person}
            )
            return redirect("supervision:supervisor_detail", supervisor.pk)
    return _form_page(
        request,
        form,
        title=_("Register a supervisor"),
        back=reverse("supervision:supervisor_list"),
        intro=_(
            "The person gets the supervisor role in the municipality. They can then keep "
            "their own entry up to date."
        ),
    )


def _supervisees(request, supervisor):
    """Whom the supervisor supervises today, as far as the viewer may see those ALIS."""
    return (
        SupervisionRelationship.objects.visible_to(request.user)
        .active()
        .filter(supervisor=supervisor.person)
        .select_related("alis")
        .order_by("alis__last_name", "alis__first_name")
    )


@login_required
def supervisor_detail(request, pk):
    supervisor = get_object_or_404(
        Supervisor.objects.visible_to(request.user)
        .with_load()
        .select_related("person", "municipality", "practice"),
        pk=pk,
    )
    context = {
        "supervisor": supervisor,
        "supervisees": _supervisees(request, supervisor),
        "can_edit": Supervisor.objects.editable_by(request.user).filter(pk=pk).exists(),
        "history": change_history(supervisor),
    }
    return render(request, "supervision/supervisor_detail.html", context)


def _profile_municipalities(request, supervisor):
    editable = Municipality.objects.editable_by(request.user)
    if supervisor.person_id == request.user.pk:
        editable = Municipality.objects.filter(
            Q(pk__in=editable.values("pk")) | Q(region_id=supervisor.municipality.region_id)
        )
    return editable.order_by("name")


@login_required
def supervisor_update(request, pk):
    supervisor = get_object_or_404(
        Supervisor.objects.visible_to(request.user).select_related("person", "municipality"),
        pk=pk,
    )
    if not Supervisor.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    form = SupervisorForm(
        request.POST or None,
        instance=supervisor,
        municipalities=_profile_municipalities(request, supervisor),
    )
    if form.is_valid():
        data = form.values()
        saved = _apply(
            form,
            lambda: services.supervisor_update(supervisor=supervisor, by=request.user, data=data),
        )
        if saved:
            messages.success(request, _("The register entry is saved."))
            return redirect("supervision:supervisor_detail", pk)
    return _form_page(
        request,
        form,
        title=_("Edit supervisor"),
        subtitle=str(supervisor.person),
        back=reverse("supervision:supervisor_detail", args=[pk]),
    )


@login_required
def my_profile(request):
    supervisor = Supervisor.objects.filter(person=request.user).first()
    if supervisor is None:
        raise Http404
    return redirect("supervision:supervisor_detail", supervisor.pk)


# An ALIS's supervision: the strip, the supervisors and the log


def _alis_for(request, pk) -> User:
    return get_object_or_404(selectors.visible_alis(request.user), pk=pk)


def _progress(alis):
    plan = EducationPlan.objects.filter(alis=alis).first()
    return progress_for([plan])[plan.pk] if plan else None


@login_required
def my_log(request):
    if not scope_for(request.user).has_role(Role.ALIS):
        raise Http404
    return redirect("supervision:alis_supervision", request.user.pk)


@login_required
def alis_supervision(request, pk):
    alis = _alis_for(request, pk)
    sessions = (
        SupervisionSession.objects.visible_to(request.user)
        .current()
        .filter(alis=alis)
        .select_related("supervisor")
        .order_by("-date", "-pk")
    )
    relationships = (
        SupervisionRelationship.objects.filter(alis=alis)
        .select_related("supervisor")
        .order_by("kind", "-start_date")
    )
    today = timezone.localdate()
    context = {
        "alis": alis,
        "progress": _progress(alis),
        "page_obj": _page(request, sessions),
        "relationships": relationships,
        "today": today,
        "this_month_minutes": sessions.in_month(today).minutes(),
        "pending_count": sessions.filter(signed_at__isnull=True).count(),
        "can_log": _can_log(request.user, alis),
        "can_manage": services.can_manage_supervision(request.user, alis),
        "memberships": GroupMembership.objects.filter(alis=alis)
        .filter(group__in=SupervisionGroup.objects.visible_to(request.user))
        .select_related("group"),
    }
    return render(request, "supervision/alis_supervision.html", context)


def _can_log(user, alis) -> bool:
    if user.pk == alis.pk:
        return True
    return (
        SupervisionRelationship.objects.active()
        .filter(alis=alis, supervisor=user, kind=SupervisionRelationship.Kind.INDIVIDUAL)
        .exists()
    )


def _session_form(request, alis, *, initial=None, correction=False, by_alis):
    return SessionForm(
        request.POST or None,
        initial=initial,
        supervisors=services.session_supervisor_choices(alis) if by_alis else None,
        objectives=services.objective_choices(alis),
        correction=correction,
    )


@login_required
def session_create(request, pk):
    alis = _alis_for(request, pk)
    if not _can_log(request.user, alis):
        raise PermissionDenied
    by_alis = request.user.pk == alis.pk
    initial = {}
    if by_alis:
        current = (
            SupervisionRelationship.objects.active()
            .filter(alis=alis, kind=SupervisionRelationship.Kind.INDIVIDUAL)
            .first()
        )
        initial["supervisor"] = current.supervisor_id if current else None
    form = _session_form(request, alis, initial=initial, by_alis=by_alis)
    if form.is_valid():
        data = form.values()
        sign = not by_alis and "sign" in request.POST
        session = _apply(
            form,
            lambda: services.session_record(
                alis=alis,
                supervisor=data.pop("supervisor", request.user),
                by=request.user,
                sign=sign,
                **data,
            ),
        )
        if session:
            messages.success(
                request,
                _("The session is signed.")
                if sign
                else _("The session is logged and waits for the supervisor's signature."),
            )
            return redirect("supervision:alis_supervision", alis.pk)
    context = {
        "form": form,
        "alis": alis,
        "by_alis": by_alis,
        "has_supervisor": not by_alis or form.fields["supervisor"].queryset.exists(),
    }
    return render(request, "supervision/session_form.html", context)


def _session_for(request, pk) -> SupervisionSession:
    return get_object_or_404(
        SupervisionSession.objects.visible_to(request.user).select_related(
            "alis", "supervisor", "recorded_by"
        ),
        pk=pk,
    )


def _versions(session):
    """The session's chain, newest first."""
    newest = session
    while True:
        later = SupervisionSession.objects.filter(replaces=newest).first()
        if later is None:
            break
        newest = later
    chain, version = [], newest
    while version is not None:
        chain.append(version)
        version = (
            SupervisionSession.objects.select_related("supervisor", "recorded_by")
            .filter(pk=version.replaces_id)
            .first()
        )
    return chain


@login_required
def session_detail(request, pk):
    session = _session_for(request, pk)
    versions = _versions(session)
    context = {
        "session": session,
        "objectives": session.objectives.select_related("catalogue"),
        "notes_readable": session.notes_readable_by(request.user),
        "is_party": session.is_party(request.user),
        "is_supervisor": request.user.pk == session.supervisor_id,
        "versions": [(v, v.notes_readable_by(request.user)) for v in versions],
        "current": next((v for v in versions if v.is_current), None),
        "history": change_history(session, hidden=("private_notes",)),
    }
    return render(request, "supervision/session_detail.html", context)


def _session_initial(session) -> dict:
    return {
        "date": session.date,
        "supervisor": session.supervisor_id,
        "minutes": session.minutes,
        "topics": session.topics,
        "objectives": list(session.objectives.values_list("pk", flat=True)),
        "private_notes": session.private_notes,
    }


@login_required
def session_update(request, pk):
    session = _session_for(request, pk)
    if not session.is_party(request.user):
        raise PermissionDenied
    if session.is_signed or not session.is_current:
        messages.info(request, _("A signed session is locked. Record a correction instead."))
        return redirect("supervision:session_detail", pk)
    by_alis = request.user.pk == session.alis_id
    form = _session_form(request, session.alis, initial=_session_initial(session), by_alis=by_alis)
    if form.is_valid():
        data = form.values()
        if _apply(form, lambda: services.session_update(session=session, by=request.user, **data)):
            messages.success(request, _("The session is saved."))
            return redirect("supervision:session_detail", pk)
    context = {"form": form, "alis": session.alis, "session": session, "by_alis": by_alis}
    return render(request, "supervision/session_form.html", context)


@login_required
def session_correct(request, pk):
    session = _session_for(request, pk)
    if not session.is_party(request.user):
        raise PermissionDenied
    if not (session.is_signed and session.is_current):
        return redirect("supervision:session_detail", pk)
    by_alis = request.user.pk == session.alis_id
    form = _session_form(
        request,
        session.alis,
        initial=_session_initial(session),
        correction=True,
        by_alis=by_alis,
    )
    if form.is_valid():
        data = form.values()
        correction = _apply(
            form, lambda: services.session_correct(session=session, by=request.user, **data)
        )
        if correction:
            messages.success(
                request,
                _("The correction is saved and waits for the supervisor's signature."),
            )
            return redirect("supervision:session_detail", correction.pk)
    context = {
        "form": form,
        "alis": session.alis,
        "session": session,
        "by_alis": by_alis,
        "correction": True,
    }
    return render(request, "supervision/session_form.html", context)


@login_required
@require_POST
def session_delete(request, pk):
    session = _session_for(request, pk)
    if not session.is_party(request.user):
        raise PermissionDenied
    try:
        previous = services.session_delete(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:session_detail", pk)
    if previous is not None:
        messages.success(request, _("The correction is withdrawn; the signed version applies."))
        return redirect("supervision:session_detail", previous.pk)
    messages.success(request, _("The session is deleted."))
    return redirect("supervision:alis_supervision", session.alis_id)


@login_required
@require_POST
def session_sign(request, pk):
    session = _session_for(request, pk)
    if request.user.pk != session.supervisor_id:
        raise PermissionDenied
    try:
        services.session_sign(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Signed: %(alis)s, %(date)s.")
            % {"alis": session.alis, "date": session.date.strftime("%d.%m.%Y")},
        )
    if request.POST.get("next") == "queue":
        return redirect("supervision:sign_queue")
    return redirect("supervision:session_detail", pk)


@login_required
def sign_queue(request):
    """ "Sign and next": the supervisor reads each waiting session and signs it, one at a
    time. Skipping moves on without signing; there is no sign-all."""
    waiting = SupervisionSession.objects.waiting_for(request.user)
    ids = list(waiting.values_list("pk", flat=True))
    if not ids and not scope_for(request.user).has_role(Role.SUPERVISOR):
        raise Http404
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    position = ids.index(after) + 1 if after in ids else 0
    if position >= len(ids):
        position = 0
    session = None
    if ids:
        session = waiting.select_related("alis", "recorded_by").get(pk=ids[position])
    context = {
        "session": session,
        "objectives": session.objectives.select_related("catalogue") if session else [],
        "position": position + 1,
        "count": len(ids),
        "has_more": len(ids) > 1,
    }
    return render(request, "supervision/sign_queue.html", context)


@login_required
def my_supervisees(request):
    relationships = (
        SupervisionRelationship.objects.active()
        .filter(supervisor=request.user)
        .select_related("alis")
        .order_by("alis__last_name", "alis__first_name")
    )
    if not relationships.exists() and not scope_for(request.user).has_role(Role.SUPERVISOR):
        raise Http404
    page_obj = _page(request, relationships)
    alis_ids = [r.alis_id for r in page_obj]
    plans = EducationPlan.objects.filter(alis_id__in=alis_ids)
    progress = {p.plan.alis_id: p for p in progress_for(plans).values()}
    waiting = dict(
        SupervisionSession.objects.waiting_for(request.user)
        .filter(alis_id__in=alis_ids)
        .order_by()
        .values("alis_id")
        .annotate(n=Count("pk"))
        .values_list("alis_id", "n")
    )
    context = {
        "page_obj": page_obj,
        "rows": [(r, progress.get(r.alis_id), waiting.get(r.alis_id, 0)) for r in page_obj],
        "waiting_total": SupervisionSession.objects.waiting_for(request.user).count(),
    }
    return render(request, "supervision/my_supervisees.html", context)


@login_required
def session_export(request, pk):
    """The ALIS's log as a spreadsheet: private notes only for the ALIS and, for their own
    sessions, the supervisor."""
    from openpyxl import Workbook

    alis = _alis_for(request, pk)
    sessions = (
        SupervisionSession.objects.visible_to(request.user)
        .current()
        .filter(alis=alis)
        .select_related("supervisor")
        .prefetch_related("objectives")
        .order_by("date", "pk")
    )
    with_notes = request.user.pk == alis.pk or sessions.filter(supervisor=request.user).exists()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Supervision")[:31]
    header = [
        _("Date"),
        _("Minutes"),
        _("Hours"),
        _("Supervisor"),
        _("Topics"),
        _("Learning objectives"),
        _("Signed"),
        _("Version"),
    ]
    if with_notes:
        header.append(_("Private notes"))
    sheet.append(header)
    for s in sessions:
        row = [
            s.date,
            s.minutes,
            round(float(s.hours), 2),
            str(s.supervisor),
            s.topics,
            ", ".join(o.code for o in s.objectives.all()),
            timezone.localtime(s.signed_at).replace(tzinfo=None) if s.signed_at else "",
            s.version,
        ]
        if with_notes:
            row.append(s.private_notes if s.notes_readable_by(request.user) else "")
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"veiledning-{alis.last_name or alis.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Relationships


@login_required
def relationship_create(request, pk):
    alis = _alis_for(request, pk)
    if not services.can_manage_supervision(request.user, alis):
        raise PermissionDenied
    form = RelationshipStartForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        relationship = _apply(
            form,
            lambda: services.relationship_start(
                alis=alis,
                supervisor=data["supervisor"].person,
                kind=data["kind"],
                start_date=data["start_date"],
                by=request.user,
            ),
        )
        if relationship:
            _capacity_warning(request, data["supervisor"])
            messages.success(
                request,
                _("%(s)s is %(alis)s's %(kind)s from %(date)s.")
                % {
                    "s": relationship.supervisor,
                    "alis": alis,
                    "kind": relationship.get_kind_display().lower(),
                    "date": relationship.start_date.strftime("%d.%m.%Y"),
                },
            )
            return redirect("supervision:alis_supervision", alis.pk)
    return _form_page(
        request,
        form,
        title=_("Assign a supervisor"),
        subtitle=str(alis),
        back=reverse("supervision:alis_supervision", args=[alis.pk]),
        intro=_(
            "Choose from the supervisor register: your municipality's supervisors and the "
            "pool of supervisors who take ALIS from other municipalities."
        ),
    )


def _capacity_warning(request, supervisor):
    if supervisor.load + 1 > supervisor.capacity:
        messages.warning(
            request,
            _("%(s)s now supervises more ALIS than the capacity in the register (%(c)s).")
            % {"s": supervisor.person, "c": supervisor.capacity},
        )


def _relationship_for(request, pk):
    relationship = get_object_or_404(
        SupervisionRelationship.objects.visible_to(request.user).select_related(
            "alis", "supervisor"
        ),
        pk=pk,
    )
    if not services.can_manage_supervision(request.user, relationship.alis):
        raise PermissionDenied
    return relationship


@login_required
def relationship_change(request, pk):
    relationship = _relationship_for(request, pk)
    form = RelationshipChangeForm(request.POST or None, user=request.user, current=relationship)
    if form.is_valid():
        data = form.cleaned_data
        new = _apply(
            form,
            lambda: services.relationship_change(
                relationship=relationship,
                supervisor=data["supervisor"].person,
                start_date=data["start_date"],
                by=request.user,
            ),
        )
        if new:
            _capacity_warning(request, data["supervisor"])
            messages.success(
                request,
                _("%(s)s takes over from %(date)s; the history is kept.")
                % {"s": new.supervisor, "date": new.start_date.strftime("%d.%m.%Y")},
            )
            return redirect("supervision:alis_supervision", relationship.alis_id)
    return _form_page(
        request,
        form,
        title=_("Change supervisor"),
        subtitle=_("%(alis)s – now %(s)s (%(kind)s)")
        % {
            "alis": relationship.alis,
            "s": relationship.supervisor,
            "kind": relationship.get_kind_display().lower(),
        },
        back=reverse("supervision:alis_supervision", args=[relationship.alis_id]),
    )


@login_required
def relationship_end(request, pk):
    relationship = _relationship_for(request, pk)
    form = RelationshipEndForm(request.POST or None)
    if form.is_valid():
        if _apply(
            form,
            lambda: services.relationship_end(
                relationship=relationship,
                end_date=form.cleaned_data["end_date"],
                by=request.user,
            ),
        ):
            messages.success(request, _("The relationship is ended; the history is kept."))
            return redirect("supervision:alis_supervision", relationship.alis_id)
    return _form_page(
        request,
        form,
        title=_("End supervision"),
        subtitle=f"{relationship.supervisor} → {relationship.alis}",
        back=reverse("supervision:alis_supervision", args=[relationship.alis_id]),
        submit=_("End"),
    )


# Supervision groups


def _group_for(request, pk) -> SupervisionGroup:
    return get_object_or_404(
        SupervisionGroup.objects.visible_to(request.user).select_related("leader", "region"),
        pk=pk,
    )


def _advises(request, group) -> bool:
    return group.region_id in scope_for(request.user).region_ids


@login_required
def group_list(request):
    scope = scope_for(request.user)
    groups = (
        SupervisionGroup.objects.visible_to(request.user)
        .select_related("leader")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=timezone.localdate())
                & (
                    Q(memberships__end_date__isnull=True)
                    | Q(memberships__end_date__gte=timezone.localdate())
                ),
                distinct=True,
            )
        )
        .order_by("-start_date", "name")
    )
    context = {"page_obj": _page(request, groups), "can_create": bool(scope.region_ids)}
    return render(request, "supervision/group_list.html", context)


@login_required
def group_create(request):
    region = Region.objects.filter(pk__in=scope_for(request.user).region_ids).order_by("pk").first()
    if region is None:
        raise Http404
    form = GroupForm(
        request.POST or None, leaders=services.group_leader_choices(region), region=region
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        group = _apply(form, lambda: services.group_create(by=request.user, region=region, **data))
        if group:
            messages.success(request, _("The group is created. Add its members."))
            return redirect("supervision:group_detail", group.pk)
    return _form_page(
        request,
        form,
        title=_("New supervision group"),
        back=reverse("supervision:group_list"),
    )


@login_required
def group_detail(request, pk):
    group = _group_for(request, pk)
    memberships = list(group.memberships.select_related("alis").order_by("start_date", "pk"))
    meetings = group.meetings.annotate(
        present_count=Count("attendances", filter=Q(attendances__present=True))
    ).order_by("-date", "-pk")
    page_obj = _page(request, meetings)
    context = {
        "group": group,
        "municipalities": group.municipalities.all(),
        "memberships": memberships,
        "today": timezone.localdate(),
        "page_obj": page_obj,
        "meetings": [(m, m.notes_readable_by(request.user, memberships)) for m in page_obj],
        "advises": _advises(request, group),
        "leads": request.user.pk == group.leader_id,
        "history": change_history(group),
    }
    return render(request, "supervision/group_detail.html", context)


@login_required
def group_update(request, pk):
    group = _group_for(request, pk)
    if not _advises(request, group):
        raise PermissionDenied
    form = GroupForm(
        request.POST or None,
        instance=group,
        leaders=services.group_leader_choices(group.region),
        region=group.region,
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        if _apply(form, lambda: services.group_update(group=group, by=request.user, data=data)):
            messages.success(request, _("The group is saved."))
            return redirect("supervision:group_detail", pk)
    return _form_page(
        request,
        form,
        title=_("Edit group"),
        subtitle=group.name,
        back=reverse("supervision:group_detail", args=[pk]),
    )


@login_required
def membership_create(request, pk):
    group = _group_for(request, pk)
    if not _advises(request, group):
        raise PermissionDenied
    form = MembershipForm(
        request.POST or None,
        members=services.member_choices(request.user, group.region).order_by(
            "last_name", "first_name"
        ),
        initial={"start_date": max(group.start_date, timezone.localdate())},
    )
    if form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.membership_add(group=group, by=request.user, **data),
        ):
            messages.success(request, _("%(p)s is added to the group.") % {"p": data["alis"]})
            return redirect("supervision:group_detail", pk)
    return _form_page(
        request,
        form,
        title=_("Add a member"),
        subtitle=group.name,
        back=reverse("supervision:group_detail", args=[pk]),
        intro=_("The membership counts as group supervision in the ALIS's education plan."),
    )


def _membership_for(request, pk) -> GroupMembership:
    membership = get_object_or_404(
        GroupMembership.objects.filter(
            group__in=SupervisionGroup.objects.visible_to(request.user)
        ).select_related("group__region", "alis"),
        pk=pk,
    )
    if not _advises(request, membership.group):
        raise PermissionDenied
    return membership


@login_required
def membership_update(request, pk):
    membership = _membership_for(request, pk)
    form = MembershipForm(
        request.POST or None,
        initial={"start_date": membership.start_date, "end_date": membership.end_date},
    )
    if form.is_valid():
        if _apply(
            form,
            lambda: services.membership_update(
                membership=membership, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The membership is saved."))
            return redirect("supervision:group_detail", membership.group_id)
    return _form_page(
        request,
        form,
        title=_("Change membership"),
        subtitle=f"{membership.alis} – {membership.group}",
        back=reverse("supervision:group_detail", args=[membership.group_id]),
        intro=_("A member who leaves gets an end date; the time in the group is kept."),
        danger=reverse("supervision:membership_delete", args=[pk]),
    )


@login_required
@require_POST
def membership_delete(request, pk):
    membership = _membership_for(request, pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:membership_update", pk)
    messages.success(request, _("The membership is removed."))
    return redirect("supervision:group_detail", membership.group_id)


def _members(group):
    """Everyone who has been a member, for the attendance list."""
    return User.objects.filter(pk__in=group.memberships.values("alis_id")).order_by(
        "last_name", "first_name"
    )


@login_required
def meeting_create(request, pk):
    group = _group_for(request, pk)
    if request.user.pk != group.leader_id:
        raise PermissionDenied
    members = _members(group)
    active = group.memberships.active().values_list("alis_id", flat=True)
    form = MeetingForm(
        request.POST or None, members=members, initial={"present": [str(a) for a in active]}
    )
    if form.is_valid():
        data = form.values()
        meeting = _apply(
            form, lambda: services.meeting_record(group=group, by=request.user, **data)
        )
        if meeting:
            messages.success(request, _("The meeting and its attendance are saved."))
            return redirect("supervision:group_detail", pk)
    return _form_page(
        request,
        form,
        title=_("Record a group meeting"),
        subtitle=group.name,
        back=reverse("supervision:group_detail", args=[pk]),
    )


def _meeting_for(request, pk) -> GroupMeeting:
    return get_object_or_404(
        GroupMeeting.objects.filter(
            group__in=SupervisionGroup.objects.visible_to(request.user)
        ).select_related("group__leader"),
        pk=pk,
    )


@login_required
def meeting_detail(request, pk):
    meeting = _meeting_for(request, pk)
    readable = meeting.notes_readable_by(request.user)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "attendances": meeting.attendances.select_related("alis"),
        "notes_readable": readable,
        "leads": request.user.pk == meeting.group.leader_id,
        "history": change_history(meeting, hidden=() if readable else ("notes",)),
    }
    return render(request, "supervision/meeting_detail.html", context)


@login_required
def meeting_update(request, pk):
    meeting = _meeting_for(request, pk)
    if request.user.pk != meeting.group.leader_id:
        raise PermissionDenied
    present = meeting.attendances.filter(present=True).values_list("alis_id", flat=True)
    form = MeetingForm(
        request.POST or None,
        members=_members(meeting.group),
        initial={
            "date": meeting.date,
            "minutes": meeting.minutes,
            "topics": meeting.topics,
            "notes": meeting.notes,
            "present": [str(a) for a in present],
        },
    )
    if form.is_valid():
        data = form.values()
        if _apply(form, lambda: services.meeting_update(meeting=meeting, by=request.user, **data)):
            messages.success(request, _("The meeting is saved."))
            return redirect("supervision:meeting_detail", pk)
    return _form_page(
        request,
        form,
        title=_("Edit group meeting"),
        subtitle=meeting.group.name,
        back=reverse("supervision:meeting_detail", args=[pk]),
        danger=reverse("supervision:meeting_delete", args=[pk]),
    )


@login_required
@require_POST
def meeting_delete(request, pk):
    meeting = _meeting_for(request, pk)
    if request.user.pk != meeting.group.leader_id:
        raise PermissionDenied
    services.meeting_delete(meeting=meeting, by=request.user)
    messages.success(request, _("The meeting is deleted."))
    return redirect("supervision:group_detail", meeting.group_id)
