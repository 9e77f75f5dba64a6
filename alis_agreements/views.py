"""Positions, ALIS and their employments, agreements, templates, measure types and grants.

Every object is fetched through `visible_to(user)` (outside it: 404). Seeing is not changing:
an ALIS reads their own agreement, and a write by someone who only reads it is a 403.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.scope import scope_for
from alis_agreements import grants, services
from alis_agreements.exports import grant_summary_workbook
from alis_agreements.filters import AgreementFilter, EmploymentFilter, PositionFilter
from alis_agreements.forms import (
    AgreementForm,
    EmploymentRecordForm,
    EndForm,
    GrantSchemeForm,
    GrantSummaryForm,
    GrantTableForm,
    LeaveForm,
    MeasureTypeForm,
    PositionForm,
    ScanForm,
    SignForm,
    TemplateForm,
    measure_formset,
    rate_formset,
)
from alis_agreements.models import (
    ENDING_SOON_DAYS,
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    AgreementTemplate,
    Element,
    Employment,
    GrantScheme,
    GrantTable,
    Leave,
    MeasureType,
    Position,
    TemplateKind,
    TemplateVersion,
)
from alis_agreements.sandbox import ALLOWED_FILTERS, ALLOWED_TAGS, FIELD_SETS, SandboxError
from alisvest.documents import document_response, sha256_of_file
from alisvest.history import change_history
from alisvest.pdf import pdf_response
from municipalities.models import Municipality

PER_PAGE = 25


def _add_errors(form, exc: ValidationError) -> None:
    """A service's error beside the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _require_editor(request, municipality) -> None:
    """Seen but not theirs to change (an ALIS and their own agreement): 403."""
    if not scope_for(request.user).can_manage_municipality(municipality):
        raise PermissionDenied


def _require_adviser(request) -> None:
    if not scope_for(request.user).is_adviser:
        raise Http404


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _form_page(request, form, *, title, back, intro="", subtitle="", enctype=False, danger=False):
    context = {
        "form": form,
        "title": title,
        "back": back,
        "intro": intro,
        "subtitle": subtitle,
        "multipart": enctype,
        "danger": danger,
    }
    return render(request, "alis_agreements/form.html", context)


# Positions


@login_required
def position_list(request):
    positions = (
        Position.objects.visible_to(request.user)
        .select_related("municipality", "practice")
        .annotate(
            current_alis=Count(
                "employments",
                filter=Q(employments__start_date__lte=timezone.localdate())
                & (
                    Q(employments__end_date__isnull=True)
                    | Q(employments__end_date__gte=timezone.localdate())
                ),
            )
        )
        .order_by("municipality__name", "title")
    )
    filterset = PositionFilter(request.GET, queryset=positions, request=request)
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "can_create": Municipality.objects.editable_by(request.user).exists(),
    }
    template = "alis_agreements/position_list.html"
    if request.htmx and request.htmx.target == "position-table":
        template = "alis_agreements/_position_table.html"
    return render(request, template, context)


@login_required
def position_detail(request, pk):
    position = get_object_or_404(
        Position.objects.visible_to(request.user).select_related("municipality", "practice"), pk=pk
    )
    employments = (
        Employment.objects.visible_to(request.user)
        .filter(position=position)
        .select_related("alis")
        .prefetch_related("leaves")
        .order_by("-start_date")
    )
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(employment__position=position)
        .with_dates()
        .select_related("employment__alis")
    )
    context = {
        "position": position,
        "employments": employments,
        "agreements": agreements,
        "today": timezone.localdate(),
        "can_edit": scope_for(request.user).can_manage_municipality(position.municipality),
        "history": change_history(position),
    }
    return render(request, "alis_agreements/position_detail.html", context)


@login_required
def position_create(request):
    initial = {}
    number = request.GET.get("kommune")
    if number:
        initial["municipality"] = (
            Municipality.objects.editable_by(request.user).filter(number=number).first()
        )
    form = PositionForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["municipality"].queryset.exists():
        raise Http404
    if form.is_valid():
        try:
            position = services.position_create(
                municipality=form.cleaned_data["municipality"],
                by=request.user,
                **form.position_data(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The position is registered."))
            return redirect("alis_agreements:position_detail", position.pk)
    return _form_page(
        request, form, title=_("New ALIS position"), back=reverse("alis_agreements:position_list")
    )


@login_required
def position_update(request, pk):
    position = get_object_or_404(
        Position.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    _require_editor(request, position.municipality)
    form = PositionForm(request.POST or None, instance=position, user=request.user)
    if form.is_valid():
        try:
            services.position_update(position=position, by=request.user, **form.position_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The position is saved."))
            return redirect("alis_agreements:position_detail", position.pk)
    return _form_page(
        request,
        form,
        title=_("Edit position"),
        subtitle=f"{position.title} · {position.municipality}",
        back=reverse("alis_agreements:position_detail", args=[position.pk]),
    )


# ALIS and employments


def _current_agreement_status():
    latest = Agreement.objects.filter(employment=OuterRef("pk")).order_by("-version")
    return {
        "agreement_status": Subquery(latest.values("status")[:1]),
        "agreement_pk": Subquery(latest.values("pk")[:1]),
    }


@login_required
def employment_list(request):
    employments = (
        Employment.objects.visible_to(request.user)
        .select_related("alis", "position__municipality")
        .annotate(**_current_agreement_status())
        .annotate(
            ending_soon=Exists(Agreement.objects.ending_within().filter(employment=OuterRef("pk")))
        )
        .order_by("alis__last_name", "alis__first_name", "-start_date")
    )
    filterset = EmploymentFilter(request.GET, queryset=employments, request=request)
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "today": timezone.localdate(),
        "statuses": dict(AgreementStatus.choices),
    }
    template = "alis_agreements/employment_list.html"
    if request.htmx and request.htmx.target == "employment-table":
        template = "alis_agreements/_employment_table.html"
    return render(request, template, context)


@login_required
def employment_create(request, pk):
    position = get_object_or_404(
        Position.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    _require_editor(request, position.municipality)
    form = EmploymentRecordForm(
        request.POST or None,
        user=request.user,
        initial={"start_date": position.start_date, "percentage": 100},
    )
    if form.is_valid():
        try:
            employment, registered = services.alis_employ(
                position=position,
                by=request.user,
                alis=form.cleaned_data.get("alis"),
                new_alis=form.new_alis,
                **form.employment_data(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if registered:
                messages.success(
                    request,
                    _("%(name)s is registered as ALIS and employed in the position.")
                    % {"name": employment.alis},
                )
            else:
                messages.success(request, _("The employment is registered."))
            return redirect("alis_agreements:employment_detail", employment.pk)
    return render(
        request, "alis_agreements/employment_form.html", {"form": form, "position": position}
    )


def _employment(request, pk):
    return get_object_or_404(
        Employment.objects.visible_to(request.user).select_related(
            "alis", "position__municipality", "position__practice"
        ),
        pk=pk,
    )


@login_required
def employment_detail(request, pk):
    employment = _employment(request, pk)
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(employment=employment)
        .with_dates()
        .order_by("-version")
    )
    context = {
        "employment": employment,
        "leaves": employment.leaves.all(),
        "agreements": agreements,
        "open_agreement": next((a for a in agreements if a.is_open), None),
        "signed_agreement": next(
            (a for a in agreements if a.status == AgreementStatus.SIGNED), None
        ),
        "can_edit": scope_for(request.user).can_manage_municipality(
            employment.position.municipality
        ),
        "today": timezone.localdate(),
        "history": change_history(employment),
    }
    return render(request, "alis_agreements/employment_detail.html", context)


@login_required
def employment_update(request, pk):
    employment = _employment(request, pk)
    _require_editor(request, employment.position.municipality)
    form = EmploymentRecordForm(request.POST or None, employment=employment)
    if form.is_valid():
        try:
            services.employment_update(
                employment=employment, by=request.user, **form.employment_data()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The employment is saved."))
            return redirect("alis_agreements:employment_detail", employment.pk)
    return _form_page(
        request,
        form,
        title=_("Edit employment"),
        subtitle=f"{employment.alis} · {employment.position}",
        intro=_(
            "When the ALIS leaves, give the last day: agreements end with the employment. A move "
            "to another position is a new employment."
        ),
        back=reverse("alis_agreements:employment_detail", args=[employment.pk]),
    )


@login_required
def alis_detail(request, pk):
    """One ALIS's timeline across municipalities, as far as the person may see it."""
    employments = (
        Employment.objects.visible_to(request.user)
        .filter(alis_id=pk)
        .select_related("position__municipality", "position__practice")
        .prefetch_related(
            "leaves",
            Prefetch(
                "agreements",
                Agreement.objects.visible_to(request.user)
                .with_dates()
                .select_related("employment")
                .order_by("-version"),
            ),
        )
        .order_by("start_date")
    )
    if not employments:
        raise Http404
    alis = get_object_or_404(User, pk=pk)
    context = {"alis": alis, "employments": employments, "today": timezone.localdate()}
    return render(request, "alis_agreements/alis_detail.html", context)


# Leave


def _leave_form(request, employment, leave=None):
    form = LeaveForm(request.POST or None, instance=leave)
    if form.is_valid():
        try:
            services.leave_save(
                employment=employment,
                by=request.user,
                leave=leave,
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The leave is saved."))
            return redirect("alis_agreements:employment_detail", employment.pk)
    return _form_page(
        request,
        form,
        title=_("Edit leave") if leave else _("New leave"),
        subtitle=f"{employment.alis} · {employment.position}",
        intro=_(
            "Leave stretches the five years of an agreement, and no grant is estimated for it."
        ),
        back=reverse("alis_agreements:employment_detail", args=[employment.pk]),
    )


@login_required
def leave_create(request, pk):
    employment = _employment(request, pk)
    _require_editor(request, employment.position.municipality)
    return _leave_form(request, employment)


def _leave(request, pk):
    return get_object_or_404(
        Leave.objects.visible_to(request.user).select_related(
            "employment__alis", "employment__position__municipality"
        ),
        pk=pk,
    )


@login_required
def leave_update(request, pk):
    leave = _leave(request, pk)
    _require_editor(request, leave.employment.position.municipality)
    return _leave_form(request, leave.employment, leave)


@login_required
@require_POST
def leave_delete(request, pk):
    leave = _leave(request, pk)
    _require_editor(request, leave.employment.position.municipality)
    employment = leave.employment
    services.leave_delete(leave=leave, by=request.user)
    messages.success(request, _("The leave is deleted."))
    return redirect("alis_agreements:employment_detail", employment.pk)


# Agreements


@login_required
def agreement_list(request):
    agreements = (
        Agreement.objects.visible_to(request.user)
        .with_dates()
        .select_related("employment__alis", "employment__position__municipality")
        .order_by("ends_on", "pk")
    )
    filterset = AgreementFilter(request.GET, queryset=agreements, request=request)
    today = timezone.localdate()
    context = {
        "filter": filterset,
        "page_obj": _page(request, filterset.qs),
        "today": today,
        "soon": today + datetime.timedelta(days=ENDING_SOON_DAYS),
        "is_adviser": scope_for(request.user).is_adviser,
    }
    template = "alis_agreements/agreement_list.html"
    if request.htmx and request.htmx.target == "agreement-table":
        template = "alis_agreements/_agreement_table.html"
    return render(request, template, context)


def _agreement(request, pk):
    return get_object_or_404(Agreement.objects.visible_to(request.user).with_details(), pk=pk)


def _editable_agreement(request, pk):
    agreement = _agreement(request, pk)
    _require_editor(request, agreement.municipality)
    return agreement


@login_required
def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    scope = scope_for(request.user)
    measures = list(agreement.measures.all())
    groups = [
        (element, label, [m for m in measures if m.element == element])
        for element, label in Element.choices
    ]
    versions = (
        Agreement.objects.visible_to(request.user)
        .filter(employment=agreement.employment)
        .with_dates()
        .order_by("-version")
    )
    pdf_intact = None
    if agreement.pdf:
        pdf_intact = sha256_of_file(agreement.pdf) == agreement.pdf_sha256
    context = {
        "agreement": agreement,
        "employment": agreement.employment,
        "groups": [
            (e, label, items, sum(m.amount or 0 for m in items)) for e, label, items in groups
        ],
        "total": sum(m.amount or 0 for m in measures),
        "estimates": grants.estimates_by_year(agreement),
        "latest_end": services.agreement_latest_end(agreement),
        "versions": versions,
        "can_edit": scope.can_manage_municipality(agreement.municipality),
        "pdf_intact": pdf_intact,
        "ending_soon": agreement.ends_within(),
        "today": timezone.localdate(),
    }
    return render(request, "alis_agreements/agreement_detail.html", context)


def _agreement_form(request, employment, agreement=None):
    initial = services.agreement_initial(employment)
    if agreement is not None:
        initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    form = AgreementForm(request.POST or None, initial=initial)
    formset = measure_formset(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if agreement is None:
                agreement = services.agreement_create(
                    employment=employment,
                    by=request.user,
                    measures=formset.measures(),
                    **form.cleaned_data,
                )
            else:
                services.agreement_update(
                    agreement=agreement,
                    by=request.user,
                    measures=formset.measures(),
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Preview the PDF before sending it."))
            return redirect("alis_agreements:agreement_detail", agreement.pk)
    leaves = employment.leaves.all()
    types = MeasureType.objects.all()
    context = {
        "form": form,
        "formset": formset,
        "employment": employment,
        "agreement": agreement,
        "leaves": leaves,
        "measure_types": {
            t.pk: {
                "element": t.element,
                "quantity": t.is_quantity,
                "unit": t.unit,
                "default": str(t.default_value) if t.default_value is not None else "",
            }
            for t in types
        },
    }
    return render(request, "alis_agreements/agreement_form.html", context)


@login_required
def agreement_create(request, pk):
    employment = _employment(request, pk)
    _require_editor(request, employment.position.municipality)
    existing = employment.agreements.exclude(status=AgreementStatus.ENDED).order_by("-version")
    if existing:
        messages.info(request, _("This employment has an agreement already."))
        return redirect("alis_agreements:agreement_detail", existing[0].pk)
    return _agreement_form(request, employment)


@login_required
def agreement_update(request, pk):
    agreement = _editable_agreement(request, pk)
    if not agreement.is_draft:
        messages.error(request, _("Only a draft can be changed. Make a new version instead."))
        return redirect("alis_agreements:agreement_detail", agreement.pk)
    return _agreement_form(request, agreement.employment, agreement)


@login_required
@xframe_options_sameorigin
def agreement_preview(request, pk):
    """The PDF as it would be now (a draft, or one sent for signature), shown in the browser."""
    agreement = _agreement(request, pk)
    if agreement.is_signed:
        return redirect("alis_agreements:agreement_pdf", agreement.pk)
    try:
        pdf = services.agreement_render_pdf(agreement)
    except SandboxError as exc:
        messages.error(request, _("The template cannot be rendered: %(error)s") % {"error": exc})
        return redirect("alis_agreements:agreement_detail", agreement.pk)
    return pdf_response(pdf, _filename(agreement, draft=True), inline=True)


def _filename(agreement, *, draft=False) -> str:
    name = f"ALIS-avtale {agreement.municipality} {agreement.employment.alis} v{agreement.version}"
    return f"{name} utkast.pdf" if draft else f"{name}.pdf"


@login_required
@xframe_options_sameorigin
def agreement_pdf(request, pk):
    """The frozen PDF of a signed agreement, exactly as it was stored at signing."""
    agreement = _agreement(request, pk)
    if not agreement.pdf:
        raise Http404
    return document_response(agreement.pdf, filename=_filename(agreement), inline=True)


@login_required
def agreement_scan(request, pk):
    agreement = _agreement(request, pk)
    if not agreement.scan:
        raise Http404
    return document_response(
        agreement.scan, filename=_filename(agreement).replace(".pdf", " signert"), inline=False
    )


@login_required
def agreement_scan_upload(request, pk):
    agreement = _editable_agreement(request, pk)
    form = ScanForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            services.agreement_attach_scan(
                agreement=agreement, by=request.user, scan=form.cleaned_data["scan"]
            )
        except ValidationError as exc:
            form.add_error("scan", exc)
        else:
            messages.success(request, _("The signed copy is kept with the agreement."))
            return redirect("alis_agreements:agreement_detail", agreement.pk)
    return _form_page(
        request,
        form,
        title=_("Upload the signed copy"),
        subtitle=str(agreement),
        back=reverse("alis_agreements:agreement_detail", args=[agreement.pk]),
        enctype=True,
    )


def _transition(request, pk, change, done: str):
    agreement = _editable_agreement(request, pk)
    try:
        result = change(agreement=agreement, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("alis_agreements:agreement_detail", agreement.pk)
    messages.success(request, done)
    return redirect("alis_agreements:agreement_detail", (result or agreement).pk)


@login_required
@require_POST
def agreement_send(request, pk):
    return _transition(
        request, pk, services.agreement_send, _("The agreement is marked as sent for signature.")
    )


@login_required
@require_POST
def agreement_withdraw(request, pk):
    return _transition(
        request, pk, services.agreement_withdraw, _("The agreement is back to draft.")
    )


@login_required
@require_POST
def agreement_new_version(request, pk):
    return _transition(
        request,
        pk,
        services.agreement_new_version,
        _("A new version is drafted. The signed one stays valid until this one is signed."),
    )


@login_required
@require_POST
def agreement_delete(request, pk):
    agreement = _editable_agreement(request, pk)
    employment = agreement.employment
    try:
        services.agreement_delete(agreement=agreement, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("alis_agreements:agreement_detail", agreement.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("alis_agreements:employment_detail", employment.pk)


@login_required
def agreement_sign(request, pk):
    agreement = _editable_agreement(request, pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if agreement.status != AgreementStatus.SENT:
        messages.error(request, _("Send the agreement for signature first."))
        return redirect("alis_agreements:agreement_detail", agreement.pk)
    if form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                by=request.user,
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("The agreement is signed. Its PDF is frozen and kept with a checksum.")
            )
            return redirect("alis_agreements:agreement_detail", agreement.pk)
    return _form_page(
        request,
        form,
        title=_("Mark as signed"),
        subtitle=str(agreement),
        intro=_(
            "Signing freezes the agreement: its PDF is made once, with today's text, and can "
            "never change. Later changes are a new version."
        ),
        back=reverse("alis_agreements:agreement_detail", args=[agreement.pk]),
        enctype=True,
    )


@login_required
def agreement_end(request, pk):
    agreement = _editable_agreement(request, pk)
    form = EndForm(request.POST or None)
    if form.is_valid():
        try:
            services.agreement_end(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The agreement is ended."))
            return redirect("alis_agreements:agreement_detail", agreement.pk)
    return _form_page(
        request,
        form,
        title=_("End the agreement"),
        subtitle=str(agreement),
        back=reverse("alis_agreements:agreement_detail", args=[agreement.pk]),
        danger=True,
    )


@login_required
def agreement_history(request, pk):
    agreement = _agreement(request, pk)
    measure_changes = (
        AgreementMeasure.history.filter(agreement_id=agreement.pk)
        .select_related("history_user", "measure_type")
        .order_by("-history_date")[:200]
    )
    context = {
        "agreement": agreement,
        "history": change_history(agreement, hidden=("pdf", "scan")),
        "measure_changes": measure_changes,
    }
    return render(request, "alis_agreements/agreement_history.html", context)


# Templates and measure types (advisers)


@login_required
def template_list(request):
    _require_adviser(request)
    templates = AgreementTemplate.objects.annotate(
        version_count=Count("versions", distinct=True),
        agreement_count=Count("versions__agreements", distinct=True),
    )
    measure_types = MeasureType.objects.all()
    return render(
        request,
        "alis_agreements/template_list.html",
        {"templates": templates, "measure_types": measure_types},
    )


def _template_page(request, form, *, kind, template=None):
    context = {
        "form": form,
        "template": template,
        "kind": TemplateKind(kind),
        "fields": FIELD_SETS[kind].fields,
        "tags": sorted([*ALLOWED_TAGS, "for"]),
        "filters": sorted([*ALLOWED_FILTERS, "kr", "thousands"]),
        "syntax_help": _(
            "Write a field as {{ alis_name }}. Dates take a format, e.g. "
            '{{ start_date|date:"j. F Y" }}; amounts |kr. The text is rendered in a sandbox '
            "that knows only these fields."
        ),
    }
    return render(request, "alis_agreements/template_form.html", context)


@login_required
def template_create(request):
    _require_adviser(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or TemplateKind.ALIS_AGREEMENT
    if kind not in TemplateKind.values:
        raise Http404
    default = services.default_template_version(kind)
    form = TemplateForm(
        request.POST or None, initial={"body": default.body if default else "", "kind": kind}
    )
    if form.is_valid():
        try:
            template = services.template_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("alis_agreements:template_detail", template.pk)
    return _template_page(request, form, kind=kind)


@login_required
def template_detail(request, pk):
    template = get_object_or_404(AgreementTemplate.objects.visible_to(request.user), pk=pk)
    versions = template.versions.select_related("created_by").annotate(
        agreement_count=Count("agreements")
    )
    return render(
        request,
        "alis_agreements/template_detail.html",
        {"template": template, "versions": versions, "current": versions.first()},
    )


@login_required
def template_version_create(request, pk):
    template = get_object_or_404(AgreementTemplate.objects.visible_to(request.user), pk=pk)
    current = template.current_version()
    form = TemplateForm(
        request.POST or None,
        new_template=False,
        initial={"body": current.body if current else ""},
    )
    if form.is_valid():
        try:
            version = services.template_version_create(
                template=template, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Version %(n)s is saved.") % {"n": version.number})
            return redirect("alis_agreements:template_detail", template.pk)
    return _template_page(request, form, kind=template.kind, template=template)


@login_required
@require_POST
def template_make_default(request, pk):
    template = get_object_or_404(AgreementTemplate.objects.visible_to(request.user), pk=pk)
    services.template_make_default(template=template, by=request.user)
    messages.success(request, _("New agreements start from “%(name)s”.") % {"name": template})
    return redirect("alis_agreements:template_detail", template.pk)


@login_required
@xframe_options_sameorigin
def template_version_preview(request, pk):
    version = get_object_or_404(
        TemplateVersion.objects.visible_to(request.user).select_related("template"), pk=pk
    )
    return _template_preview(request, version.body, str(version), version.template.kind)


@login_required
@require_POST
@xframe_options_sameorigin
def template_preview_draft(request):
    """The text being edited, as a PDF with example values (nothing is saved)."""
    _require_adviser(request)
    kind = request.POST.get("kind", TemplateKind.ALIS_AGREEMENT)
    if kind not in TemplateKind.values:
        kind = TemplateKind.ALIS_AGREEMENT
    return _template_preview(request, request.POST.get("body", ""), _("Unsaved text"), kind)


def _template_preview(request, body, name, kind):
    try:
        pdf = services.template_preview_pdf(body=body, name=name, kind=kind)
    except SandboxError as exc:
        return render(
            request,
            "alis_agreements/template_preview_error.html",
            {"errors": [str(exc)]},
            status=400,
        )
    return pdf_response(pdf, "mal-forhandsvisning.pdf", inline=True)


def _measure_type_form(request, measure_type=None):
    _require_adviser(request)
    form = MeasureTypeForm(request.POST or None, instance=measure_type)
    if form.is_valid():
        try:
            services.measure_type_save(
                by=request.user, measure_type=measure_type, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The measure type is saved."))
            return redirect(reverse("alis_agreements:template_list") + "#measure-types")
    return _form_page(
        request,
        form,
        title=_("Edit measure type") if measure_type else _("New measure type"),
        intro=_(
            "Agreements keep the values they were made with; a signed agreement's PDF never "
            "changes."
        ),
        back=reverse("alis_agreements:template_list") + "#measure-types",
    )


@login_required
def measure_type_create(request):
    return _measure_type_form(request)


@login_required
def measure_type_update(request, pk):
    _require_adviser(request)
    return _measure_type_form(request, get_object_or_404(MeasureType, pk=pk))


# Grants


@login_required
def grant_overview(request):
    scope = scope_for(request.user)
    if not (scope.is_adviser or scope.is_manager):
        raise Http404
    schemes = GrantScheme.objects.visible_to(request.user).prefetch_related(
        Prefetch("tables", GrantTable.objects.order_by("-year")), "municipalities"
    )
    year = timezone.localdate().year
    form = GrantSummaryForm(request.GET or None, user=request.user, initial={"year": year})
    if request.GET and form.is_valid():
        return redirect(
            "alis_agreements:grant_summary",
            form.cleaned_data["municipality"].number,
            form.cleaned_data["year"],
        )
    managed = Municipality.objects.filter(pk__in=scope.managed_municipality_ids).order_by("name")
    context = {
        "schemes": schemes,
        "form": form,
        "year": year,
        "managed": managed,
        "is_adviser": scope.is_adviser,
    }
    return render(request, "alis_agreements/grant_overview.html", context)


def _scheme_form(request, scheme=None):
    _require_adviser(request)
    form = GrantSchemeForm(request.POST or None, instance=scheme, user=request.user)
    if form.is_valid():
        try:
            scheme = services.grant_scheme_save(by=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The grant scheme is saved."))
            return redirect(reverse("alis_agreements:grant_overview") + f"#scheme-{scheme.pk}")
    return _form_page(
        request,
        form,
        title=_("Edit grant scheme") if scheme else _("New grant scheme"),
        intro=_(
            "A scheme limited to named municipalities (like the ALIS-Vest pilot) is used for them, "
            "in the years it has a rate table, instead of a scheme open to all."
        ),
        back=reverse("alis_agreements:grant_overview"),
    )


@login_required
def grant_scheme_create(request):
    return _scheme_form(request)


@login_required
def grant_scheme_update(request, pk):
    _require_adviser(request)
    return _scheme_form(request, get_object_or_404(GrantScheme, pk=pk))


def _table_form(request, scheme, table=None):
    form = GrantTableForm(request.POST or None, instance=table)
    formset = rate_formset(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            table = services.grant_table_save(
                by=request.user,
                scheme=scheme,
                year=table.year if table else form.cleaned_data["year"],
                table=table,
                rates=formset.rates(),
                **data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The rate table is saved."))
            return redirect("alis_agreements:grant_table_detail", table.pk)
    context = {"form": form, "formset": formset, "scheme": scheme, "table": table}
    return render(request, "alis_agreements/grant_table_form.html", context)


@login_required
def grant_table_create(request, pk):
    _require_adviser(request)
    scheme = get_object_or_404(GrantScheme.objects.visible_to(request.user), pk=pk)
    return _table_form(request, scheme)


@login_required
def grant_table_detail(request, pk):
    table = get_object_or_404(
        GrantTable.objects.visible_to(request.user).select_related("scheme"), pk=pk
    )
    context = {
        "table": table,
        "rates": table.rates.all(),
        "is_adviser": scope_for(request.user).is_adviser,
        "history": change_history(table),
    }
    return render(request, "alis_agreements/grant_table_detail.html", context)


@login_required
def grant_table_update(request, pk):
    table = get_object_or_404(
        GrantTable.objects.visible_to(request.user).select_related("scheme"), pk=pk
    )
    if not scope_for(request.user).is_adviser:
        raise PermissionDenied
    return _table_form(request, table.scheme, table)


def _summary(request, number, year):
    if not 2017 <= year <= 2100:
        raise Http404
    municipality = get_object_or_404(Municipality.objects.visible_to(request.user), number=number)
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(employment__position__municipality=municipality)
        .for_grant_year(year)
        .with_details()
        .order_by("employment__alis__last_name", "version")
    )
    return grants.municipality_summary(municipality, year, agreements)


@login_required
def grant_summary(request, number, year):
    summary = _summary(request, number, year)
    return render(request, "alis_agreements/grant_summary.html", {"summary": summary})


@login_required
def grant_summary_xlsx(request, number, year):
    summary = _summary(request, number, year)
    response = HttpResponse(
        grant_summary_workbook(summary),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"tilskudd-alis-{summary.municipality.number}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
