import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alisvest import panels
from alisvest.redirects import safe_next
from alisvest.tabular import TableError, read_table
from municipalities import services
from municipalities.filters import MunicipalityFilter
from municipalities.forms import (
    ContactForm,
    FollowUpEntryForm,
    NextActionFormSet,
    PartnerForm,
    PracticeForm,
    RegistrationImportForm,
    RegistrationStatusForm,
    YearlyMappingForm,
    action_data,
)
from municipalities.models import (
    Contact,
    FollowUpEntry,
    Municipality,
    NextAction,
    Partner,
    PartnerKind,
    Population,
    Practice,
    Region,
    YearlyMapping,
)

MY_ACTIONS_PER_PAGE = 25
PARTNERS_PER_PAGE = 50
IMPORT_SESSION_KEY = "registration_import"


def _population_years():
    return list(Population.objects.order_by("-year").values_list("year", flat=True).distinct())


def _municipality_for_change(request, number, *, advisers_only: bool) -> Municipality:
    """The municipality, if the person may change this part of it: outside their scope a 404;
    seen but not theirs to change (a manager and the registration status) a 403."""
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("region"), number=number
    )
    scope = scope_for(request.user)
    if advisers_only and municipality.region_id not in scope.region_ids:
        raise PermissionDenied
    if not scope.can_manage_municipality(municipality):
        raise PermissionDenied
    return municipality


def _require_adviser(request) -> None:
    if not scope_for(request.user).region_ids:
        raise Http404


def _detail(municipality, anchor=""):
    url = reverse("municipalities:municipality_detail", args=[municipality.number])
    return f"{url}#{anchor}" if anchor else url


@login_required
def municipality_list(request):
    years = _population_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else timezone.localdate().year
    municipalities = (
        Municipality.objects.visible_to(request.user)
        .select_related("county")
        .with_registration_status()
        .with_population(year)
        .with_follow_up_facts(request.user)
        .order_by("name")
    )
    filterset = MunicipalityFilter(request.GET, queryset=municipalities)
    context = {
        "filter": filterset,
        "municipalities": filterset.qs,
        "year": year,
        "years": years,
        "today": timezone.localdate(),
    }
    template = "municipalities/municipality_list.html"
    if request.htmx and request.htmx.target == "municipality-table":
        template = "municipalities/_municipality_table.html"
    return render(request, template, context)


@login_required
def municipality_detail(request, number):
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("county", "region"),
        number=number,
    )
    scope = scope_for(request.user)
    advises = municipality.region_id in scope.region_ids
    today = timezone.localdate()
    follow_ups = (
        FollowUpEntry.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("created_by", "partner")
        .prefetch_related(
            Prefetch("next_actions", NextAction.objects.select_related("owner", "done_by"))
        )
    )
    context = {
        "municipality": municipality,
        "today": today,
        "advises": advises,
        "can_edit": scope.can_manage_municipality(municipality),
        "registration_status": municipality.registration_status_on(today),
        "registration_changes": municipality.registration_changes.select_related("recorded_by"),
        "predecessors": municipality.predecessors.all(),
        "populations": municipality.populations.order_by("year"),
        "centrality_classes": municipality.centrality_classes.order_by("-version"),
        "contacts": municipality.contacts.all(),
        "practices": municipality.practices.all(),
        "follow_ups": follow_ups[:50] if advises else [],
        "mapping": YearlyMapping.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("updated_by")
        .order_by("-year")
        .first(),
        "last_population_year": municipality.populations.aggregate(y=Max("year"))["y"],
        "sections": panels.collect("municipality", request, municipality=municipality),
    }
    return render(request, "municipalities/municipality_detail.html", context)


# The follow-up log


def _follow_up_form(request, concerns, entry=None):
    """The form of an entry on the timeline of `concerns` (a municipality or a partner)."""
    is_partner = isinstance(concerns, Partner)
    region = concerns.region
    owners = region.advisers().order_by("first_name", "last_name")
    also = "municipality" if is_partner else "partner"
    also_choices = (
        Municipality.objects.filter(region=region)
        if is_partner
        else Partner.objects.filter(region=region, is_active=True)
    )
    data = request.POST if request.method == "POST" else None
    form = FollowUpEntryForm(data, instance=entry, also=also, also_choices=also_choices)
    formset = NextActionFormSet(
        data, instance=entry or FollowUpEntry(), owners=owners, user=request.user
    )
    if data is not None and form.is_valid() and formset.is_valid():
        actions, removed = action_data(formset)
        fields = {k: form.cleaned_data[k] for k in ("date", "kind", "participants", "summary")}
        fields[also] = form.cleaned_data[also]
        try:
            if entry is None:
                fields["partner" if is_partner else "municipality"] = concerns
                services.follow_up_log(by=request.user, actions=actions, **fields)
            else:
                services.follow_up_update(
                    entry=entry, by=request.user, actions=actions, removed=removed, **fields
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(_timeline_url(concerns))
    context = {
        "concerns": concerns,
        "is_partner": is_partner,
        "municipality": None if is_partner else concerns,
        "partner": concerns if is_partner else None,
        "entry": entry,
        "form": form,
        "formset": formset,
    }
    return render(request, "municipalities/follow_up_form.html", context)


def _timeline_url(concerns, anchor="followup-h"):
    if isinstance(concerns, Partner):
        return reverse("municipalities:partner_detail", args=[concerns.pk]) + f"#{anchor}"
    return _detail(concerns, anchor)


@login_required
def follow_up_create(request, number):
    municipality = get_object_or_404(
        Municipality.objects.advised_by(request.user).select_related("region"), number=number
    )
    return _follow_up_form(request, municipality)


@login_required
def partner_follow_up_create(request, pk):
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    return _follow_up_form(request, partner)


@login_required
def follow_up_update(request, pk):
    entry = get_object_or_404(
        FollowUpEntry.objects.visible_to(request.user).select_related(
            "municipality__region", "partner__region"
        ),
        pk=pk,
    )
    return _follow_up_form(request, entry.concerns, entry)


def _next_action_changed(request, pk, change):
    action = get_object_or_404(
        NextAction.objects.visible_to(request.user).select_related(
            "entry__municipality", "entry__partner", "owner"
        ),
        pk=pk,
    )
    change(action=action, by=request.user)
    if request.htmx:
        context = {
            "action": action,
            "today": timezone.localdate(),
            "show_municipality": request.POST.get("show_municipality") == "1",
            "next": request.POST.get("next", ""),
        }
        return render(request, "municipalities/_next_action.html", context)
    return redirect(safe_next(request, _timeline_url(action.entry.concerns)))


@login_required
@require_POST
def next_action_done(request, pk):
    return _next_action_changed(request, pk, services.next_action_complete)


@login_required
@require_POST
def next_action_reopen(request, pk):
    return _next_action_changed(request, pk, services.next_action_reopen)


@login_required
def my_actions(request):
    """The adviser's open next actions across municipalities, overdue first."""
    _require_adviser(request)
    actions = NextAction.objects.open_for(request.user).select_related("owner")
    page_obj = Paginator(actions, MY_ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "today": timezone.localdate(),
        "overdue_count": NextAction.objects.open_for(request.user).overdue().count(),
    }
    return render(request, "municipalities/my_actions.html", context)


# Registration as education institution


@login_required
def registration_create(request, number):
    municipality = _municipality_for_change(request, number, advisers_only=True)
    form = RegistrationStatusForm(request.POST or None)
    if form.is_valid():
        try:
            services.registration_status_add(
                municipality=municipality, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The registration status is recorded."))
            return redirect(_detail(municipality, "registration-h"))
    return _form_page(
        request,
        municipality,
        form,
        title=_("New registration status"),
        intro=_(
            "The current status is the newest one dated today or earlier. A status with a later "
            "date takes effect on that day."
        ),
    )


@login_required
def registration_import(request):
    """Upload a file of status changes and see what applying it would do; nothing is saved."""
    _require_adviser(request)
    form = RegistrationImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        request.session.pop(IMPORT_SESSION_KEY, None)
        try:
            rows = read_table(file, name=file.name, required=["number", "status", "date"])
            planned = services.registration_import_preview(rows=rows, by=request.user)
        except TableError as exc:
            context["errors"] = exc.errors
        else:
            # The checked rows wait in the server-side session; the page carries only a
            # random token, and applying checks every row again.
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "name": file.name,
                "rows": rows,
            }
            context.update(
                planned=planned,
                token=token,
                file_name=file.name,
                new_count=sum(not p.already_recorded for p in planned),
            )
    return render(request, "municipalities/registration_import.html", context)


@login_required
@require_POST
def registration_import_apply(request):
    _require_adviser(request)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or not constant_time_compare(stored["token"], request.POST.get("token", "")):
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("municipalities:registration_import")
    del request.session[IMPORT_SESSION_KEY]
    rows = [(line, row) for line, row in stored["rows"]]
    try:
        summary = services.registration_status_import(rows=rows, by=request.user)
    except TableError as exc:
        for error in exc.errors:
            messages.error(request, str(error))
        return redirect("municipalities:registration_import")
    messages.success(
        request,
        _("%(created)s status changes added; %(unchanged)s were already recorded.")
        % {"created": summary.created, "unchanged": summary.unchanged},
    )
    return redirect("municipalities:municipality_list")


# Contacts and practices


def _form_page(request, concerns, form, *, title, intro="", danger=None):
    """A form about a municipality or a partner (`concerns`)."""
    is_partner = isinstance(concerns, Partner)
    context = {
        "municipality": None if is_partner else concerns,
        "partner": concerns if is_partner else None,
        "form": form,
        "title": title,
        "intro": intro,
        "danger": danger,
    }
    return render(request, "municipalities/form.html", context)


@login_required
def contact_create(request, number):
    municipality = _municipality_for_change(request, number, advisers_only=False)
    form = ContactForm(request.POST or None)
    if form.is_valid():
        services.contact_create(municipality=municipality, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The contact is added."))
        return redirect(_detail(municipality, "contacts-h"))
    return _form_page(request, municipality, form, title=_("New contact"))


@login_required
def contact_update(request, pk):
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("municipality", "partner"), pk=pk
    )
    form = ContactForm(request.POST or None, instance=contact)
    if form.is_valid():
        services.contact_update(contact=contact, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The contact is saved."))
        return redirect(_timeline_url(contact.partner or contact.municipality, "contacts-h"))
    return _form_page(
        request,
        contact.partner or contact.municipality,
        form,
        title=_("Edit contact"),
        intro=_("Untick “active” when the person no longer has the role; the history is kept."),
    )


@login_required
@require_POST
def contact_deactivate(request, pk):
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("municipality", "partner"), pk=pk
    )
    services.contact_deactivate(contact=contact, by=request.user)
    messages.success(request, _("%(name)s is marked inactive.") % {"name": contact.name})
    return redirect(_timeline_url(contact.partner or contact.municipality, "contacts-h"))


@login_required
def practice_create(request, number):
    municipality = _municipality_for_change(request, number, advisers_only=False)
    form = PracticeForm(request.POST or None)
    if form.is_valid():
        services.practice_create(municipality=municipality, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The practice is added."))
        return redirect(_detail(municipality, "practices-h"))
    return _form_page(request, municipality, form, title=_("New practice"))


@login_required
def practice_update(request, pk):
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    form = PracticeForm(request.POST or None, instance=practice)
    if form.is_valid():
        services.practice_update(practice=practice, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The practice is saved."))
        return redirect(_detail(practice.municipality, "practices-h"))
    return _form_page(request, practice.municipality, form, title=_("Edit practice"))


@login_required
@require_POST
def practice_deactivate(request, pk):
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    services.practice_deactivate(practice=practice, by=request.user)
    messages.success(request, _("%(name)s is marked inactive.") % {"name": practice.name})
    return redirect(_detail(practice.municipality, "practices-h"))


# The yearly mapping


@login_required
def mapping_list(request, number):
    municipality = get_object_or_404(Municipality.objects.visible_to(request.user), number=number)
    mappings = (
        YearlyMapping.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("updated_by")
        .order_by("-year")
    )
    context = {
        "municipality": municipality,
        "mappings": mappings,
        "advises": municipality.region_id in scope_for(request.user).region_ids,
    }
    return render(request, "municipalities/mapping_list.html", context)


@login_required
def mapping_create(request, number):
    municipality = _municipality_for_change(request, number, advisers_only=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 2017 <= year <= 2100:
        year = timezone.localdate().year
    initial, source = services.mapping_initial(municipality=municipality, year=year)
    form = YearlyMappingForm(request.POST or None, initial=initial, municipality=municipality)
    if form.is_valid():
        try:
            services.mapping_create(
                municipality=municipality,
                by=request.user,
                year=form.cleaned_data["year"],
                data=form.values(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The mapping is saved."))
            return redirect(_detail(municipality, "mapping-h"))
    existing = municipality.mappings.filter(year=year).first()
    context = {"municipality": municipality, "form": form, "source": source, "existing": existing}
    return render(request, "municipalities/mapping_form.html", context)


@login_required
def mapping_update(request, pk):
    mapping = get_object_or_404(
        YearlyMapping.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )
    if mapping.municipality.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied
    form = YearlyMappingForm(request.POST or None, instance=mapping)
    if form.is_valid():
        services.mapping_update(mapping=mapping, by=request.user, data=form.values())
        messages.success(request, _("The mapping is saved."))
        return redirect(_detail(mapping.municipality, "mapping-h"))
    context = {"municipality": mapping.municipality, "form": form, "mapping": mapping}
    return render(request, "municipalities/mapping_form.html", context)


# Partners (the region's advisers)


@login_required
def partner_list(request):
    _require_adviser(request)
    partners = (
        Partner.objects.visible_to(request.user)
        .select_related("county")
        .with_follow_up_facts(request.user)
        .order_by("-is_active", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in PartnerKind.values:
        partners = partners.filter(kind=kind)
    page_obj = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "kinds": PartnerKind.choices,
        "kind": kind,
        "today": timezone.localdate(),
    }
    return render(request, "municipalities/partner_list.html", context)


@login_required
def partner_detail(request, pk):
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("county", "region"), pk=pk
    )
    follow_ups = (
        FollowUpEntry.objects.visible_to(request.user)
        .concerning(partner)
        .select_related("created_by", "municipality")
        .prefetch_related(
            Prefetch("next_actions", NextAction.objects.select_related("owner", "done_by"))
        )
    )
    context = {
        "partner": partner,
        "today": timezone.localdate(),
        "contacts": partner.contacts.all(),
        "follow_ups": follow_ups[:50],
        "sections": panels.collect("partner", request, partner=partner),
    }
    return render(request, "municipalities/partner_detail.html", context)


def _advised_region(request) -> Region:
    """The region a new partner belongs to: the adviser's (the first, for staff admin)."""
    region = Region.objects.filter(pk__in=scope_for(request.user).region_ids).first()
    if region is None:
        raise Http404
    return region


@login_required
def partner_create(request):
    region = _advised_region(request)
    form = PartnerForm(request.POST or None)
    if form.is_valid():
        try:
            partner = services.partner_create(
                region=region, by=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The partner is added."))
            return redirect("municipalities:partner_detail", partner.pk)
    context = {"form": form, "title": _("New partner")}
    return render(request, "municipalities/partner_form.html", context)


@login_required
def partner_update(request, pk):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if form.is_valid():
        try:
            services.partner_update(partner=partner, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("municipalities:partner_detail", partner.pk)
    context = {"form": form, "partner": partner, "title": _("Edit partner")}
    return render(request, "municipalities/partner_form.html", context)


@login_required
def partner_contact_create(request, pk):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    form = ContactForm(request.POST or None, initial={"function": Contact.Function.OTHER})
    if form.is_valid():
        services.contact_create(partner=partner, by=request.user, data=form.cleaned_data)
        messages.success(request, _("The contact is added."))
        return redirect(_timeline_url(partner, "contacts-h"))
    return _form_page(request, partner, form, title=_("New contact"))
