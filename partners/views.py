from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alis_agreements.sandbox import SandboxError
from alisvest.documents import document_response
from alisvest.pdf import pdf_response
from municipalities.models import Region
from partners import services
from partners.forms import ArrangementForm, PartyForm, PlacesForm, SignForm
from partners.models import Arrangement, ArrangementParty, PartyStatus, uncovered_municipalities

PER_PAGE = 25


def _require_adviser(request) -> None:
    if not scope_for(request.user).region_ids:
        raise Http404


def _arrangement(request, pk, *, write=False) -> Arrangement:
    """The arrangement in the person's scope (404 outside it); to change it, the region's
    advisers only (a party municipality's manager: 403)."""
    arrangement = get_object_or_404(
        Arrangement.objects.visible_to(request.user).select_related(
            "institution", "region", "template_version__template"
        ),
        pk=pk,
    )
    if write and arrangement.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    return arrangement


@login_required
def arrangement_list(request):
    _require_adviser(request)
    today = timezone.localdate()
    arrangements = (
        Arrangement.objects.visible_to(request.user)
        .select_related("institution", "template_version__template")
        .annotate(
            joined_count=Count(
                "parties",
                filter=Q(parties__status=PartyStatus.JOINED) & Q(parties__left_on__isnull=True),
                distinct=True,
            ),
            waiting_count=Count(
                "parties", filter=Q(parties__status=PartyStatus.NOT_YET), distinct=True
            ),
        )
        .order_by("-valid_from", "name")
    )
    page_obj = Paginator(arrangements, PER_PAGE).get_page(request.GET.get("page"))
    uncovered = uncovered_municipalities(
        region_ids=scope_for(request.user).region_ids, on=today
    ).select_related("county")
    context = {"page_obj": page_obj, "uncovered": uncovered, "today": today}
    return render(request, "partners/arrangement_list.html", context)


def _arrangement_form(request, arrangement=None):
    region = arrangement.region if arrangement else _advised_region(request)
    form = ArrangementForm(request.POST or None, instance=arrangement, region=region)
    if form.is_valid():
        try:
            arrangement = services.arrangement_save(
                by=request.user, region=region, arrangement=arrangement, **form.values()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The arrangement is saved."))
            return redirect("partners:arrangement_detail", arrangement.pk)
    context = {"form": form, "arrangement": arrangement}
    return render(request, "partners/arrangement_form.html", context)


def _advised_region(request) -> Region:
    region = Region.objects.filter(pk__in=scope_for(request.user).region_ids).first()
    if region is None:
        raise Http404
    return region


@login_required
def arrangement_create(request):
    return _arrangement_form(request)


@login_required
def arrangement_update(request, pk):
    arrangement = _arrangement(request, pk, write=True)
    if arrangement.is_signed:
        messages.error(request, _("The arrangement is signed: its text is frozen."))
        return redirect("partners:arrangement_detail", arrangement.pk)
    return _arrangement_form(request, arrangement)


def _detail_page(request, arrangement, *, status=200, **forms):
    advises = arrangement.region_id in scope_for(request.user).region_ids
    context = {
        "arrangement": arrangement,
        "advises": advises,
        "parties": arrangement.parties.select_related("municipality"),
        "places": arrangement.places.all(),
        "objectives": arrangement.objectives.select_related("catalogue"),
        "other_institutions": arrangement.other_institutions.all(),
        "today": timezone.localdate(),
    }
    if advises:
        context.update(
            party_form=PartyForm(region=arrangement.region),
            places_form=PlacesForm(),
            sign_form=None if arrangement.is_signed else SignForm(),
        )
        # A refused form comes back in place of the empty one, with its errors.
        context.update(forms)
    return render(request, "partners/arrangement_detail.html", context, status=status)


@login_required
def arrangement_detail(request, pk):
    return _detail_page(request, _arrangement(request, pk))


def _detail_with_errors(request, arrangement, form, key):
    return _detail_page(request, arrangement, status=400, **{key: form})


@login_required
@require_POST
def party_add(request, pk):
    arrangement = _arrangement(request, pk, write=True)
    form = PartyForm(request.POST, region=arrangement.region)
    if form.is_valid():
        try:
            services.party_save(arrangement=arrangement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The municipality's status is saved."))
            return redirect("partners:arrangement_detail", arrangement.pk)
    return _detail_with_errors(request, arrangement, form, "party_form")


@login_required
@require_POST
def places_set(request, pk):
    arrangement = _arrangement(request, pk, write=True)
    form = PlacesForm(request.POST)
    if form.is_valid():
        try:
            services.places_set(arrangement=arrangement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The places are saved."))
            return redirect("partners:arrangement_detail", arrangement.pk)
    return _detail_with_errors(request, arrangement, form, "places_form")


@login_required
@require_POST
def arrangement_sign(request, pk):
    arrangement = _arrangement(request, pk, write=True)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.arrangement_sign(arrangement=arrangement, by=request.user, **form.cleaned_data)
        except (ValidationError, SandboxError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The arrangement is signed; its PDF is kept as signed."))
            return redirect("partners:arrangement_detail", arrangement.pk)
    return _detail_with_errors(request, arrangement, form, "sign_form")


@login_required
def arrangement_pdf(request, pk):
    """The signed arrangement's frozen PDF, or a draft rendered now."""
    arrangement = _arrangement(request, pk)
    if arrangement.is_signed:
        return document_response(
            arrangement.pdf, filename=f"institusjonstjeneste-{arrangement.pk}.pdf", inline=True
        )
    arrangement = (
        Arrangement.objects.filter(pk=arrangement.pk)
        .select_related("institution", "template_version__template")
        .prefetch_related(
            "other_institutions",
            "objectives",
            "places",
            Prefetch("parties", ArrangementParty.objects.select_related("municipality")),
        )
        .get()
    )
    try:
        pdf = services.arrangement_render_pdf(arrangement)
    except SandboxError as exc:
        messages.error(request, str(exc))
        return redirect("partners:arrangement_detail", arrangement.pk)
    return pdf_response(pdf, f"institusjonstjeneste-{arrangement.pk}-utkast.pdf")
