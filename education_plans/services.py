"""Writes to education plans, with their rules and who may make them.

Other apps call only the ledger functions `activity_record_external` and
`activity_remove_external` (and, for membership of a supervision group,
`group_period_record_external` and `group_period_remove_external`): they own the `source_key`
(e.g. "supervision.session:42", "courses.attendance:7", "supervision.membership:3") and call
again whenever the source changes; the ledger follows.

Everything else is done by people through the plan's pages (or a management command). Views
fetch records through `visible_to(user)` (outside the scope: 404); the services check again
what the person may change (seen but not theirs to change: PermissionDenied, a 403), so no
caller can skip a rule. Bad input raises ValidationError (by field where there is one) and
changes nothing.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from accounts.scope import scope_for
from alisvest.documents import validate_upload
from alisvest.tabular import RowError, TableError
from education_plans import rules
from education_plans.models import (
    Attestation,
    Catalogue,
    EducationPlan,
    GroupSupervisionPeriod,
    LearningActivity,
    Objective,
    ServicePeriod,
    SupervisionRelationship,
)
from education_plans.rules import RuleSet, ServiceType
from municipalities.models import Municipality

# Who may do what (DESIGN.md, "Who uses it")


def may_read_catalogues(user) -> bool:
    """Catalogues are reference data: everyone who holds a role in the portal reads them."""
    scope = scope_for(user)
    return bool(scope.roles) or scope.is_superuser


def may_import_catalogues(user) -> bool:
    return scope_for(user).is_adviser


def may_create_plan(user, municipality: Municipality) -> bool:
    """The municipality's managers and the advisers of its region."""
    return scope_for(user).can_manage_municipality(municipality)


def may_administer_plan(user, plan: EducationPlan) -> bool:
    """Change the plan itself (start, rule set, education leader, catalogue versions)."""
    return scope_for(user).can_manage_municipality(plan.municipality)


def may_edit_records(user, plan: EducationPlan) -> bool:
    """Enter service periods and activities: the ALIS, their managers and advisers."""
    return scope_for(user).user_id == plan.alis_id or may_administer_plan(user, plan)


def is_active_supervisor(user, alis_id: int, on: datetime.date | None = None) -> bool:
    user_id = scope_for(user).user_id
    return (
        user_id is not None
        and SupervisionRelationship.objects.active(on)
        .filter(alis_id=alis_id, supervisor_id=user_id)
        .exists()
    )


def may_request_attestation(user, plan: EducationPlan) -> bool:
    return scope_for(user).user_id == plan.alis_id


def may_attest(user, plan: EducationPlan) -> bool:
    user_id = scope_for(user).user_id
    return user_id is not None and plan.education_leader_id == user_id


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _changed(obj, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


def _update(obj, values: dict) -> list[str]:
    changed = _changed(obj, values)
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# Catalogues: import from CSV or XLSX

IMPORT_MAX_ROWS = 2000
# Column names people use, English and Norwegian (Helsedirektoratet's sheets), after folding
# case, spaces and hyphens. Columns not named here are ignored.
COLUMNS = {
    "code": ["code", "kode", "nr", "nummer", "læringsmålnummer"],
    "title": ["title", "tittel", "objective", "læringsmål", "beskrivelse", "description"],
    "theme": ["theme", "tema", "emne"],
    "version": ["version", "catalogue_version", "versjon", "katalogversjon"],
    "valid_from": ["valid_from", "gyldig_fra"],
    "valid_to": ["valid_to", "gyldig_til"],
    "recommended_activities": [
        "recommended_activities",
        "anbefalte_læringsaktiviteter",
        "læringsaktiviteter",
        "activities",
    ],
    "arenas": ["arenas", "learning_arenas", "læringsarenaer", "læringsarena"],
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
LIMITS = {"code": 20, "title": 500, "theme": 200, "version": 40}


def _column(name: str) -> str:
    folded = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(folded, folded)


def _parse_date(text: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class ObjectiveRow:
    line: int
    code: str
    title: str
    theme: str
    recommended_activities: str
    arenas: str

    def values(self) -> dict:
        return {
            "title": self.title,
            "theme": self.theme,
            "recommended_activities": self.recommended_activities,
            "arenas": self.arenas,
        }


@dataclass(frozen=True)
class ObjectiveChange:
    objective: Objective
    row: ObjectiveRow
    fields: list[str]


@dataclass
class CatalogueImport:
    """What importing a file does to a catalogue version: the preview, and the summary after."""

    kind: str
    version: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    catalogue: Catalogue | None
    rows: list[ObjectiveRow]
    new: list[ObjectiveRow] = field(default_factory=list)
    changed: list[ObjectiveChange] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Objective] = field(default_factory=list)
    kept: list[Objective] = field(default_factory=list)
    catalogue_fields: list[str] = field(default_factory=list)
    closes: Catalogue | None = None  # the previous version that ends the day before

    @property
    def kind_label(self) -> str:
        return str(Catalogue.Kind(self.kind).label)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.catalogue is None
            or self.new
            or self.changed
            or self.removed
            or self.catalogue_fields
            or self.closes
        )


def _one_value(rows, column: str, given, parse, errors) -> object:
    """A catalogue-wide value (version, valid from/to): from the form or command, or from the
    file's column, which must then say the same on every row."""
    value = given
    for line, row in rows:
        text = row.get(column, "")
        if not text:
            continue
        parsed = parse(text)
        if parsed is None:
            errors.append(RowError(line, column, _("“%(value)s” is not a date") % {"value": text}))
        elif value in (None, ""):
            value = parsed
        elif parsed != value:
            errors.append(
                RowError(
                    line,
                    column,
                    _("“%(value)s” differs from “%(expected)s”: one file is one version")
                    % {"value": text, "expected": value},
                )
            )
    return value


def _objective_rows(rows, errors) -> list[ObjectiveRow]:
    parsed, seen = [], {}
    for line, row in rows:
        code = row.get("code", "")
        title = row.get("title", "")
        if not code:
            errors.append(RowError(line, "code", _("is required")))
        elif code.upper() in seen:
            errors.append(
                RowError(
                    line,
                    "code",
                    _("“%(code)s” appears more than once (also line %(other)s)")
                    % {"code": code, "other": seen[code.upper()]},
                )
            )
        else:
            seen[code.upper()] = line
        if not title:
            errors.append(RowError(line, "title", _("is required")))
        for column, limit in LIMITS.items():
            if len(row.get(column, "")) > limit:
                errors.append(
                    RowError(line, column, _("is longer than %(n)s characters") % {"n": limit})
                )
        parsed.append(
            ObjectiveRow(
                line=line,
                code=code,
                title=title,
                theme=row.get("theme", ""),
                recommended_activities=row.get("recommended_activities", ""),
                arenas=row.get("arenas", ""),
            )
        )
    return parsed


def catalogue_import_preview(
    *,
    rows: list[tuple[int, dict]],
    kind: str,
    version: str | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> CatalogueImport:
    """Check every row of a catalogue file and say what importing it would change; nothing is
    saved. Raises TableError naming each bad row's line and column."""
    if kind not in Catalogue.Kind.values:
        raise TableError(_("Unknown catalogue “%(kind)s” (alm or fkm).") % {"kind": kind})
    rows = [(line, {_column(k): v for k, v in row.items()}) for line, row in rows]
    if not rows:
        raise TableError(_("The file has no objectives."))
    if len(rows) > IMPORT_MAX_ROWS:
        raise TableError(
            _("The file has more than %(n)s rows; split it or ask the office.")
            % {"n": IMPORT_MAX_ROWS}
        )
    header = set().union(*(row.keys() for _line, row in rows))
    missing = [c for c in ("code", "title", "theme") if c not in header]
    if missing:
        raise TableError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    errors: list[RowError] = []
    version = _one_value(rows, "version", (version or "").strip(), lambda t: t, errors)
    valid_from = _one_value(rows, "valid_from", valid_from, _parse_date, errors)
    valid_to = _one_value(rows, "valid_to", valid_to, _parse_date, errors)
    if not version:
        errors.append(RowError(1, "version", _("is required: give it here or as a column")))
    if valid_from is None:
        errors.append(RowError(1, "valid_from", _("is required: give it here or as a column")))
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(RowError(1, "valid_to", _("is before valid from")))
    objective_rows = _objective_rows(rows, errors)
    if errors:
        raise TableError(errors)

    catalogue = Catalogue.objects.filter(kind=kind, version=version).first()
    if catalogue is not None and valid_to is None:
        # Not given: the version keeps its end (set when a newer version took over).
        valid_to = catalogue.valid_to
    result = CatalogueImport(kind, version, valid_from, valid_to, catalogue, objective_rows)
    existing = {}
    if catalogue is not None:
        result.catalogue_fields = _changed(
            catalogue, {"valid_from": valid_from, "valid_to": valid_to}
        )
        existing = {o.code.upper(): o for o in catalogue.objectives.all()}
    for row in objective_rows:
        objective = existing.pop(row.code.upper(), None)
        if objective is None:
            result.new.append(row)
            continue
        fields = _changed(objective, {"code": row.code, **row.values()})
        if fields:
            result.changed.append(ObjectiveChange(objective, row, fields))
        else:
            result.unchanged += 1
    if existing:
        in_use = set(
            Objective.objects.filter(pk__in=[o.pk for o in existing.values()])
            .filter(Q(attestations__isnull=False) | Q(activities__isnull=False))
            .values_list("pk", flat=True)
        )
        for objective in sorted(existing.values(), key=lambda o: o.code):
            (result.kept if objective.pk in in_use else result.removed).append(objective)
    result.closes = (
        Catalogue.objects.filter(kind=kind, valid_to__isnull=True, valid_from__lt=valid_from)
        .exclude(version=version)
        .order_by("-valid_from")
        .first()
    )
    return result


@transaction.atomic
def catalogue_import(
    *,
    rows: list[tuple[int, dict]],
    kind: str,
    version: str | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    by=None,
    source_name: str = "",
) -> CatalogueImport:
    """Create or update a catalogue version from a file's rows, all or nothing.

    Objectives are matched by code. An objective no longer in the file is removed if no plan
    refers to it, and kept otherwise. The open-ended version before this one ends the day
    before this one starts. Importing the same file again changes nothing. `by` is None only
    for the management command.
    """
    if by is not None:
        _require(may_import_catalogues(by), _("Only the office's advisers import catalogues."))
    result = catalogue_import_preview(
        rows=rows, kind=kind, version=version, valid_from=valid_from, valid_to=valid_to
    )
    if not result.changes_anything:
        return result
    stamp = {"imported_at": timezone.now(), "imported_by": by, "source_name": source_name[:200]}
    if result.closes is not None:
        _update(result.closes, {"valid_to": result.valid_from - rules.ONE_DAY})
    catalogue = result.catalogue
    if catalogue is None:
        catalogue = Catalogue.objects.create(
            kind=kind,
            version=result.version,
            valid_from=result.valid_from,
            valid_to=result.valid_to,
            **stamp,
        )
    else:
        _update(catalogue, {"valid_from": result.valid_from, "valid_to": result.valid_to, **stamp})
    for row in result.new:
        Objective.objects.create(catalogue=catalogue, code=row.code, **row.values())
    for change in result.changed:
        _update(change.objective, {"code": change.row.code, **change.row.values()})
    for objective in result.removed:
        objective.delete()
    result.catalogue = catalogue
    return result


# Moving a plan to another catalogue version


@dataclass
class CatalogueMove:
    plan: EducationPlan
    old: Catalogue | None
    new: Catalogue
    matched: list[tuple[Objective, Objective]] = field(default_factory=list)
    unmatched: list[Objective] = field(default_factory=list)
    unmatched_in_use: set[int] = field(default_factory=set)
    added: list[Objective] = field(default_factory=list)
    attestations_moved: int = 0
    conflicts: list[Attestation] = field(default_factory=list)


def _catalogue_field(kind: str) -> str:
    return "alm_catalogue" if kind == Catalogue.Kind.ALM else "fkm_catalogue"


def plan_catalogue_move_preview(*, plan: EducationPlan, catalogue: Catalogue) -> CatalogueMove:
    """Map the plan's objectives of one catalogue to another version by code: which match,
    which have no match (and whether an attestation or activity refers to them), which are
    new. Nothing is saved."""
    name = _catalogue_field(catalogue.kind)
    old = getattr(plan, name)
    if old is not None and old.pk == catalogue.pk:
        raise ValidationError(_("The plan already uses this catalogue version."))
    move = CatalogueMove(plan, old, catalogue)
    new_by_code = {o.code.upper(): o for o in catalogue.objectives.all()}
    if old is None:
        move.added = sorted(new_by_code.values(), key=lambda o: o.code)
        return move
    old_objectives = list(old.objectives.all())
    for objective in old_objectives:
        target = new_by_code.pop(objective.code.upper(), None)
        if target is None:
            move.unmatched.append(objective)
        else:
            move.matched.append((objective, target))
    move.added = sorted(new_by_code.values(), key=lambda o: o.code)
    unmatched_ids = [o.pk for o in move.unmatched]
    move.unmatched_in_use = set(
        Attestation.objects.filter(plan=plan, objective_id__in=unmatched_ids).values_list(
            "objective_id", flat=True
        )
    ) | set(
        LearningActivity.objects.filter(
            alis_id=plan.alis_id, objectives__in=unmatched_ids
        ).values_list("objectives", flat=True)
    )
    return move


@transaction.atomic
def plan_catalogue_move(*, plan: EducationPlan, catalogue: Catalogue, by) -> CatalogueMove:
    """Move the plan to another version of a catalogue. Attestations follow their code (an
    attestation for a code the new version lacks stays on the old objective, and is listed);
    activities' links to objectives follow their code too."""
    _require(
        may_administer_plan(by, plan),
        _("Only the municipality's managers and the office's advisers change a plan."),
    )
    move = plan_catalogue_move_preview(plan=plan, catalogue=catalogue)
    targets = {old.pk: new.pk for old, new in move.matched}
    if targets:
        taken = set(
            Attestation.objects.filter(plan=plan, objective_id__in=targets.values()).values_list(
                "objective_id", flat=True
            )
        )
        for attestation in Attestation.objects.filter(plan=plan, objective_id__in=targets):
            target = targets[attestation.objective_id]
            if target in taken:
                move.conflicts.append(attestation)
                continue
            attestation.objective_id = target
            attestation.save(update_fields=["objective"])
            move.attestations_moved += 1
        links = LearningActivity.objectives.through.objects.filter(
            learningactivity__alis_id=plan.alis_id, objective_id__in=targets
        )
        LearningActivity.objectives.through.objects.bulk_create(
            [
                LearningActivity.objectives.through(
                    learningactivity_id=link.learningactivity_id,
                    objective_id=targets[link.objective_id],
                )
                for link in links
            ],
            ignore_conflicts=True,
        )
        links.delete()
    name = _catalogue_field(catalogue.kind)
    setattr(plan, name, catalogue)
    plan.save(update_fields=[name])
    return move


# Plans


def catalogue_for(kind: str, on: datetime.date) -> Catalogue | None:
    """The version in force on a day, else the one in force today (a plan keeps the version
    it started with)."""
    catalogues = Catalogue.objects.filter(kind=kind)
    return (
        catalogues.in_force(on).order_by("-valid_from").first()
        or catalogues.in_force().order_by("-valid_from").first()
    )


def alis_candidates(user, municipality: Municipality | None = None):
    """The ALIS a person may make a plan for: holding the ALIS role or employed today in a
    municipality they manage or advise (or in the one given), and without a plan yet."""
    from alis_agreements.models import Employment

    municipalities = Municipality.objects.editable_by(user)
    if municipality is not None:
        municipalities = municipalities.filter(pk=municipality.pk)
    roles = RoleAssignment.objects.active().filter(role=Role.ALIS, municipality__in=municipalities)
    employed = Employment.objects.active().filter(position__municipality__in=municipalities)
    return User.objects.filter(
        Q(pk__in=roles.values("user_id")) | Q(pk__in=employed.values("alis_id")),
        is_active=True,
        education_plan__isnull=True,
    ).order_by("last_name", "first_name")


def leader_candidates(municipalities):
    """People who may lead the education: the municipalities' managers and supervisors."""
    holders = RoleAssignment.objects.active().filter(
        role__in=[Role.MANAGER, Role.SUPERVISOR], municipality__in=municipalities
    )
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def _check_plan(*, alis, municipality, start_date, rule_set, education_leader, plan=None):
    errors = {}
    if rule_set == RuleSet.OLD and start_date >= rules.NEW_RULES_FROM:
        errors["rule_set"] = _("The old rules apply only to those who started before 1 March 2019.")
    if education_leader is not None:
        if education_leader.pk == alis.pk:
            errors["education_leader"] = _("The ALIS cannot lead their own education.")
        elif not leader_candidates([municipality]).filter(pk=education_leader.pk).exists():
            errors["education_leader"] = _(
                "%(person)s is not a manager or supervisor in %(municipality)s."
            ) % {"person": education_leader, "municipality": municipality}
    if (
        plan is not None
        and rule_set != RuleSet.OLD
        and plan.service_periods.filter(service_type=ServiceType.OLD_HOSPITAL).exists()
    ):
        errors["rule_set"] = _(
            "The plan has hospital service under the old rules; change or remove it first."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_create(
    *,
    alis,
    municipality: Municipality,
    start_date: datetime.date,
    by,
    education_leader=None,
    rule_set: str | None = None,
    alm_catalogue: Catalogue | None = None,
    fkm_catalogue: Catalogue | None = None,
) -> EducationPlan:
    """Make the one plan of an ALIS. The rule set follows from the start date unless given;
    the catalogues default to the versions in force when the education started."""
    _require(
        may_create_plan(by, municipality),
        _("Only the municipality's managers and the office's advisers make plans."),
    )
    if EducationPlan.objects.filter(alis=alis).exists():
        raise ValidationError(
            {"alis": _("%(alis)s already has an education plan.") % {"alis": alis}}
        )
    if not alis_candidates(by).filter(pk=alis.pk).exists():
        raise ValidationError(
            {"alis": _("%(alis)s is not an ALIS of a municipality you follow.") % {"alis": alis}}
        )
    rule_set = rule_set or rules.rule_set_for_start(start_date)
    _check_plan(
        alis=alis,
        municipality=municipality,
        start_date=start_date,
        rule_set=rule_set,
        education_leader=education_leader,
    )
    return EducationPlan.objects.create(
        alis=alis,
        municipality=municipality,
        start_date=start_date,
        rule_set=rule_set,
        education_leader=education_leader,
        alm_catalogue=alm_catalogue or catalogue_for(Catalogue.Kind.ALM, start_date),
        fkm_catalogue=fkm_catalogue or catalogue_for(Catalogue.Kind.FKM, start_date),
    )


@transaction.atomic
def plan_update(
    *,
    plan: EducationPlan,
    by,
    municipality: Municipality,
    start_date: datetime.date,
    rule_set: str,
    education_leader=None,
) -> EducationPlan:
    """Change the plan's facts. Handing it to another municipality needs the right to make
    plans there too."""
    _require(
        may_administer_plan(by, plan) and may_create_plan(by, municipality),
        _("Only the municipality's managers and the office's advisers change a plan."),
    )
    _check_plan(
        alis=plan.alis,
        municipality=municipality,
        start_date=start_date,
        rule_set=rule_set,
        education_leader=education_leader,
        plan=plan,
    )
    _update(
        plan,
        {
            "municipality": municipality,
            "start_date": start_date,
            "rule_set": rule_set,
            "education_leader": education_leader,
        },
    )
    return plan


# Service periods


def _check_period(plan: EducationPlan, values: dict, *, exclude: int | None = None) -> None:
    start, end = values["start_date"], values.get("end_date")
    percentage = Decimal(values["percentage"])
    errors = {}
    if end is not None and end < start:
        errors["end_date"] = _("The period ends before it starts.")
    if not Decimal(1) <= percentage <= Decimal(100):
        errors["percentage"] = _("The position percentage is from 1 to 100.")
    if values["service_type"] == ServiceType.OLD_HOSPITAL and plan.rule_set != RuleSet.OLD:
        errors["service_type"] = _(
            "Hospital service under the old rules counts only in plans that follow them."
        )
    if errors:
        raise ValidationError(errors)
    far = datetime.date.max
    others = [
        p
        for p in plan.service_periods.exclude(pk=exclude)
        if p.start_date <= (end or far) and (p.end_date or far) >= start
    ]
    # The sum of percentages changes only where a period starts.
    for day in sorted({start} | {p.start_date for p in others if p.start_date > start}):
        at_once = [p for p in others if p.start_date <= day <= (p.end_date or far)]
        total = percentage + sum((p.percentage for p in at_once), Decimal(0))
        if total > 100:
            raise ValidationError(
                {
                    "percentage": _(
                        "With %(others)s this makes %(total)s %% on %(day)s; at most 100 %% "
                        "may be served at once."
                    )
                    % {
                        "others": ", ".join(
                            f"{p.place} ({p.percentage.normalize():f} %)" for p in at_once
                        ),
                        "total": f"{total.normalize():f}",
                        "day": _short(day),
                    }
                }
            )


PERIOD_FIELDS = (
    "service_type",
    "arena",
    "place",
    "practice",
    "start_date",
    "end_date",
    "percentage",
    "note",
)


@transaction.atomic
def service_period_add(*, plan: EducationPlan, by, **values) -> ServicePeriod:
    """Add a period of service. Periods of one plan may overlap (a 50 % post beside a 50 %
    one) but never add up to more than 100 % on any day."""
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    plan = EducationPlan.objects.select_for_update().get(pk=plan.pk)
    values = {k: values.get(k) for k in PERIOD_FIELDS}
    values["note"] = values["note"] or ""
    _check_period(plan, values)
    return ServicePeriod.objects.create(plan=plan, **values)


@transaction.atomic
def service_period_update(*, period: ServicePeriod, by, **values) -> ServicePeriod:
    _require(may_edit_records(by, period.plan), _("You may not change this plan."))
    plan = EducationPlan.objects.select_for_update().get(pk=period.plan_id)
    # Compared with the row as stored: a bound ModelForm has already changed `period`.
    period = ServicePeriod.objects.get(pk=period.pk)
    values = {k: values.get(k) for k in PERIOD_FIELDS}
    values["note"] = values["note"] or ""
    _check_period(plan, values, exclude=period.pk)
    _update(period, values)
    return period


@transaction.atomic
def service_period_remove(*, period: ServicePeriod, by) -> None:
    _require(may_edit_records(by, period.plan), _("You may not change this plan."))
    period.delete()


# Group supervision entered by hand (a group outside the portal)


@transaction.atomic
def group_period_add(
    *, plan: EducationPlan, by, title: str, start_date, end_date=None
) -> GroupSupervisionPeriod:
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The period ends before it starts.")})
    return GroupSupervisionPeriod.objects.create(
        alis_id=plan.alis_id, title=title, start_date=start_date, end_date=end_date
    )


@transaction.atomic
def group_period_remove(*, period: GroupSupervisionPeriod, plan: EducationPlan, by) -> None:
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    _require(period.alis_id == plan.alis_id, _("You may not change this plan."))
    _require(
        not period.source_key,
        _("This group membership comes from the supervision groups; change it there."),
    )
    period.delete()


# Learning activities entered in the plan


def _check_activity(plan: EducationPlan, values: dict, objectives) -> None:
    errors = {}
    today = timezone.localdate()
    if values["status"] == LearningActivity.Status.DONE and values["date"] > today:
        errors["date"] = _("A done activity cannot be dated in the future.")
    hours = Decimal(values["hours"])
    if not Decimal(0) <= hours <= Decimal(1000):
        errors["hours"] = _("Hours are from 0 to 1000.")
    allowed = {c.pk for c in plan.catalogues}
    foreign = [o for o in objectives if o.catalogue_id not in allowed]
    if foreign:
        errors["objectives"] = _("%(codes)s are not objectives of this plan's catalogues.") % {
            "codes": ", ".join(o.code for o in foreign)
        }
    attachment = values.get("attachment")
    if attachment:
        try:
            validate_upload(attachment)
        except ValidationError as exc:
            errors["attachment"] = exc.messages
    if errors:
        raise ValidationError(errors)


ACTIVITY_FIELDS = ("status", "kind", "date", "hours", "title", "note")


@transaction.atomic
def activity_create(
    *, plan: EducationPlan, by, objectives: Iterable[Objective] = (), attachment=None, **values
) -> LearningActivity:
    """Enter a planned or done activity of the plan's ALIS, linked to the plan's objectives."""
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    values = {k: values.get(k) for k in ACTIVITY_FIELDS}
    values["note"] = values["note"] or ""
    objectives = list(objectives)
    _check_activity(plan, {**values, "attachment": attachment}, objectives)
    activity = LearningActivity.objects.create(
        alis_id=plan.alis_id, created_by=by, attachment=attachment or "", **values
    )
    activity.objectives.set(objectives)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: LearningActivity,
    plan: EducationPlan,
    by,
    objectives: Iterable[Objective] = (),
    attachment=None,
    remove_attachment: bool = False,
    **values,
) -> LearningActivity:
    """Correct an activity. A change to what the supervisor confirmed (kind, status, date,
    hours, title or objectives) withdraws the confirmation: they confirm it again."""
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    # Compared with the row as stored: a bound ModelForm has already changed `activity`.
    activity = LearningActivity.objects.select_for_update().get(pk=activity.pk)
    _require(activity.alis_id == plan.alis_id, _("You may not change this plan."))
    _require(not activity.is_external, _("This activity is kept where it was recorded."))
    values = {k: values.get(k) for k in ACTIVITY_FIELDS}
    values["note"] = values["note"] or ""
    objectives = list(objectives)
    _check_activity(plan, {**values, "attachment": attachment}, objectives)
    before = set(activity.objectives.values_list("pk", flat=True))
    substantive = [f for f in _changed(activity, values) if f != "note"]
    if before != {o.pk for o in objectives}:
        substantive.append("objectives")
    if substantive and activity.confirmed_at is not None:
        values.update(confirmed_by=None, confirmed_at=None)
    if attachment:
        values["attachment"] = attachment
    elif remove_attachment and activity.attachment:
        values["attachment"] = ""
    old_file = activity.attachment.name if "attachment" in values else None
    _update(activity, values)
    if "objectives" in substantive:
        activity.objectives.set(objectives)
    if old_file:
        # The history keeps the file's name; the file itself goes once the change is saved.
        storage, name = activity.attachment.storage, old_file
        transaction.on_commit(lambda: storage.delete(name))
    return activity


@transaction.atomic
def activity_delete(*, activity: LearningActivity, plan: EducationPlan, by) -> None:
    _require(may_edit_records(by, plan), _("You may not change this plan."))
    activity = LearningActivity.objects.select_for_update().get(pk=activity.pk)
    _require(activity.alis_id == plan.alis_id, _("You may not change this plan."))
    _require(not activity.is_external, _("This activity is kept where it was recorded."))
    if activity.confirmed_at is not None:
        raise ValidationError(
            _("%(person)s confirmed this activity; ask them to recall the confirmation first.")
            % {"person": activity.confirmed_by}
        )
    name, storage = activity.attachment.name, activity.attachment.storage
    activity.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def activity_confirm(*, activity: LearningActivity, by) -> LearningActivity:
    """The ALIS's supervisor today confirms a done activity (a second click changes nothing)."""
    activity = LearningActivity.objects.select_for_update().get(pk=activity.pk)
    _require(
        is_active_supervisor(by, activity.alis_id),
        _("Only the ALIS's supervisor confirms activities."),
    )
    _require(not activity.is_external, _("This activity is confirmed where it was recorded."))
    if activity.status != LearningActivity.Status.DONE or activity.date > timezone.localdate():
        raise ValidationError(_("Only done activities can be confirmed."))
    if activity.confirmed_at is None:
        _update(activity, {"confirmed_by": by, "confirmed_at": timezone.now()})
    return activity


@transaction.atomic
def activity_unconfirm(*, activity: LearningActivity, by) -> LearningActivity:
    """The one who confirmed an activity recalls the confirmation; the history keeps both."""
    activity = LearningActivity.objects.select_for_update().get(pk=activity.pk)
    _require(
        activity.confirmed_by_id is not None and activity.confirmed_by_id == scope_for(by).user_id,
        _("Only the one who confirmed an activity can recall the confirmation."),
    )
    _require(not activity.is_external, _("This activity is confirmed where it was recorded."))
    _update(activity, {"confirmed_by": None, "confirmed_at": None})
    return activity


# Attestation: the ALIS asks, the education leader attests or returns, and may recall


def _plan_objective(plan: EducationPlan, objective: Objective) -> None:
    if objective.catalogue_id not in {c.pk for c in plan.catalogues}:
        raise ValidationError(_("This objective is not in the plan's catalogues."))


@transaction.atomic
def attestation_request(
    *, plan: EducationPlan, objective: Objective, by, note: str = ""
) -> Attestation:
    """The ALIS asks the education leader to attest an objective (again, after a return or a
    recall)."""
    _require(may_request_attestation(by, plan), _("Only the ALIS asks for attestation."))
    _plan_objective(plan, objective)
    attestation = (
        Attestation.objects.select_for_update().filter(plan=plan, objective=objective).first()
    )
    values = {
        "status": Attestation.Status.REQUESTED,
        "requested_at": timezone.now(),
        "request_note": note,
        "decided_by": None,
        "decided_at": None,
        "comment": "",
    }
    if attestation is None:
        return Attestation.objects.create(plan=plan, objective=objective, **values)
    if attestation.status == Attestation.Status.REQUESTED:
        raise ValidationError(_("Attestation of this objective is already requested."))
    if attestation.status == Attestation.Status.ATTESTED:
        raise ValidationError(_("This objective is already attested."))
    _update(attestation, values)
    return attestation


@transaction.atomic
def attestation_withdraw(*, attestation: Attestation, by) -> None:
    """The ALIS withdraws a request the leader has not decided on."""
    _require(may_request_attestation(by, attestation.plan), _("Only the ALIS withdraws it."))
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.status != Attestation.Status.REQUESTED:
        raise ValidationError(_("Only a waiting request can be withdrawn."))
    attestation.delete()


def _decide(attestation: Attestation, by, status: str, comment: str) -> Attestation:
    attestation = (
        Attestation.objects.select_for_update().select_related("plan").get(pk=attestation.pk)
    )
    _require(
        may_attest(by, attestation.plan),
        _("Only the plan's education leader attests objectives."),
    )
    if attestation.status != Attestation.Status.REQUESTED:
        raise ValidationError(_("Only a waiting request can be decided."))
    _update(
        attestation,
        {"status": status, "decided_by": by, "decided_at": timezone.now(), "comment": comment},
    )
    return attestation


@transaction.atomic
def attestation_attest(*, attestation: Attestation, by, comment: str = "") -> Attestation:
    """The education leader attests that the objective is achieved."""
    return _decide(attestation, by, Attestation.Status.ATTESTED, comment)


@transaction.atomic
def attestation_return(*, attestation: Attestation, by, comment: str) -> Attestation:
    """The education leader returns the request with what is missing."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what is missing, so the ALIS can act on it.")})
    return _decide(attestation, by, Attestation.Status.RETURNED, comment.strip())


@transaction.atomic
def attestation_recall(*, attestation: Attestation, by, comment: str = "") -> Attestation:
    """The one who attested recalls the attestation; the history keeps both steps."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    _require(
        attestation.status == Attestation.Status.ATTESTED
        and attestation.decided_by_id == scope_for(by).user_id,
        _("Only the one who attested an objective can recall it."),
    )
    _update(
        attestation,
        {"status": Attestation.Status.RECALLED, "decided_at": timezone.now(), "comment": comment},
    )
    return attestation


# The ledger: what other apps record


@transaction.atomic
def activity_record_external(
    *,
    alis,
    source_key: str,
    kind: str,
    date: datetime.date,
    hours: Decimal,
    title: str,
    confirmed_by=None,
    objectives: Iterable[Objective] = (),
) -> LearningActivity:
    """Create or update the done activity that another app's record stands for."""
    activity, _created = LearningActivity.objects.select_for_update().update_or_create(
        source_key=source_key,
        defaults={
            "alis": alis,
            "kind": kind,
            "status": LearningActivity.Status.DONE,
            "date": date,
            "hours": hours,
            "title": title[:300],
            "confirmed_by": confirmed_by,
            "confirmed_at": timezone.now() if confirmed_by else None,
        },
    )
    activity.objectives.set(objectives)
    return activity


@transaction.atomic
def activity_remove_external(*, source_key: str) -> None:
    """The source no longer counts (a session unsigned, attendance withdrawn)."""
    LearningActivity.objects.filter(source_key=source_key).delete()


@transaction.atomic
def group_period_record_external(
    *,
    alis,
    source_key: str,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> GroupSupervisionPeriod:
    """Create or update the group-supervision period that another app's membership stands for."""
    period, _created = GroupSupervisionPeriod.objects.select_for_update().update_or_create(
        source_key=source_key,
        defaults={
            "alis": alis,
            "title": title[:200],
            "start_date": start_date,
            "end_date": end_date,
        },
    )
    return period


@transaction.atomic
def group_period_remove_external(*, source_key: str) -> None:
    """The membership no longer counts (removed as a mistake)."""
    GroupSupervisionPeriod.objects.filter(source_key=source_key).delete()
