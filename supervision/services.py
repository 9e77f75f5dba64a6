"""Writes of the supervision app: the supervisor register, supervision relationships, the
supervision log and supervision groups.

Every service checks who may do it (views check the same scopes first, with 404 outside
them), so that no caller — a view, a command, another app — can skip a rule. What counts in
the education plan is projected into the ledger here and nowhere else:

- a session in force → an activity of kind individual supervision, `supervision.session:<id>`,
  confirmed by the supervisor once signed (until then it shows as waiting for confirmation
  and counts nowhere); a correction moves it to the new version, unconfirmed again;
- a group membership → a group-supervision period, `supervision.membership:<id>`;
- attendance at a group meeting → a group-supervision activity confirmed by the leader,
  `supervision.attendance:<id>`.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from accounts.scope import forget_scope, scope_for
from alis_agreements.models import Employment
from education_plans import services as ledger
from education_plans.models import (
    ActivityKind,
    EducationPlan,
    Objective,
    SupervisionRelationship,
    alis_visibility,
)
from municipalities.models import Municipality, Region
from supervision.models import (
    GroupAttendance,
    GroupMeeting,
    GroupMembership,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
    hours_from_minutes,
)

ONE_DAY = datetime.timedelta(days=1)
SUPERVISOR_FIELDS = (
    "municipality",
    "practice",
    "is_specialist",
    "specialist_year",
    "course_name",
    "course_completed_on",
    "capacity",
    "in_pool",
    "is_active",
    "note",
)


# Who may manage an ALIS's supervision


def alis_municipality_ids(alis, on: datetime.date | None = None) -> set[int]:
    """The municipalities an ALIS belongs to today: their plan's, their employer's and the
    one where they hold the ALIS role."""
    on = on or timezone.localdate()
    ids = set(EducationPlan.objects.filter(alis=alis).values_list("municipality_id", flat=True))
    ids |= set(
        Employment.objects.active(on)
        .filter(alis=alis)
        .values_list("position__municipality_id", flat=True)
    )
    ids |= set(
        RoleAssignment.objects.active(on)
        .filter(user=alis, role=Role.ALIS)
        .values_list("municipality_id", flat=True)
    )
    ids.discard(None)
    return ids


def can_manage_supervision(user, alis) -> bool:
    """Assigning, changing and ending an ALIS's supervisors: the managers of the ALIS's
    municipality and the advisers of its region."""
    scope = scope_for(user)
    if not (scope.region_ids or scope.managed_municipality_ids):
        return False
    municipalities = alis_municipality_ids(alis)
    if municipalities & scope.managed_municipality_ids:
        return True
    return Municipality.objects.filter(
        pk__in=municipalities, region_id__in=scope.region_ids
    ).exists()


def _require_manager_of(user, alis) -> None:
    if not can_manage_supervision(user, alis):
        raise PermissionDenied(
            _("Only the ALIS's municipal managers and the region's advisers may do this.")
        )


def _ensure_role(user, role: str, municipality: Municipality, by) -> None:
    if (
        not RoleAssignment.objects.active()
        .filter(user=user, role=role, municipality=municipality)
        .exists()
    ):
        RoleAssignment.objects.create(
            user=user, role=role, municipality=municipality, created_by=by
        )
        forget_scope(user)


# The supervisor register


def _check_supervisor_data(data: dict, by, *, person=None, previous=None) -> None:
    municipality = data["municipality"]
    scope = scope_for(by)
    allowed = scope.can_manage_municipality(municipality) or (
        person is not None
        and person.pk == scope.user_id
        and previous is not None
        and municipality.region_id == previous.region_id
    )
    if not allowed:
        raise ValidationError(
            {"municipality": _("You cannot register supervisors in %(m)s.") % {"m": municipality}}
        )
    practice = data.get("practice")
    if practice is not None and practice.municipality_id != municipality.pk:
        raise ValidationError(
            {"practice": _("The workplace must be in %(m)s.") % {"m": municipality}}
        )
    if data.get("specialist_year") and not data.get("is_specialist"):
        raise ValidationError(
            {"specialist_year": _("Only a specialist has a year of specialist approval.")}
        )
    completed = data.get("course_completed_on")
    if completed and completed > timezone.localdate():
        raise ValidationError({"course_completed_on": _("The date cannot be in the future.")})


@transaction.atomic
def supervisor_register(
    *, by, email: str, first_name: str, last_name: str, hpr_number: str = "", data: dict
) -> Supervisor:
    """Add a doctor to the register (creating the person if the e-mail is new) and give them
    the supervisor role in the municipality."""
    _check_supervisor_data(data, by)
    email = email.strip().lower()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User.objects.create_user(
            email=email, first_name=first_name, last_name=last_name, hpr_number=hpr_number
        )
    elif Supervisor.objects.filter(person=person).exists():
        raise ValidationError({"email": _("%(p)s is already in the register.") % {"p": person}})
    elif hpr_number and not person.hpr_number:
        person.hpr_number = hpr_number
        person.save(update_fields=["hpr_number"])
    supervisor = Supervisor.objects.create(
        person=person, created_by=by, **{k: data.get(k) for k in SUPERVISOR_FIELDS if k in data}
    )
    _ensure_role(person, Role.SUPERVISOR, supervisor.municipality, by)
    return supervisor


@transaction.atomic
def supervisor_update(*, supervisor: Supervisor, by, data: dict) -> Supervisor:
    """Change a register entry: its managers and advisers, or the supervisor themselves
    (within their region)."""
    if not Supervisor.objects.editable_by(by).filter(pk=supervisor.pk).exists():
        raise PermissionDenied(_("You may not change this supervisor."))
    # A ModelForm bound to the entry has already changed it in memory: compare with the row.
    before = Supervisor.objects.select_related("municipality").get(pk=supervisor.pk)
    data = {"municipality": before.municipality, **data}
    _check_supervisor_data(data, by, person=supervisor.person, previous=before.municipality)
    if not data.get("is_specialist"):
        data["specialist_year"] = None
    fields = [k for k in SUPERVISOR_FIELDS if k in data]
    for key in fields:
        setattr(supervisor, key, data[key])
    supervisor.save(update_fields=fields)
    if supervisor.municipality_id != before.municipality_id:
        _ensure_role(supervisor.person, Role.SUPERVISOR, supervisor.municipality, by)
    return supervisor


# Supervision relationships (education_plans.models.SupervisionRelationship)


def _check_no_overlap(alis, kind, start, end, *, exclude=None) -> None:
    overlapping = (
        SupervisionRelationship.objects.select_for_update()
        .filter(alis=alis, kind=kind, start_date__lte=end or datetime.date.max)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    clash = overlapping.select_related("supervisor").first()
    if clash:
        raise ValidationError(
            {
                "start_date": _(
                    "%(alis)s already has %(supervisor)s as %(kind)s from %(start)s. Change "
                    "or end that relationship instead."
                )
                % {
                    "alis": alis,
                    "supervisor": clash.supervisor,
                    "kind": clash.get_kind_display().lower(),
                    "start": clash.start_date.strftime("%d.%m.%Y"),
                }
            }
        )


def _check_supervisor_choice(by, supervisor, alis) -> Supervisor:
    if supervisor.pk == alis.pk:
        raise ValidationError({"supervisor": _("An ALIS cannot supervise themselves.")})
    profile = Supervisor.objects.visible_to(by).active().filter(person=supervisor).first()
    if profile is None:
        raise ValidationError(
            {"supervisor": _("Choose a supervisor from the register you may see.")}
        )
    return profile


@transaction.atomic
def relationship_start(
    *, alis, supervisor, kind: str, start_date: datetime.date, by
) -> SupervisionRelationship:
    """Give an ALIS a supervisor (or clinical supervisor) from the register."""
    _require_manager_of(by, alis)
    _check_supervisor_choice(by, supervisor, alis)
    _check_no_overlap(alis, kind, start_date, None)
    return SupervisionRelationship.objects.create(
        alis=alis, supervisor=supervisor, kind=kind, start_date=start_date, created_by=by
    )


@transaction.atomic
def relationship_change(
    *, relationship: SupervisionRelationship, supervisor, start_date: datetime.date, by
) -> SupervisionRelationship:
    """Another supervisor from `start_date`: the current relationship ends the day before and
    a new one starts, so the history keeps both."""
    _require_manager_of(by, relationship.alis)
    if supervisor.pk == relationship.supervisor_id:
        raise ValidationError({"supervisor": _("Choose another supervisor than the current.")})
    if start_date <= relationship.start_date:
        raise ValidationError(
            {
                "start_date": _("The new supervisor must start after %(date)s.")
                % {"date": relationship.start_date.strftime("%d.%m.%Y")}
            }
        )
    if relationship.end_date is not None and relationship.end_date < start_date - ONE_DAY:
        raise ValidationError(_("This relationship has already ended; start a new one instead."))
    _check_supervisor_choice(by, supervisor, relationship.alis)
    relationship.end_date = start_date - ONE_DAY
    relationship.save(update_fields=["end_date"])
    _check_no_overlap(relationship.alis, relationship.kind, start_date, None)
    return SupervisionRelationship.objects.create(
        alis=relationship.alis,
        supervisor=supervisor,
        kind=relationship.kind,
        start_date=start_date,
        created_by=by,
    )


@transaction.atomic
def relationship_end(
    *, relationship: SupervisionRelationship, end_date: datetime.date, by
) -> SupervisionRelationship:
    _require_manager_of(by, relationship.alis)
    if end_date < relationship.start_date:
        raise ValidationError(
            {
                "end_date": _("The end cannot be before the start (%(date)s).")
                % {"date": relationship.start_date.strftime("%d.%m.%Y")}
            }
        )
    relationship.end_date = end_date
    relationship.save(update_fields=["end_date"])
    return relationship


# The supervision log


def session_supervisor_choices(alis):
    """The people who have been the ALIS's individual supervisor (the session's date decides
    which of them is right)."""
    ids = SupervisionRelationship.objects.filter(
        alis=alis, kind=SupervisionRelationship.Kind.INDIVIDUAL
    ).values("supervisor_id")
    return User.objects.filter(pk__in=ids)


def objective_choices(alis):
    """The objectives of the catalogues in the ALIS's plan."""
    plan = EducationPlan.objects.filter(alis=alis).first()
    if plan is None:
        return Objective.objects.none()
    ids = [c for c in (plan.alm_catalogue_id, plan.fkm_catalogue_id) if c]
    return Objective.objects.filter(catalogue_id__in=ids).select_related("catalogue")


def _check_session(*, alis, supervisor, date, objectives) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("A session cannot be logged before it has happened.")})
    relationship = SupervisionRelationship.objects.active(date).filter(
        alis=alis, supervisor=supervisor, kind=SupervisionRelationship.Kind.INDIVIDUAL
    )
    if not relationship.exists():
        raise ValidationError(
            {
                "date": _("%(supervisor)s was not %(alis)s's supervisor on %(date)s.")
                % {"supervisor": supervisor, "alis": alis, "date": date.strftime("%d.%m.%Y")}
            }
        )
    allowed = set(objective_choices(alis).values_list("pk", flat=True))
    if any(o.pk not in allowed for o in objectives):
        raise ValidationError(
            {"objectives": _("Choose objectives from the catalogues of the ALIS's plan.")}
        )


def _require_party(session: SupervisionSession, by) -> None:
    if not session.is_party(by):
        raise PermissionDenied(_("Only the ALIS and the supervisor of the session may do this."))


def _require_unsigned(session: SupervisionSession) -> None:
    if not session.is_current:
        raise ValidationError(_("This version has been corrected; change the newest version."))
    if session.is_signed:
        raise ValidationError(_("A signed session is locked. Record a correction instead."))


@transaction.atomic
def session_record(
    *,
    alis,
    supervisor,
    by,
    date: datetime.date,
    minutes: int,
    topics: str,
    objectives: Iterable[Objective] = (),
    private_notes: str = "",
    sign: bool = False,
) -> SupervisionSession:
    """Log a session. The ALIS or the supervisor logs it; the supervisor may sign at once."""
    if by.pk not in {alis.pk, supervisor.pk}:
        raise PermissionDenied(_("Only the ALIS and the supervisor of the session may log it."))
    objectives = list(objectives)
    _check_session(alis=alis, supervisor=supervisor, date=date, objectives=objectives)
    session = SupervisionSession.objects.create(
        alis=alis,
        supervisor=supervisor,
        date=date,
        minutes=minutes,
        topics=topics,
        private_notes=private_notes,
        recorded_by=by,
    )
    session.objectives.set(objectives)
    if sign:
        return session_sign(session=session, by=by)
    _record_in_ledger(session)
    return session


@transaction.atomic
def session_update(
    *,
    session: SupervisionSession,
    by,
    date: datetime.date,
    minutes: int,
    topics: str,
    objectives: Iterable[Objective] = (),
    private_notes: str = "",
    supervisor=None,
) -> SupervisionSession:
    """Change a session that is not signed yet."""
    _require_party(session, by)
    _require_unsigned(session)
    supervisor = supervisor or session.supervisor
    if supervisor.pk != session.supervisor_id and by.pk != session.alis_id:
        raise PermissionDenied(_("Only the ALIS may move a session to another supervisor."))
    objectives = list(objectives)
    _check_session(alis=session.alis, supervisor=supervisor, date=date, objectives=objectives)
    session.supervisor = supervisor
    session.date, session.minutes, session.topics = date, minutes, topics
    session.private_notes = private_notes
    session.save(update_fields=["supervisor", "date", "minutes", "topics", "private_notes"])
    session.objectives.set(objectives)
    _record_in_ledger(session)
    return session


@transaction.atomic
def session_delete(*, session: SupervisionSession, by) -> SupervisionSession | None:
    """Remove a session logged by mistake, before it is signed. Withdrawing an unsigned
    correction puts the version it corrected back in force (returned)."""
    _require_party(session, by)
    _require_unsigned(session)
    previous = session.replaces
    ledger.activity_remove_external(source_key=session.ledger_key)
    session.delete()
    if previous is not None:
        previous.is_current = True
        previous.save(update_fields=["is_current"])
        _record_in_ledger(previous)
    return previous


def _record_in_ledger(session: SupervisionSession) -> None:
    """The version in force as a learning activity: confirmed by the supervisor when signed,
    waiting for confirmation before."""
    first_line = session.topics.strip().splitlines()[0] if session.topics.strip() else ""
    ledger.activity_record_external(
        alis=session.alis,
        source_key=session.ledger_key,
        kind=ActivityKind.INDIVIDUAL_SUPERVISION,
        date=session.date,
        hours=hours_from_minutes(session.minutes),
        title=first_line or str(session),
        confirmed_by=session.supervisor if session.is_signed else None,
        objectives=session.objectives.all(),
    )


@transaction.atomic
def session_sign(*, session: SupervisionSession, by) -> SupervisionSession:
    """The supervisor of the session signs it: it is locked and counts in the plan."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if by.pk != session.supervisor_id:
        raise PermissionDenied(_("Only the supervisor of the session may sign it."))
    _require_unsigned(session)
    session.signed_at = timezone.now()
    session.save(update_fields=["signed_at"])
    _record_in_ledger(session)
    return session


@transaction.atomic
def session_correct(
    *,
    session: SupervisionSession,
    by,
    reason: str,
    date: datetime.date,
    minutes: int,
    topics: str,
    objectives: Iterable[Objective] = (),
    private_notes: str = "",
    supervisor=None,
) -> SupervisionSession:
    """Correct a signed session: a new version replaces it and waits for the supervisor's
    signature; until then the session does not count in the plan (the ledger shows it as
    waiting). The signed version is kept unchanged in the chain."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    _require_party(session, by)
    if not session.is_current:
        raise ValidationError(_("This version has been corrected; correct the newest version."))
    if not session.is_signed:
        raise ValidationError(_("The session is not signed yet: change it instead."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the session is corrected.")})
    supervisor = supervisor or session.supervisor
    if supervisor.pk != session.supervisor_id and by.pk != session.alis_id:
        raise PermissionDenied(_("Only the ALIS may move a session to another supervisor."))
    objectives = list(objectives)
    _check_session(alis=session.alis, supervisor=supervisor, date=date, objectives=objectives)
    session.is_current = False
    session.save(update_fields=["is_current"])
    ledger.activity_remove_external(source_key=session.ledger_key)
    correction = SupervisionSession.objects.create(
        alis=session.alis,
        supervisor=supervisor,
        date=date,
        minutes=minutes,
        topics=topics,
        private_notes=private_notes,
        recorded_by=by,
        replaces=session,
        version=session.version + 1,
        correction_reason=reason.strip(),
    )
    correction.objectives.set(objectives)
    _record_in_ledger(correction)
    return correction


# Supervision groups


def _require_adviser(by, region: Region) -> None:
    if region.pk not in scope_for(by).region_ids:
        raise PermissionDenied(_("Only the region's advisers may do this."))


def _require_leader(by, group: SupervisionGroup) -> None:
    if by.pk != group.leader_id:
        raise PermissionDenied(_("Only the group's leader takes attendance."))


def group_leader_choices(region: Region):
    """People who hold the group-leader role today (in a municipality of the region, or
    anywhere if the role has no municipality)."""
    holders = (
        RoleAssignment.objects.active()
        .filter(role=Role.GROUP_LEADER)
        .filter(Q(municipality__region=region) | Q(municipality__isnull=True))
        .values("user_id")
    )
    return User.objects.filter(is_active=True, pk__in=holders)


def _check_group(region, leader, start_date, end_date) -> None:
    if not group_leader_choices(region).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("%(p)s is not a group leader.") % {"p": leader}})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})


def _record_membership(membership: GroupMembership) -> None:
    ledger.group_period_record_external(
        alis=membership.alis,
        source_key=membership.ledger_key,
        title=membership.group.name,
        start_date=membership.start_date,
        end_date=membership.end_date,
    )


@transaction.atomic
def group_create(
    *,
    by,
    region: Region,
    name: str,
    leader,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    municipalities: Iterable[Municipality] = (),
    meeting_place: str = "",
    description: str = "",
) -> SupervisionGroup:
    _require_adviser(by, region)
    _check_group(region, leader, start_date, end_date)
    group = SupervisionGroup.objects.create(
        region=region,
        name=name,
        leader=leader,
        start_date=start_date,
        end_date=end_date,
        meeting_place=meeting_place,
        description=description,
        created_by=by,
    )
    group.municipalities.set(municipalities)
    return group


@transaction.atomic
def group_update(*, group: SupervisionGroup, by, data: dict) -> SupervisionGroup:
    """Change a group. Ending it ends the memberships still open on that day; the plan's
    group periods follow."""
    _require_adviser(by, group.region)
    municipalities = data.pop("municipalities", None)
    values = {
        k: data.get(k, getattr(group, k))
        for k in ("name", "leader", "start_date", "end_date", "meeting_place", "description")
    }
    _check_group(group.region, values["leader"], values["start_date"], values["end_date"])
    early = group.memberships.filter(start_date__lt=values["start_date"])
    if early.exists():
        raise ValidationError(
            {"start_date": _("Some memberships start before this date; change them first.")}
        )
    for key, value in values.items():
        setattr(group, key, value)
    group.save()
    if municipalities is not None:
        group.municipalities.set(municipalities)
    end = values["end_date"]
    for membership in group.memberships.select_related("alis"):
        if end is not None and (membership.end_date is None or membership.end_date > end):
            if membership.start_date > end:
                raise ValidationError(
                    {"end_date": _("%(p)s joins after this date.") % {"p": membership.alis}}
                )
            membership.end_date = end
            membership.save(update_fields=["end_date"])
        _record_membership(membership)
    return group


def member_choices(by, region: Region):
    """The ALIS the adviser may add to a group: those of the region whose records they see."""
    alis = RoleAssignment.objects.filter(
        alis_visibility(by, "user"), role=Role.ALIS, municipality__region=region
    ).values("user_id")
    return User.objects.filter(pk__in=alis)


def _check_membership(group, alis, start_date, end_date, *, exclude=None) -> None:
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
    if start_date < group.start_date or (
        group.end_date and (end_date is None or end_date > group.end_date)
    ):
        raise ValidationError(
            {"start_date": _("The membership must lie within the group's period.")}
        )
    clash = group.memberships.filter(alis=alis, start_date__lte=end_date or datetime.date.max)
    clash = clash.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"start_date": _("%(p)s is already a member then.") % {"p": alis}})


@transaction.atomic
def membership_add(
    *, group: SupervisionGroup, alis, start_date, end_date=None, by
) -> GroupMembership:
    _require_adviser(by, group.region)
    if not member_choices(by, group.region).filter(pk=alis.pk).exists():
        raise ValidationError({"alis": _("Choose an ALIS of the region.")})
    end_date = end_date or group.end_date
    _check_membership(group, alis, start_date, end_date)
    membership = GroupMembership.objects.create(
        group=group, alis=alis, start_date=start_date, end_date=end_date
    )
    _record_membership(membership)
    return membership


@transaction.atomic
def membership_update(
    *, membership: GroupMembership, start_date, end_date=None, by
) -> GroupMembership:
    """Change when a member joined or left (leaving: set the end date)."""
    _require_adviser(by, membership.group.region)
    end_date = end_date or membership.group.end_date
    _check_membership(membership.group, membership.alis, start_date, end_date, exclude=membership)
    membership.start_date, membership.end_date = start_date, end_date
    membership.save(update_fields=["start_date", "end_date"])
    _record_membership(membership)
    return membership


@transaction.atomic
def membership_remove(*, membership: GroupMembership, by) -> None:
    """Remove a membership entered by mistake (one with attendance is ended instead)."""
    _require_adviser(by, membership.group.region)
    if GroupAttendance.objects.filter(
        alis=membership.alis, meeting__group=membership.group, present=True
    ).exists():
        raise ValidationError(
            _("%(p)s has attended meetings: set an end date instead of removing.")
            % {"p": membership.alis}
        )
    GroupAttendance.objects.filter(alis=membership.alis, meeting__group=membership.group).delete()
    ledger.group_period_remove_external(source_key=membership.ledger_key)
    membership.delete()


def _sync_attendance(meeting: GroupMeeting, present: set[int]) -> None:
    members = {
        m.alis_id: m.alis
        for m in meeting.group.memberships.active(meeting.date).select_related("alis")
    }
    unknown = present - members.keys()
    if unknown:
        raise ValidationError({"present": _("Only members on the meeting's day can attend.")})
    for attendance in meeting.attendances.all():
        if attendance.alis_id not in members:
            ledger.activity_remove_external(source_key=attendance.ledger_key)
            attendance.delete()
    existing = {a.alis_id: a for a in meeting.attendances.all()}
    for alis_id, alis in members.items():
        attendance = existing.get(alis_id)
        if attendance is None:
            attendance = GroupAttendance.objects.create(
                meeting=meeting, alis=alis, present=alis_id in present
            )
        elif attendance.present != (alis_id in present):
            attendance.present = alis_id in present
            attendance.save(update_fields=["present"])
        if attendance.present:
            ledger.activity_record_external(
                alis=alis,
                source_key=attendance.ledger_key,
                kind=ActivityKind.GROUP_SUPERVISION,
                date=meeting.date,
                hours=hours_from_minutes(meeting.minutes),
                title=meeting.group.name,
                confirmed_by=meeting.group.leader,
            )
        else:
            ledger.activity_remove_external(source_key=attendance.ledger_key)


def _check_meeting(group, date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("Attendance is taken on or after the meeting's day.")})
    if date < group.start_date or (group.end_date and date > group.end_date):
        raise ValidationError({"date": _("The meeting must lie within the group's period.")})


@transaction.atomic
def meeting_record(
    *,
    group: SupervisionGroup,
    by,
    date: datetime.date,
    minutes: int,
    topics: str = "",
    notes: str = "",
    present: Iterable[int] = (),
) -> GroupMeeting:
    """The leader records a meeting and who attended; attendance counts in the plans."""
    _require_leader(by, group)
    _check_meeting(group, date)
    meeting = GroupMeeting.objects.create(
        group=group, date=date, minutes=minutes, topics=topics, notes=notes, created_by=by
    )
    _sync_attendance(meeting, set(present))
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: GroupMeeting,
    by,
    date: datetime.date,
    minutes: int,
    topics: str = "",
    notes: str = "",
    present: Iterable[int] = (),
) -> GroupMeeting:
    _require_leader(by, meeting.group)
    _check_meeting(meeting.group, date)
    meeting.date, meeting.minutes, meeting.topics, meeting.notes = date, minutes, topics, notes
    meeting.save(update_fields=["date", "minutes", "topics", "notes"])
    _sync_attendance(meeting, set(present))
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: GroupMeeting, by) -> None:
    _require_leader(by, meeting.group)
    for attendance in meeting.attendances.all():
        ledger.activity_remove_external(source_key=attendance.ledger_key)
    meeting.delete()
