"""The rules of institution-service arrangements. Advisers of the region write them; the
municipalities' managers read the arrangements their municipality is a party to."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alis_agreements import sandbox
from alis_agreements.models import Position, TemplateKind, TemplateVersion
from alis_agreements.services import render_document_pdf
from alisvest.documents import content_file, sha256_hex
from municipalities.models import Municipality, Partner, Region
from partners import documents
from partners.models import (
    Arrangement,
    ArrangementParty,
    ArrangementPlaces,
    PartyStatus,
    Posting,
    PostingKind,
)


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _require_adviser(user, region_id: int) -> None:
    if region_id not in scope_for(user).region_ids:
        raise PermissionDenied(_("Only the region's advisers may do this."))


def _require_draft(arrangement: Arrangement) -> None:
    if arrangement.is_signed:
        raise ValidationError(
            _("The arrangement is signed: its text is frozen. Municipalities can still join.")
        )


def _check_arrangement(arrangement: Arrangement, other_institutions: list[Partner]) -> None:
    errors = {}
    institution = arrangement.institution
    if institution.region_id != arrangement.region_id or not institution.is_institution:
        errors["institution"] = _("Choose a health trust or an institution of the region.")
    if any(p.region_id != arrangement.region_id for p in other_institutions):
        errors["other_institutions"] = _("The other institutions must be the region's partners.")
    if arrangement.template_version.template.kind != TemplateKind.INSTITUTION_SERVICE:
        errors["template_version"] = _("Choose a template for institution-service arrangements.")
    if arrangement.valid_to and arrangement.valid_to < arrangement.valid_from:
        errors["valid_to"] = _("The end comes before the start.")
    if errors:
        raise ValidationError(errors)


ARRANGEMENT_FIELDS = ["name", "institution", "template_version", "valid_from", "valid_to"]


@transaction.atomic
def arrangement_save(
    *,
    by,
    region: Region,
    arrangement: Arrangement | None = None,
    other_institutions=(),
    objectives=(),
    **data,
) -> Arrangement:
    """Draft or change an arrangement (its parties and places are kept separately)."""
    _require_adviser(by, region.pk)
    unknown = set(data) - set(ARRANGEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not arrangement fields: {sorted(unknown)}")
    if arrangement is None:
        arrangement = Arrangement(region=region, created_by=by)
    else:
        _require_draft(arrangement)
    for name, value in data.items():
        setattr(arrangement, name, value)
    _check_arrangement(arrangement, list(other_institutions))
    arrangement._history_user = by
    arrangement.save()
    arrangement.other_institutions.set(other_institutions)
    arrangement.objectives.set(objectives)
    return arrangement


@transaction.atomic
def party_save(
    *,
    arrangement: Arrangement,
    municipality: Municipality,
    by,
    status: str,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
) -> ArrangementParty:
    """Add a municipality to an arrangement or change its status: joined (on a date) or not
    yet; a municipality that leaves keeps its row with the day it left."""
    _require_adviser(by, arrangement.region_id)
    if municipality.region_id != arrangement.region_id:
        raise ValidationError({"municipality": _("The municipality is not in the region.")})
    if status == PartyStatus.JOINED and joined_on is None:
        raise ValidationError({"joined_on": _("Give the date the municipality joined.")})
    if status == PartyStatus.NOT_YET:
        joined_on = left_on = None
    if left_on and joined_on and left_on < joined_on:
        raise ValidationError({"left_on": _("A municipality leaves after it joined.")})
    if joined_on and arrangement.valid_to and joined_on > arrangement.valid_to:
        raise ValidationError(
            {
                "joined_on": _("The arrangement ended on %(date)s.")
                % {"date": _day(arrangement.valid_to)}
            }
        )
    party, _created = ArrangementParty.objects.select_for_update().get_or_create(
        arrangement=arrangement, municipality=municipality
    )
    party.status, party.joined_on, party.left_on = status, joined_on, left_on
    party._history_user = by
    party.save()
    return party


@transaction.atomic
def places_set(*, arrangement: Arrangement, by, year: int, places: int) -> ArrangementPlaces | None:
    """The places offered in a year; 0 removes the year."""
    _require_adviser(by, arrangement.region_id)
    if not 2017 <= year <= 2100:
        raise ValidationError({"year": _("Give a year such as 2026.")})
    if places < 0:
        raise ValidationError({"places": _("The number of places cannot be negative.")})
    if places == 0:
        ArrangementPlaces.objects.filter(arrangement=arrangement, year=year).delete()
        return None
    row, _created = ArrangementPlaces.objects.update_or_create(
        arrangement=arrangement, year=year, defaults={"places": places}
    )
    return row


def arrangement_render_pdf(arrangement: Arrangement) -> bytes:
    """The arrangement as a PDF: its template version's text with its merge fields, in
    Norwegian, marked as a draft until signed. Raises SandboxError for a broken template."""
    body = sandbox.render_body(
        arrangement.template_version.body,
        documents.merge_fields(arrangement),
        kind=TemplateKind.INSTITUTION_SERVICE,
    )
    doc = {
        "title": str(TemplateKind.INSTITUTION_SERVICE.label),
        "municipality": arrangement.institution.name,
        "version": arrangement.template_version.number,
        "template": str(arrangement.template_version),
        "signed": arrangement.is_signed,
        "signed_on": arrangement.signed_on,
    }
    return render_document_pdf(body, doc)


@transaction.atomic
def arrangement_sign(*, arrangement: Arrangement, by, signed_on: datetime.date) -> Arrangement:
    """Record the signing: the PDF is rendered once and kept with its SHA-256 checksum (as ALIS
    agreements); the text no longer changes."""
    _require_adviser(by, arrangement.region_id)
    arrangement = Arrangement.objects.select_for_update().get(pk=arrangement.pk)
    _require_draft(arrangement)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    errors = sandbox.check_body(
        arrangement.template_version.body, kind=TemplateKind.INSTITUTION_SERVICE
    )
    if errors:
        raise ValidationError(errors)
    arrangement.status = Arrangement.Status.SIGNED
    arrangement.signed_on = signed_on
    pdf = arrangement_render_pdf(arrangement)
    arrangement.pdf.save(
        f"institusjonstjeneste-{arrangement.pk}.pdf", content_file(pdf, "pdf"), save=False
    )
    arrangement.pdf_sha256 = sha256_hex(pdf)
    arrangement._history_user = by
    arrangement.save(update_fields=["status", "signed_on", "pdf", "pdf_sha256"])
    return arrangement


def institution_service_templates():
    """The current versions of the institution-service templates, to draft from."""
    return TemplateVersion.objects.filter(
        template__kind=TemplateKind.INSTITUTION_SERVICE
    ).select_related("template")


# The position board

POSTING_FIELDS = [
    "title",
    "place",
    "period_start",
    "period_end",
    "percentage",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "deadline",
]


def _poster_for(*, by, position: Position | None, institution: Partner | None):
    """Who may post what: a municipality's managers (and the region's advisers) its ALIS
    positions; the region's advisers the institutions' places (institutions have no logins:
    the office posts for them)."""
    scope = scope_for(by)
    if (position is None) == (institution is None):
        raise ValidationError(_("Choose the ALIS position or the institution the posting is for."))
    if position is not None:
        if not scope.can_manage_municipality(position.municipality):
            raise PermissionDenied(
                _("Only the municipality's managers and the region's advisers may post it.")
            )
        return PostingKind.ALIS_POSITION, position.municipality.region_id
    if institution.region_id not in scope.region_ids:
        raise PermissionDenied(_("Only the region's advisers post for institutions."))
    if not institution.is_institution:
        raise ValidationError({"institution": _("Choose a health trust or an institution.")})
    return PostingKind.INSTITUTION_PLACE, institution.region_id


def _check_posting(posting: Posting) -> None:
    errors = {}
    if posting.kind == PostingKind.INSTITUTION_PLACE and not posting.title.strip():
        errors["title"] = _("Give the place a title.")
    if posting.period_end and posting.period_end < posting.period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if not (posting.contact_email or posting.contact_phone):
        errors["contact_email"] = _("Give an e-mail address or a phone number to apply to.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def posting_save(
    *,
    by,
    posting: Posting | None = None,
    position: Position | None = None,
    institution: Partner | None = None,
    **data,
) -> Posting:
    """Post an ALIS position (its title and municipality come from the position record: one
    source) or an institution's temporary place, or change a posting. It shows on the public
    board until its deadline."""
    unknown = set(data) - set(POSTING_FIELDS)
    if unknown:
        raise ValueError(f"Not posting fields: {sorted(unknown)}")
    if posting is not None:
        position, institution = posting.position, posting.institution
    kind, region_id = _poster_for(by=by, position=position, institution=institution)
    if posting is None:
        if data.get("deadline") and data["deadline"] < timezone.localdate():
            raise ValidationError({"deadline": _("The deadline has passed already.")})
        posting = Posting(
            region_id=region_id,
            kind=kind,
            position=position,
            municipality=position.municipality if position else None,
            institution=institution,
            created_by=by,
        )
    for name, value in data.items():
        setattr(posting, name, value)
    if posting.kind == PostingKind.ALIS_POSITION:
        posting.title = ""
    _check_posting(posting)
    posting._history_user = by
    posting.save()
    return posting


@transaction.atomic
def posting_withdraw(*, posting: Posting, by) -> Posting:
    """Take a posting off the board before its deadline (filled, cancelled)."""
    _poster_for(by=by, position=posting.position, institution=posting.institution)
    if posting.withdrawn_at is None:
        posting.withdrawn_at = timezone.now()
        posting._history_user = by
        posting.save(update_fields=["withdrawn_at"])
    return posting
