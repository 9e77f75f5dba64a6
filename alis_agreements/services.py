"""Writes to positions, employments, leave, agreements, templates, measure types and grant
tables, with their rules. Views, forms, commands and tasks call these; nothing else writes.

Who may write: the region's advisers and the municipality's managers change its positions,
employments and agreements; advisers alone keep templates, measure types and grant tables.
Views fetch through the same scopes (404 outside them); the services check again so that no
caller can skip the rule.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, RoleAssignment, User
from accounts.scope import forget_scope, scope_for
from alis_agreements import grants, rules, sandbox
from alis_agreements.models import (
    OPEN_STATUSES,
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    AgreementTemplate,
    Element,
    Employment,
    EndReason,
    GrantRate,
    GrantScheme,
    GrantTable,
    Leave,
    MeasureType,
    Position,
    TemplateKind,
    TemplateVersion,
)
from alisvest.documents import content_file, sha256_hex, validate_upload
from alisvest.pdf import render_pdf
from alisvest.periods import overlaps
from municipalities.models import Municipality


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _require_editor(user, municipality: Municipality) -> None:
    if not scope_for(user).can_manage_municipality(municipality):
        raise PermissionDenied(
            _("Only the region's advisers and the municipality's managers may do this.")
        )


def _require_adviser(user) -> None:
    if not scope_for(user).is_adviser:
        raise PermissionDenied(_("Only the office's advisers may do this."))


def _save(obj, by, fields: list[str] | None = None) -> None:
    """Save and let the change history name the person (outside a request too)."""
    obj._history_user = by
    obj.full_clean(exclude=[f for f in ("pdf", "scan") if hasattr(obj, f)])
    obj.save(update_fields=fields)


# Positions


POSITION_FIELDS = [
    "title",
    "practice",
    "employment_form",
    "position_type",
    "list_size",
    "status",
    "start_date",
    "end_date",
]


def _check_position(position: Position) -> None:
    if position.practice and position.practice.municipality_id != position.municipality_id:
        raise ValidationError({"practice": _("The practice is in another municipality.")})
    if position.start_date and position.end_date and position.end_date < position.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if position.pk is None:
        return
    for employment in position.employments.all():
        if position.start_date and employment.start_date < position.start_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "%(alis)s is employed in the position from %(date)s, before this date."
                    )
                    % {"alis": employment.alis, "date": _day(employment.start_date)}
                }
            )
        if position.end_date and (
            employment.end_date is None or employment.end_date > position.end_date
        ):
            raise ValidationError(
                {
                    "end_date": _(
                        "%(alis)s is employed in the position after this date; end the "
                        "employment first."
                    )
                    % {"alis": employment.alis}
                }
            )


@transaction.atomic
def position_create(*, municipality: Municipality, by, **data) -> Position:
    _require_editor(by, municipality)
    unknown = set(data) - set(POSITION_FIELDS)
    if unknown:
        raise ValueError(f"not position fields: {sorted(unknown)}")
    position = Position(municipality=municipality, **data)
    _check_position(position)
    _save(position, by)
    return position


@transaction.atomic
def position_update(*, position: Position, by, **data) -> Position:
    _require_editor(by, position.municipality)
    for name, value in data.items():
        if name not in POSITION_FIELDS:
            raise ValueError(f"{name} is not a position field")
        setattr(position, name, value)
    _check_position(position)
    _save(position, by)
    return position


# ALIS and their employments


@transaction.atomic
def alis_register(
    *, email: str, first_name: str, last_name: str, hpr_number: str, municipality, by
) -> tuple[User, bool]:
    """The ALIS with this e-mail address, created if new (without a password: they set one when
    invited), holding the ALIS role in the municipality. Returns (person, created).

    An existing account is used only when its HPR number agrees, so that nobody can attach
    another person's account to their municipality by typing an e-mail address.
    """
    _require_editor(by, municipality)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=email, first_name=first_name, last_name=last_name, hpr_number=hpr_number
        )
    elif user.hpr_number and hpr_number and user.hpr_number != hpr_number:
        raise ValidationError(
            {
                "hpr_number": _(
                    "A person with this e-mail address is registered with another HPR number. "
                    "Check both, or ask the ALIS Vest office."
                )
            }
        )
    elif not user.hpr_number and hpr_number:
        user.hpr_number = hpr_number
        user.save(update_fields=["hpr_number"])
    if (
        not RoleAssignment.objects.active()
        .filter(user=user, role=Role.ALIS, municipality=municipality)
        .exists()
    ):
        RoleAssignment.objects.create(
            user=user,
            role=Role.ALIS,
            municipality=municipality,
            valid_from=timezone.localdate(),
            created_by=by,
        )
        forget_scope(user)
    return user, created


@transaction.atomic
def alis_employ(
    *, position: Position, by, alis=None, new_alis: dict | None = None, **employment
) -> tuple[Employment, bool]:
    """Employ an ALIS in a position, registering them first if they are new (`new_alis`: e-mail,
    first_name, last_name, hpr_number). All or nothing. Returns (employment, registered)."""
    registered = False
    if alis is None:
        alis, registered = alis_register(municipality=position.municipality, by=by, **new_alis)
    return employment_create(position=position, alis=alis, by=by, **employment), registered


def _check_employment(employment: Employment) -> None:
    position = employment.position
    if employment.end_date and employment.end_date < employment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if position.start_date and employment.start_date < position.start_date:
        raise ValidationError(
            {
                "start_date": _(
                    "The position starts on %(date)s; the employment cannot start before."
                )
                % {"date": _day(position.start_date)}
            }
        )
    if position.end_date and (
        employment.end_date is None or employment.end_date > position.end_date
    ):
        raise ValidationError(
            {
                "end_date": _("The position ends on %(date)s; the employment must end by then.")
                % {"date": _day(position.end_date)}
            }
        )
    # One timeline per ALIS: a move is a new employment after the last one.
    others = Employment.objects.filter(alis=employment.alis).exclude(pk=employment.pk)
    for other in others.select_related("position__municipality"):
        if overlaps(employment.start_date, employment.end_date, other.start_date, other.end_date):
            until = _day(other.end_date) if other.end_date else _("ongoing")
            raise ValidationError(
                {
                    "start_date": _(
                        "%(alis)s is already employed in %(position)s (%(municipality)s) from "
                        "%(start)s to %(end)s. End that employment first: a move is a new "
                        "employment after it."
                    )
                    % {
                        "alis": employment.alis,
                        "position": other.position,
                        "municipality": other.position.municipality,
                        "start": _day(other.start_date),
                        "end": until,
                    }
                }
            )
    if employment.pk:
        for leave in employment.leaves.all():
            if leave.start_date < employment.start_date or (
                employment.end_date and leave.end_date > employment.end_date
            ):
                raise ValidationError(
                    _("Leave from %(start)s to %(end)s would fall outside the employment.")
                    % {"start": _day(leave.start_date), "end": _day(leave.end_date)}
                )


def _lock_alis(alis) -> None:
    # Two registrations of the same ALIS at once must not both pass the overlap check.
    User.objects.select_for_update().filter(pk=alis.pk).first()


@transaction.atomic
def employment_create(
    *,
    position: Position,
    alis,
    by,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    percentage: Decimal = Decimal(100),
    via_temp_agency: bool = False,
) -> Employment:
    _require_editor(by, position.municipality)
    _lock_alis(alis)
    employment = Employment(
        position=position,
        alis=alis,
        start_date=start_date,
        end_date=end_date,
        percentage=percentage,
        via_temp_agency=via_temp_agency,
    )
    _check_employment(employment)
    _save(employment, by)
    if position.status in (
        Position.Status.PLANNED,
        Position.Status.ADVERTISED,
        Position.Status.VACANT,
    ):
        if employment.is_active() or start_date > timezone.localdate():
            position.status = Position.Status.FILLED
            _save(position, by, ["status"])
    return employment


@transaction.atomic
def employment_update(
    *,
    employment: Employment,
    by,
    start_date: datetime.date,
    end_date: datetime.date | None,
    percentage: Decimal,
    via_temp_agency: bool,
) -> Employment:
    """Change an employment. An end date ends the agreements with it: they are valid until then
    (and `agreements_close_expired` records them as ended when the day has passed)."""
    _require_editor(by, employment.position.municipality)
    _lock_alis(employment.alis)
    employment.start_date, employment.end_date = start_date, end_date
    employment.percentage, employment.via_temp_agency = percentage, via_temp_agency
    _check_employment(employment)
    for agreement in employment.agreements.filter(status__in=OPEN_STATUSES):
        if agreement.start_date < start_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "The draft agreement starts on %(date)s, before this date; change it first."
                    )
                    % {"date": _day(agreement.start_date)}
                }
            )
    _save(employment, by)
    return employment


# Leave


def _check_leave(leave: Leave) -> None:
    employment = leave.employment
    if leave.end_date < leave.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if leave.start_date < employment.start_date or (
        employment.end_date and leave.end_date > employment.end_date
    ):
        raise ValidationError(
            {
                "start_date": _("The leave must be within the employment (%(period)s).")
                % {"period": _period(employment.start_date, employment.end_date)}
            }
        )
    others = Leave.objects.filter(employment=employment).exclude(pk=leave.pk)
    for other in others:
        if overlaps(leave.start_date, leave.end_date, other.start_date, other.end_date):
            raise ValidationError(
                {
                    "start_date": _("It overlaps the leave from %(start)s to %(end)s.")
                    % {"start": _day(other.start_date), "end": _day(other.end_date)}
                }
            )


def _period(start, end) -> str:
    return f"{_day(start)}–{_day(end) if end else _('ongoing')}"


@transaction.atomic
def leave_save(
    *,
    employment: Employment,
    by,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    percentage: Decimal,
    note: str = "",
    leave: Leave | None = None,
) -> Leave:
    """Record a leave (or correct `leave`). Leave stretches the five years of an agreement and
    is not paid for in the grant estimate."""
    _require_editor(by, employment.position.municipality)
    if leave is not None and leave.employment_id != employment.pk:
        raise ValidationError(_("That leave belongs to another employment."))
    leave = leave or Leave(employment=employment)
    leave.kind, leave.start_date, leave.end_date = kind, start_date, end_date
    leave.percentage, leave.note = percentage, note
    _check_leave(leave)
    _save(leave, by)
    return leave


@transaction.atomic
def leave_delete(*, leave: Leave, by) -> None:
    _require_editor(by, leave.employment.position.municipality)
    leave._history_user = by
    leave.delete()


# Agreements


@dataclass(frozen=True)
class MeasureData:
    measure_type: MeasureType
    element: str
    quantity: Decimal | None = None
    amount: Decimal | None = None
    note: str = ""


def _check_measures(measures: list[MeasureData]) -> None:
    for m in measures:
        if m.measure_type.is_quantity and m.quantity is None:
            raise ValidationError(
                _("%(measure)s is counted in %(unit)s: give the quantity.")
                % {"measure": m.measure_type, "unit": m.measure_type.unit}
            )
        if not m.measure_type.is_quantity and m.amount is None:
            raise ValidationError(
                _("%(measure)s is an amount: give the amount per year.")
                % {"measure": m.measure_type}
            )
        if m.element not in Element.values:
            raise ValidationError(_("Unknown element group."))


def _leaves(agreement: Agreement):
    return rules.leave_spans(agreement.employment.leaves.all())


def agreement_latest_end(agreement: Agreement) -> datetime.date:
    """The last day of five years full-time equivalent, from the day it is valid (from the
    agreed start while unsigned), with the employment's leave."""
    start = agreement.valid_from or agreement.start_date
    return rules.latest_end(start, agreement.percentage, _leaves(agreement))


def agreement_check(agreement: Agreement) -> None:
    """The rules of an agreement's period, with errors named by field: within its employment,
    dates in order, at most five years full-time equivalent (longer for part time and leave)."""
    employment = agreement.employment
    errors = {}
    if agreement.end_date < agreement.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if agreement.start_date < employment.start_date:
        errors["start_date"] = _(
            "The employment starts on %(date)s; the agreement cannot start before."
        ) % {"date": _day(employment.start_date)}
    if employment.end_date and agreement.end_date > employment.end_date:
        errors["end_date"] = _(
            "The employment ends on %(date)s; the agreement ends with it at the latest."
        ) % {"date": _day(employment.end_date)}
    if agreement.percentage > employment.percentage:
        errors["percentage"] = _(
            "The employment is %(percentage)s %%; the agreement cannot be for more."
        ) % {"percentage": sandbox._number(employment.percentage)}
    if errors:
        raise ValidationError(errors)
    start = agreement.valid_from or agreement.start_date
    if not rules.within_five_years(
        start, agreement.end_date, agreement.percentage, _leaves(agreement)
    ):
        raise ValidationError(
            {
                "end_date": _(
                    "An agreement lasts at most five years full-time equivalent: at %(percentage)s "
                    "%% and with the leave recorded, that is until %(date)s."
                )
                % {
                    "percentage": sandbox._number(agreement.percentage),
                    "date": _day(agreement_latest_end(agreement)),
                }
            }
        )


def _require_open(agreement: Agreement, *, statuses=(AgreementStatus.DRAFT,)) -> None:
    if agreement.status not in statuses:
        raise ValidationError(
            _("A %(status)s agreement cannot be changed. Make a new version instead.")
            % {"status": agreement.get_status_display().lower()}
        )


def _replace_measures(agreement: Agreement, measures: list[MeasureData], by) -> None:
    _check_measures(measures)
    for old in agreement.measures.all():
        old._history_user = by
        old.delete()
    bulk_create_with_history(
        [
            AgreementMeasure(
                agreement=agreement,
                measure_type=m.measure_type,
                element=m.element,
                quantity=m.quantity,
                amount=m.amount,
                note=m.note,
                order=i,
            )
            for i, m in enumerate(measures)
        ],
        AgreementMeasure,
        default_user=by,
    )


def default_template_version(kind: str = TemplateKind.ALIS_AGREEMENT) -> TemplateVersion | None:
    template = AgreementTemplate.objects.filter(kind=kind, is_default=True).first()
    return template.current_version() if template else None


def _contact_for(municipality) -> tuple[str, str]:
    """The municipality's chief medical officer or health leader, as a first suggestion."""
    contact = (
        municipality.contacts.filter(
            is_active=True, function__in=["chief_medical_officer", "health_leader"]
        )
        .order_by("function", "name")
        .first()
    )
    return (contact.name, contact.title) if contact else ("", "")


def agreement_initial(employment: Employment) -> dict:
    """What a new agreement for the employment starts with."""
    name, title = _contact_for(employment.position.municipality)
    start = max(employment.start_date, timezone.localdate())
    leaves = rules.leave_spans(employment.leaves.all())
    end = rules.latest_end(start, employment.percentage, leaves)
    if employment.end_date:
        end = min(end, employment.end_date)
    return {
        "template_version": default_template_version(),
        "percentage": employment.percentage,
        "start_date": start,
        "end_date": max(end, start),
        "contact_name": name,
        "contact_title": title,
    }


AGREEMENT_FIELDS = [
    "template_version",
    "percentage",
    "start_date",
    "end_date",
    "contact_name",
    "contact_title",
]


@transaction.atomic
def agreement_create(
    *, employment: Employment, by, measures: list[MeasureData], **data
) -> Agreement:
    """Draft an agreement for an employment. One agreement is drafted at a time, and an
    employment with a signed agreement gets a new version of it instead."""
    _require_editor(by, employment.position.municipality)
    Employment.objects.select_for_update().filter(pk=employment.pk).first()
    existing = employment.agreements.all()
    if existing.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This employment already has an agreement being drafted."))
    if existing.filter(status=AgreementStatus.SIGNED).exists():
        raise ValidationError(
            _("This employment has a signed agreement: make a new version of it instead.")
        )
    version = (existing.aggregate(m=Max("version"))["m"] or 0) + 1
    agreement = Agreement(employment=employment, version=version, created_by=by)
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, data[name])
    if agreement.template_version is None:
        raise ValidationError(_("There is no agreement template yet; the office must add one."))
    agreement_check(agreement)
    _save(agreement, by)
    _replace_measures(agreement, measures, by)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by, measures: list[MeasureData], **data) -> Agreement:
    _require_editor(by, agreement.municipality)
    _require_open(agreement)
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, data[name])
    agreement_check(agreement)
    _save(agreement, by)
    _replace_measures(agreement, measures, by)
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by) -> None:
    """Only a draft can be deleted (its history is kept); a signed agreement is ended."""
    _require_editor(by, agreement.municipality)
    _require_open(agreement)
    agreement._history_user = by
    agreement.delete()


def _merge_fields(agreement: Agreement) -> dict:
    start = agreement.valid_from or agreement.start_date
    tables = grants.load_tables([start.year])
    table = grants.table_for(agreement.municipality, start.year, tables)
    return sandbox.merge_fields(
        agreement,
        special_recruitment_challenges=grants.is_special(agreement.municipality, table),
        latest_end=agreement_latest_end(agreement),
    )


def render_document_pdf(body: str, doc: dict) -> bytes:
    """A template's rendered text in the document frame (`doc`: title, parties, version, whether
    signed or an example). Institution-service arrangements use it too."""
    with translation.override("nb"):
        # The sandbox escaped every value; the rest of the text is the template's own HTML.
        return render_pdf("pdf/agreement.html", {"doc": doc, "body": mark_safe(body)})


def agreement_render_pdf(agreement: Agreement) -> bytes:
    """The agreement as a PDF: the template version's text with the agreement's merge fields,
    in Norwegian, marked as a draft until signed. Raises SandboxError for a broken template."""
    body = sandbox.render_body(agreement.template_version.body, _merge_fields(agreement))
    doc = {
        "alis": str(agreement.employment.alis),
        "municipality": agreement.municipality.name,
        "version": agreement.version,
        "template": str(agreement.template_version),
        "signed": agreement.status == AgreementStatus.SIGNED,
        "signed_on": agreement.signed_on,
    }
    return render_document_pdf(body, doc)


def template_preview_pdf(
    *, body: str, name: str = "", kind: str = TemplateKind.ALIS_AGREEMENT
) -> bytes:
    """A template's text as a PDF with example values (raises SandboxError if it is broken)."""
    fields = sandbox.sample_fields(kind)
    doc = {
        "title": TemplateKind(kind).label,
        "alis": fields.get("alis_name", ""),
        "municipality": fields.get("municipality", ""),
        "version": fields.get("version", 1),
        "template": name,
        "sample": True,
    }
    return render_document_pdf(sandbox.render_body(body, fields, kind=kind), doc)


@transaction.atomic
def agreement_send(*, agreement: Agreement, by) -> Agreement:
    """Send a draft for signature: its text is now what will be signed."""
    _require_editor(by, agreement.municipality)
    _require_open(agreement)
    agreement_check(agreement)
    if not agreement.measures.exists():
        raise ValidationError(_("An agreement needs at least one measure."))
    errors = sandbox.check_body(agreement.template_version.body)
    if errors:
        raise ValidationError(errors)
    agreement.status = AgreementStatus.SENT
    agreement.sent_at = timezone.now()
    _save(agreement, by, ["status", "sent_at"])
    return agreement


@transaction.atomic
def agreement_withdraw(*, agreement: Agreement, by) -> Agreement:
    """Take an agreement back from signature to change it."""
    _require_editor(by, agreement.municipality)
    _require_open(agreement, statuses=(AgreementStatus.SENT,))
    agreement.status = AgreementStatus.DRAFT
    agreement.sent_at = None
    _save(agreement, by, ["status", "sent_at"])
    return agreement


def _store_scan(agreement: Agreement, scan) -> None:
    validate_upload(scan)
    data = scan.read()
    suffix = Path(scan.name).suffix.lower()
    agreement.scan.save(
        f"signert-{agreement.pk}-v{agreement.version}{suffix}",
        content_file(data, "scan"),
        save=False,
    )
    agreement.scan_sha256 = sha256_hex(data)
    agreement.scan_uploaded_at = timezone.now()


@transaction.atomic
def agreement_sign(*, agreement: Agreement, by, signed_on: datetime.date, scan=None) -> Agreement:
    """Record that both parties signed. The agreement is then frozen: its PDF is rendered once
    and stored with its SHA-256 checksum; a version it replaces ends the day before this one is
    valid."""
    _require_editor(by, agreement.municipality)
    agreement = (
        Agreement.objects.select_for_update(of=("self",)).with_details().get(pk=agreement.pk)
    )
    _require_open(agreement, statuses=(AgreementStatus.SENT,))
    today = timezone.localdate()
    if signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if signed_on > agreement.end_date:
        raise ValidationError(
            {
                "signed_on": _("The agreement's period ended on %(date)s, before this date.")
                % {"date": _day(agreement.end_date)}
            }
        )
    agreement.signed_on = signed_on
    agreement_check(agreement)
    previous = agreement.replaces
    if previous is not None and previous.status == AgreementStatus.SIGNED:
        previous.status = AgreementStatus.ENDED
        previous.end_reason = EndReason.REPLACED
        previous.ended_on = max(
            previous.valid_from, agreement.valid_from - datetime.timedelta(days=1)
        )
        previous.end_note = _("Replaced by version %(version)s.") % {"version": agreement.version}
        _save(previous, by, ["status", "end_reason", "ended_on", "end_note"])
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_recorded_by = by
    pdf = agreement_render_pdf(agreement)
    agreement.pdf.save(
        f"avtale-{agreement.pk}-v{agreement.version}.pdf", content_file(pdf, "pdf"), save=False
    )
    agreement.pdf_sha256 = sha256_hex(pdf)
    fields = ["status", "signed_on", "signed_recorded_by", "pdf", "pdf_sha256"]
    if scan is not None:
        _store_scan(agreement, scan)
        fields += ["scan", "scan_sha256", "scan_uploaded_at"]
    _save(agreement, by, fields)
    return agreement


@transaction.atomic
def agreement_attach_scan(*, agreement: Agreement, by, scan) -> Agreement:
    """Keep the scanned signed copy beside the frozen PDF (a new scan replaces it; the change
    history keeps the old one's checksum)."""
    _require_editor(by, agreement.municipality)
    if not agreement.is_signed:
        raise ValidationError(_("Only a signed agreement has a signed scan."))
    _store_scan(agreement, scan)
    _save(agreement, by, ["scan", "scan_sha256", "scan_uploaded_at"])
    return agreement


@transaction.atomic
def agreement_end(
    *, agreement: Agreement, by, ended_on: datetime.date, reason: str, note: str = ""
) -> Agreement:
    """End a signed agreement (period over, doctor left, grant refused, terminated)."""
    _require_editor(by, agreement.municipality)
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement can be ended."))
    if reason not in EndReason.values or reason == EndReason.REPLACED:
        raise ValidationError({"reason": _("Choose why the agreement ends.")})
    if ended_on < agreement.valid_from:
        raise ValidationError(
            {
                "ended_on": _("The agreement is valid from %(date)s; it cannot end before.")
                % {"date": _day(agreement.valid_from)}
            }
        )
    if ended_on > agreement.end_date:
        raise ValidationError(
            {
                "ended_on": _("The agreement ends on %(date)s at the latest.")
                % {"date": _day(agreement.end_date)}
            }
        )
    agreement.status = AgreementStatus.ENDED
    agreement.ended_on, agreement.end_reason, agreement.end_note = ended_on, reason, note
    _save(agreement, by, ["status", "ended_on", "end_reason", "end_note"])
    return agreement


@transaction.atomic
def agreement_new_version(*, agreement: Agreement, by) -> Agreement:
    """A draft copy of a signed agreement, to change it. The signed one stays as it is until
    the new version is signed."""
    _require_editor(by, agreement.municipality)
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement gets a new version."))
    if agreement.employment.agreements.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("A new version is already being drafted."))
    template = agreement.template_version.template
    version = (agreement.employment.agreements.aggregate(m=Max("version"))["m"] or 0) + 1
    draft = Agreement(
        employment=agreement.employment,
        version=version,
        replaces=agreement,
        template_version=template.current_version() or agreement.template_version,
        percentage=agreement.percentage,
        start_date=max(agreement.start_date, timezone.localdate()),
        end_date=agreement.end_date,
        contact_name=agreement.contact_name,
        contact_title=agreement.contact_title,
        created_by=by,
    )
    if draft.start_date > draft.end_date:
        raise ValidationError(_("The agreement's period is over; draft a new agreement instead."))
    _save(draft, by)
    _replace_measures(
        draft,
        [
            MeasureData(m.measure_type, m.element, m.quantity, m.amount, m.note)
            for m in agreement.measures.select_related("measure_type")
        ],
        by,
    )
    return draft


@transaction.atomic
def agreements_close_expired(*, on: datetime.date | None = None) -> int:
    """Record as ended the signed agreements whose end has passed: the period is over, or the
    doctor left (the employment ended first). Safe to run again."""
    on = on or timezone.localdate()
    count = 0
    expired = (
        Agreement.objects.with_dates()
        .filter(status=AgreementStatus.SIGNED, ends_on__lt=on)
        .select_related("employment")
        .select_for_update(of=("self",))
    )
    for agreement in expired:
        employment = agreement.employment
        left = employment.end_date is not None and employment.end_date < agreement.end_date
        agreement.status = AgreementStatus.ENDED
        agreement.ended_on = agreement.ends_on
        agreement.end_reason = EndReason.DOCTOR_LEFT if left else EndReason.PERIOD_OVER
        _save(agreement, None, ["status", "ended_on", "end_reason"])
        count += 1
    return count


# Templates and measure types (the office's advisers)


def _check_body(body: str, kind: str) -> None:
    errors = sandbox.check_body(body, kind=kind)
    if errors:
        raise ValidationError({"body": errors})


@transaction.atomic
def template_create(
    *,
    by,
    name: str,
    description: str,
    body: str,
    note: str = "",
    kind: str = TemplateKind.ALIS_AGREEMENT,
) -> AgreementTemplate:
    """A new template; the first of its kind is the kind's default."""
    _require_adviser(by)
    _check_body(body, kind)
    template = AgreementTemplate.objects.create(
        name=name,
        kind=kind,
        description=description,
        is_default=not AgreementTemplate.objects.filter(kind=kind).exists(),
    )
    TemplateVersion.objects.create(template=template, number=1, body=body, note=note, created_by=by)
    return template


@transaction.atomic
def template_version_create(
    *, template: AgreementTemplate, by, body: str, note: str = ""
) -> TemplateVersion:
    """A new version of the template's text. Agreements keep the version they were made from;
    drafts move to the new one when they are next saved."""
    _require_adviser(by)
    _check_body(body, template.kind)
    AgreementTemplate.objects.select_for_update().filter(pk=template.pk).first()
    number = (template.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return TemplateVersion.objects.create(
        template=template, number=number, body=body, note=note, created_by=by
    )


@transaction.atomic
def template_make_default(*, template: AgreementTemplate, by) -> AgreementTemplate:
    _require_adviser(by)
    AgreementTemplate.objects.filter(kind=template.kind, is_default=True).exclude(
        pk=template.pk
    ).update(is_default=False)
    template.is_default = True
    template.save(update_fields=["is_default"])
    return template


MEASURE_TYPE_FIELDS = [
    "name",
    "element",
    "measured_in",
    "unit",
    "default_value",
    "description",
    "order",
    "is_active",
]


@transaction.atomic
def measure_type_save(*, by, measure_type: MeasureType | None = None, **data) -> MeasureType:
    """Add or change a measure type. Agreements keep their measures' values; a new name shows
    in drafts and in PDFs made from now on (signed PDFs are frozen)."""
    _require_adviser(by)
    measure_type = measure_type or MeasureType()
    for name, value in data.items():
        if name not in MEASURE_TYPE_FIELDS:
            raise ValueError(f"{name} is not a measure-type field")
        setattr(measure_type, name, value)
    if measure_type.is_quantity and not measure_type.unit:
        raise ValidationError({"unit": _("A quantity needs a unit, e.g. “hours per month”.")})
    _save(measure_type, by)
    return measure_type


# Grant schemes and rate tables (the office's advisers)


@transaction.atomic
def grant_scheme_save(
    *, by, name: str, description: str, municipalities, scheme: GrantScheme | None = None
) -> GrantScheme:
    _require_adviser(by)
    scheme = scheme or GrantScheme()
    scheme.name, scheme.description = name, description
    _save(scheme, by)
    scheme.municipalities.set(municipalities)
    return scheme


@dataclass(frozen=True)
class RateData:
    element: str
    label: str
    amount: Decimal
    position_type: str = ""
    employment_form: str = ""
    min_percentage: Decimal = Decimal(0)
    prorate_by_percentage: bool = True


TABLE_FIELDS = [
    "special_centrality_classes",
    "excludes_temp_agency",
    "municipal_share",
    "is_example",
    "source",
]


@transaction.atomic
def grant_table_save(
    *,
    by,
    scheme: GrantScheme,
    year: int,
    rates: list[RateData],
    table: GrantTable | None = None,
    **data,
) -> GrantTable:
    """Create or change a scheme's table for a year with all its rates, in one go."""
    _require_adviser(by)
    if table is None:
        if GrantTable.objects.filter(scheme=scheme, year=year).exists():
            raise ValidationError(
                {
                    "year": _("%(scheme)s already has a table for %(year)s.")
                    % {"scheme": scheme, "year": year}
                }
            )
        table = GrantTable(scheme=scheme, year=year)
    for name, value in data.items():
        if name not in TABLE_FIELDS:
            raise ValueError(f"{name} is not a table field")
        setattr(table, name, value)
    table.special_centrality_classes = sorted({int(c) for c in table.special_centrality_classes})
    if any(not 1 <= c <= 6 for c in table.special_centrality_classes):
        raise ValidationError({"special_centrality_classes": _("Centrality classes are 1 to 6.")})
    keys = [
        (r.element, r.label, r.position_type, r.employment_form, r.min_percentage) for r in rates
    ]
    if len(keys) != len(set(keys)):
        raise ValidationError(
            _("Two rates are for the same element, purpose, position and percentage.")
        )
    if any(r.element not in (Element.STANDARD, Element.ADDITIONAL) for r in rates):
        raise ValidationError(_("Rates are for standard or additional elements only."))
    _save(table, by)
    for old in table.rates.all():
        old._history_user = by
        old.delete()
    bulk_create_with_history(
        [GrantRate(table=table, **r.__dict__) for r in rates], GrantRate, default_user=by
    )
    return table


@dataclass
class ImportResult:
    schemes: int = 0
    tables: int = 0


@transaction.atomic
def grant_schemes_import(*, data: list[dict]) -> ImportResult:
    """Load initial schemes and tables (data/grant_schemes.json). A scheme that already exists
    is left as the advisers keep it; a missing year's table is added. Running it again changes
    nothing."""
    result = ImportResult()
    numbers = dict(Municipality.objects.values_list("number", "pk"))
    for entry in data:
        scheme, created = GrantScheme.objects.get_or_create(
            name=entry["name"], defaults={"description": entry.get("description", "")}
        )
        if created:
            result.schemes += 1
            members = [numbers[n] for n in entry.get("municipalities", []) if n in numbers]
            scheme.municipalities.set(members)
        for year_entry in entry["tables"]:
            for year in year_entry["years"]:
                if GrantTable.objects.filter(scheme=scheme, year=year).exists():
                    continue
                table = GrantTable.objects.create(
                    scheme=scheme,
                    year=year,
                    special_centrality_classes=year_entry.get("special_centrality_classes", []),
                    excludes_temp_agency=year_entry.get("excludes_temp_agency", False),
                    municipal_share=Decimal(year_entry.get("municipal_share", 0)),
                    is_example=year_entry.get("is_example", False),
                    source=year_entry.get("source", ""),
                )
                bulk_create_with_history(
                    [
                        GrantRate(
                            table=table,
                            element=r.get("element", Element.STANDARD),
                            label=r["label"],
                            position_type=r.get("position_type", ""),
                            employment_form=r.get("employment_form", ""),
                            min_percentage=Decimal(r.get("min_percentage", 0)),
                            amount=Decimal(r["amount"]),
                            prorate_by_percentage=r.get("prorate_by_percentage", True),
                        )
                        for r in year_entry["rates"]
                    ],
                    GrantRate,
                )
                result.tables += 1
    return result
