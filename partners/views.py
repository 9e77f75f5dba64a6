from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alis_agreements.sandbox import SandboxError
from alisvest.documents import document_response
from alisvest.pdf import pdf_response
from municipalities.models import Region
from partners import services
from partners.forms import (
    ArrangementForm,
    BoardFilterForm,
    PartyForm,
    PlacesForm,
    PostingForm,
    SignForm,
)
from partners.models import (
    Arrangement,
    ArrangementParty,
    PartyStatus,
    Posting,
    uncovered_municipalities,
)

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


# The position board


@login_required
def posting_list(request):
    """The postings the person keeps (open, past and withdrawn)."""
    scope = scope_for(request.user)
    if not (scope.region_ids or scope.managed_municipality_ids):
        raise Http404
    postings = Posting.objects.visible_to(request.user).for_board().order_by("-deadline", "-pk")
    page_obj = Paginator(postings, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "today": timezone.localdate()}
    return render(request, "partners/posting_list.html", context)


def _posting_form(request, posting=None):
    initial = {}
    if posting is None:
        initial["position"] = request.GET.get("position")
    form = PostingForm(request.POST or None, instance=posting, initial=initial, user=request.user)
    if form.is_valid():
        try:
            posting = services.posting_save(
                by=request.user,
                posting=posting,
                position=form.cleaned_data.get("position"),
                institution=form.cleaned_data.get("institution"),
                **form.values(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The posting is on the public board until its deadline."))
            return redirect("partners:posting_list")
    return render(request, "partners/posting_form.html", {"form": form, "posting": posting})


@login_required
def posting_create(request):
    scope = scope_for(request.user)
    if not (scope.region_ids or scope.managed_municipality_ids):
        raise Http404
    return _posting_form(request)


def _posting(request, pk) -> Posting:
    return get_object_or_404(
        Posting.objects.visible_to(request.user).select_related(
            "position__municipality", "institution", "municipality"
        ),
        pk=pk,
    )


@login_required
def posting_update(request, pk):
    return _posting_form(request, _posting(request, pk))


@login_required
@require_POST
def posting_withdraw(request, pk):
    posting = _posting(request, pk)
    services.posting_withdraw(posting=posting, by=request.user)
    messages.success(request, _("The posting is taken off the board."))
    return redirect("partners:posting_list")


def _board_postings(request):
    form = BoardFilterForm(request.GET or None)
    postings = Posting.objects.open().for_board()
    if form.is_valid():
        data = form.cleaned_data
        if data["county"]:
            postings = postings.in_county(data["county"].pk)
        if data["kind"]:
            postings = postings.filter(kind=data["kind"])
        postings = postings.overlapping(data["start"], data["end"])
    return form, postings


def board(request):
    """The public position board: open postings, no login. It shows what a posting says and
    its contact, nothing about who posted it."""
    form, postings = _board_postings(request)
    page_obj = Paginator(postings, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partners/board.html", {"form": form, "page_obj": page_obj})


class BoardFeed(Feed):
    """The open postings as an Atom feed (the board's filters apply)."""

    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return None

    def title(self):
        return _("ALIS Vest – ALIS positions and institution-service places")

    def subtitle(self):
        return _("Open postings on the position board.")

    def link(self):
        return reverse("board")

    def items(self):
        return _board_postings(self.request)[1][:100]

    def item_title(self, item):
        return f"{item.display_title} – {item.poster}"

    def item_description(self, item):
        period = formats.date_format(item.period_start, "SHORT_DATE_FORMAT")
        if item.period_end:
            period += "–" + formats.date_format(item.period_end, "SHORT_DATE_FORMAT")
        deadline = formats.date_format(item.deadline, "SHORT_DATE_FORMAT")
        return _(
            "%(kind)s. %(place)s, %(percentage)s %%, %(period)s. Deadline %(deadline)s. "
            "Contact: %(contact)s."
        ) % {
            "kind": item.get_kind_display(),
            "place": item.place,
            "percentage": item.percentage,
            "period": period,
            "deadline": deadline,
            "contact": ", ".join(
                filter(None, [item.contact_name, item.contact_email, item.contact_phone])
            ),
        }

    def item_link(self, item):
        return reverse("board") + f"#posting-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at
