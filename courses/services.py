"""Writes of the courses app: courses and events, registration and the waiting list,
attendance (and the learning activity it becomes), certificates and calendar feeds.

Everything that changes who has a place locks the event row first (`_locked`), so two people
registering for the last place at the same moment are served one after the other: one gets the
place, the other the waiting list, in the order the rule gives.

The waiting list of each event and format is kept in `Registration.waitlist_rank`. The rule
(decided with the lead): ALIS with an education plan first, the one with the most months of
service credited (closest to completing) first; everyone else after them, first come first
served. An adviser may pin a person first or move them up or down; such a person keeps the
place the adviser gave them while the rule orders the others around them.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from accounts.scope import scope_for
from alisvest.documents import content_file, sha256_hex
from alisvest.emails import render_email
from alisvest.pdf import render_pdf
from courses.models import (
    Attendance,
    CalendarFeed,
    Certificate,
    Course,
    CourseEvent,
    EventFormat,
    EventSession,
    Participation,
    Registration,
    SentNotice,
)
from education_plans.models import ActivityKind, EducationPlan
from education_plans.progress import credited_months_for
from education_plans.services import activity_record_external, activity_remove_external

Status = Registration.Status
COURSE_FIELDS = ("kind", "title", "description", "target_group", "hours", "is_active")
EVENT_FIELDS = (
    "title",
    "format",
    "place",
    "online_link",
    "capacity_physical",
    "capacity_digital",
    "registration_deadline",
    "cancellation_deadline",
    "price",
    "target_group",
    "description",
)
SESSION_FIELDS = ("title", "starts_at", "ends_at", "hours")
WAITLIST_ACTIONS = ("up", "down", "pin", "unpin", "reset")


def _advises(user, course: Course) -> bool:
    return course.region_id in scope_for(user).region_ids


def _require_adviser(user, course: Course) -> None:
    if not _advises(user, course):
        raise PermissionDenied(_("Only the region's advisers may do this."))


def _locked(event: CourseEvent) -> CourseEvent:
    """The event, its row locked until the transaction ends (PostgreSQL; SQLite locks the
    whole database on the first write anyway)."""
    return (
        CourseEvent.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=event.pk)
    )


def _notify(registration: Registration, kind: str, **extra) -> None:
    from courses.tasks import send_notice

    send_notice.delay_on_commit(registration.pk, kind, **extra)


# Courses


@transaction.atomic
def course_create(*, region, by, data: dict) -> Course:
    if region.pk not in scope_for(by).region_ids:
        raise PermissionDenied(_("Only the region's advisers may do this."))
    return Course.objects.create(region=region, **{k: data[k] for k in COURSE_FIELDS})


@transaction.atomic
def course_update(*, course: Course, by, data: dict) -> Course:
    _require_adviser(by, course)
    changed = [k for k in COURSE_FIELDS if getattr(course, k) != data[k]]
    for key in changed:
        setattr(course, key, data[key])
    if changed:
        course.save(update_fields=changed)
    return course


# Events and sessions


def _check_event(values: dict, sessions: list[dict], event: CourseEvent | None = None) -> None:
    errors = {}
    fmt = values["format"]
    if fmt == EventFormat.PHYSICAL and values.get("capacity_digital") is not None:
        errors["capacity_digital"] = _("An event on site has no digital places.")
    if fmt == EventFormat.DIGITAL and values.get("capacity_physical") is not None:
        errors["capacity_physical"] = _("A digital event has no places on site.")
    if not sessions:
        raise ValidationError(_("An event needs at least one session."))
    first = min(s["starts_at"] for s in sessions)
    for key in ("registration_deadline", "cancellation_deadline"):
        deadline = values.get(key)
        if deadline and deadline > first:
            errors[key] = _("The deadline must be before the first session starts.")
    if event is not None:
        offered = (
            [Participation.PHYSICAL, Participation.DIGITAL] if fmt == EventFormat.HYBRID else [fmt]
        )
        active = event.registrations.active()
        for participation in Participation.values:
            count = active.filter(format=participation).count()
            field = f"capacity_{participation}"
            label = Participation(participation).label.lower()
            if participation not in offered and count:
                errors["format"] = _(
                    "%(n)s people are registered to take part %(format)s: the event must "
                    "keep that format."
                ) % {"n": count, "format": label}
            capacity = values.get(field)
            confirmed = active.filter(format=participation, status=Status.CONFIRMED).count()
            if capacity is not None and capacity < confirmed:
                errors[field] = _(
                    "%(n)s people already have a place: the number cannot be lower."
                ) % {"n": confirmed}
    if errors:
        raise ValidationError(errors)


def _save_sessions(event: CourseEvent, sessions: list[dict], removed: list[EventSession]) -> None:
    for session in removed:
        if session.event_id != event.pk:
            raise ValidationError(_("That session belongs to another event."))
        if session.attendances.filter(present=True).exists():
            raise ValidationError(
                _("The session %(session)s has recorded attendance and cannot be removed.")
                % {"session": session}
            )
        session.delete()
    for data in sessions:
        values = {k: data[k] for k in SESSION_FIELDS}
        session = data.get("session")
        if session is None:
            EventSession.objects.create(event=event, **values)
            continue
        if session.event_id != event.pk:
            raise ValidationError(_("That session belongs to another event."))
        changed = [k for k, v in values.items() if getattr(session, k) != v]
        for key in changed:
            setattr(session, key, values[key])
        if changed:
            session.save(update_fields=changed)


@transaction.atomic
def event_create(*, course: Course, by, data: dict, sessions: list[dict]) -> CourseEvent:
    """A new event (a draft until published) with its sessions (`title`, `starts_at`,
    `ends_at`, `hours`)."""
    _require_adviser(by, course)
    values = {k: data[k] for k in EVENT_FIELDS}
    _check_event(values, sessions)
    event = CourseEvent.objects.create(course=course, created_by=by, **values)
    _save_sessions(event, sessions, [])
    return event


@transaction.atomic
def event_update(
    *,
    event: CourseEvent,
    by,
    data: dict,
    sessions: list[dict],
    removed: list[EventSession] = (),
) -> CourseEvent:
    """Change an event and its sessions. More places move people up from the waiting list;
    changed session hours follow into the learning activities."""
    event = _locked(event)
    _require_adviser(by, event.course)
    values = {k: data[k] for k in EVENT_FIELDS}
    _check_event(values, sessions, event)
    changed = [k for k, v in values.items() if getattr(event, k) != v]
    for key in changed:
        setattr(event, key, values[key])
    if changed:
        event.save(update_fields=changed)
    _save_sessions(event, sessions, list(removed))
    event.__dict__.pop("first_start", None)
    for participation in event.formats:
        _fill(event, participation)
    attended = (
        event.registrations.confirmed()
        .filter(attendances__present=True)
        .distinct()
        .select_related("user", "event__course")
    )
    for registration in attended:
        _sync_ledger(registration, by=by)
    return event


@transaction.atomic
def event_publish(*, event: CourseEvent, by) -> CourseEvent:
    _require_adviser(by, event.course)
    if not event.sessions.exists():
        raise ValidationError(_("Add at least one session before publishing."))
    if not event.is_published:
        event.is_published = True
        event.published_at = timezone.now()
        event.save(update_fields=["is_published", "published_at"])
    return event


@transaction.atomic
def event_unpublish(*, event: CourseEvent, by) -> CourseEvent:
    event = _locked(event)
    _require_adviser(by, event.course)
    if event.registrations.active().exists():
        raise ValidationError(
            _("People are registered for the event: it stays published while they are.")
        )
    if event.is_published:
        event.is_published = False
        event.save(update_fields=["is_published"])
    return event


# Registration and the waiting list


def _already_registered(registration: Registration, by) -> str:
    own = registration.user_id is not None and registration.user_id == by.pk
    if registration.status == Status.WAITING:
        if own:
            return _("You are already on the waiting list (number %(rank)s).") % {
                "rank": registration.waitlist_rank
            }
        return _("%(name)s is already on the waiting list (number %(rank)s).") % {
            "name": registration.name,
            "rank": registration.waitlist_rank,
        }
    if own:
        return _("You are already registered for this event.")
    return _("%(name)s is already registered for this event.") % {"name": registration.name}


@transaction.atomic
def registration_create(
    *,
    event: CourseEvent,
    by,
    format: str,
    user=None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    notify: bool = True,
) -> Registration:
    """Register `user`, or a person known by name and e-mail (an adviser registering someone;
    an existing account with that e-mail is used). The person gets a place if one is free in
    the format and nobody waits for it, else a place on the waiting list. Sends the
    confirmation e-mail.

    People register themselves while registration is open; the region's advisers may register
    anyone at any time (a late registration, a walk-in at the conference). `notify=False`
    sends no e-mail (registrations carried over from elsewhere, the demo).
    """
    event = _locked(event)
    advising = _advises(by, event.course)
    if user is None and not email:
        raise ValidationError({"email": _("An e-mail address is required.")})
    if user is None:
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if not advising:
        if user is None or user.pk != by.pk:
            raise PermissionDenied(_("Only the region's advisers may register other people."))
        if not event.is_published:
            raise ValidationError(_("The event is not open for registration."))
        closed = event.registration_closed_reason()
        if closed:
            raise ValidationError(closed)
    if format not in event.formats:
        raise ValidationError({"format": _("The event is not held in this format.")})
    if user is not None:
        name, email = user.get_full_name() or user.email, user.email
    email = email.strip()
    match = Q(email__iexact=email) | (Q(user=user) if user is not None else Q(pk__in=[]))
    existing = event.registrations.active().filter(match).first()
    if existing is not None:
        raise ValidationError(_already_registered(existing, by))

    now = timezone.now()
    same_format = event.registrations.filter(format=format)
    taken = same_format.filter(status=Status.CONFIRMED).count()
    capacity = event.capacity(format)
    confirmed = (capacity is None or taken < capacity) and not same_format.filter(
        status=Status.WAITING
    ).exists()
    values = {
        "event": event,
        "user": user,
        "name": name.strip(),
        "email": email,
        "organisation": organisation.strip(),
        "format": format,
        "registered_by": by,
        "created_at": now,
    }
    if confirmed:
        values.update(status=Status.CONFIRMED, confirmed_at=now)
    else:
        last = same_format.filter(status=Status.WAITING).order_by("-waitlist_rank").first()
        values.update(status=Status.WAITING, waitlist_rank=(last.waitlist_rank if last else 0) + 1)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(**values)
    except IntegrityError as exc:
        # Another transaction registered the same person between our check and our insert.
        raise ValidationError(_("This person is already registered for the event.")) from exc
    if confirmed:
        if notify:
            _notify(registration, "confirmed")
        return registration
    promoted = _fill(event, format)
    registration.refresh_from_db()
    if notify and registration not in promoted:
        _notify(registration, "waiting")
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by) -> Registration:
    """Cancel a place or leave the waiting list. A person cancels their own place until the
    cancellation deadline and leaves the waiting list until the event starts; the region's
    advisers cancel any registration without recorded attendance. A freed place goes to the
    first on the waiting list, who is told by e-mail."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("The registration is already cancelled."))
    if not _advises(by, event.course):
        if registration.user_id != by.pk:
            raise PermissionDenied(_("Only the region's advisers may cancel for other people."))
        if registration.status == Status.CONFIRMED:
            closed = event.cancellation_closed_reason()
        elif event.first_start is not None and timezone.now() >= event.first_start:
            # Leaving the waiting list frees nobody's place: allowed until the event starts.
            closed = _("The event has started: the registration can no longer be cancelled.")
        else:
            closed = None
        if closed:
            raise ValidationError(closed)
    if registration.attendances.filter(present=True).exists():
        raise ValidationError(
            _("Attendance is recorded for %(name)s: the registration cannot be cancelled.")
            % {"name": registration.name}
        )
    was_waiting = registration.status == Status.WAITING
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancelled_by = by
    registration.waitlist_rank = None
    registration.waitlist_pinned = False
    registration.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by",
            "waitlist_rank",
            "waitlist_pinned",
        ]
    )
    if was_waiting:
        _order_waitlist(event, registration.format)
    else:
        _fill(event, registration.format)
    _notify(registration, "cancelled")
    return registration


def _rule_key(registration: Registration):
    months = registration.waitlist_months
    return (
        months is None,
        -(months or Decimal(0)),
        registration.created_at,
        registration.pk,
    )


def _order_waitlist(
    event: CourseEvent, participation: str, order: list[Registration] | None = None
) -> list[Registration]:
    """Number the waiting list 1…n: pinned people first (in their order), people an adviser
    moved at the place they were given, and the rule for everyone else. `order` is the list as
    it should stand before the rule is applied (default: the current ranks, newcomers last).
    Returns the list in its new order."""
    if order is None:
        order = list(
            event.registrations.waiting()
            .filter(format=participation)
            .order_by(F("waitlist_rank").asc(nulls_last=True), "created_at", "pk")
        )
    months = credited_months_for([r.user_id for r in order if r.user_id])
    for registration in order:
        value = months.get(registration.user_id) if registration.user_id else None
        registration.waitlist_months = None if value is None else value.quantize(Decimal("0.01"))
    size = len(order)
    slots: list[Registration | None] = [None] * size
    pinned = [r for r in order if r.waitlist_pinned]
    for index, registration in enumerate(pinned):
        slots[index] = registration
    for want, registration in enumerate(order):
        if registration.waitlist_pinned or registration.waitlist_moved_at is None:
            continue
        free = [i for i in range(size) if slots[i] is None]
        later = [i for i in free if i >= max(want, len(pinned))]
        slots[later[0] if later else free[-1]] = registration
    ruled = iter(
        sorted(
            (r for r in order if not r.waitlist_pinned and r.waitlist_moved_at is None),
            key=_rule_key,
        )
    )
    slots = [slot if slot is not None else next(ruled) for slot in slots]
    for rank, registration in enumerate(slots, 1):
        registration.waitlist_rank = rank
    Registration.objects.bulk_update(slots, ["waitlist_rank", "waitlist_months"])
    return slots


def _fill(event: CourseEvent, participation: str) -> list[Registration]:
    """Give free places in the format to the first on its waiting list, until the event
    starts. Returns the people moved up (each is told by e-mail)."""
    waiting = _order_waitlist(event, participation)
    if not waiting or (event.first_start is not None and timezone.now() >= event.first_start):
        return []
    capacity = event.capacity(participation)
    taken = event.registrations.confirmed().filter(format=participation).count()
    free = len(waiting) if capacity is None else max(capacity - taken, 0)
    promoted = waiting[:free]
    if not promoted:
        return []
    now = timezone.now()
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.promoted_at = now
        registration.waitlist_rank = None
        registration.waitlist_pinned = False
        registration.save(
            update_fields=[
                "status",
                "confirmed_at",
                "promoted_at",
                "waitlist_rank",
                "waitlist_pinned",
            ]
        )
        _notify(registration, "promoted")
    _order_waitlist(event, participation)
    return promoted


@transaction.atomic
def waitlist_move(*, registration: Registration, by, action: str) -> Registration:
    """An adviser's override of the waiting list: `up` or `down` one place, `pin` first,
    `unpin`, or `reset` (back to the place the rule gives)."""
    if action not in WAITLIST_ACTIONS:
        raise ValidationError(_("Unknown waiting-list action."))
    event = _locked(registration.event)
    _require_adviser(by, event.course)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.WAITING:
        raise ValidationError(
            _("%(name)s is not on the waiting list.") % {"name": registration.name}
        )
    order = list(
        event.registrations.waiting()
        .filter(format=registration.format)
        .order_by("waitlist_rank", "created_at", "pk")
    )
    index = next(i for i, r in enumerate(order) if r.pk == registration.pk)
    me = order[index]
    names = {"name": me.name}
    if action == "up":
        if index == 0:
            raise ValidationError(_("%(name)s is already first.") % names)
        if order[index - 1].waitlist_pinned and not me.waitlist_pinned:
            raise ValidationError(_("Pin %(name)s to place them above the pinned people.") % names)
        order[index - 1], order[index] = me, order[index - 1]
    elif action == "down":
        if index == len(order) - 1:
            raise ValidationError(_("%(name)s is already last.") % names)
        if me.waitlist_pinned and not order[index + 1].waitlist_pinned:
            raise ValidationError(
                _("Unpin %(name)s to place them below people who are not pinned.") % names
            )
        order[index + 1], order[index] = me, order[index + 1]
    elif action == "pin":
        order.remove(me)
        order.insert(sum(1 for r in order if r.waitlist_pinned), me)
    now = timezone.now()
    if action in ("up", "down", "pin"):
        me.waitlist_pinned = me.waitlist_pinned or action == "pin"
        me.waitlist_moved_by, me.waitlist_moved_at = by, now
    else:
        me.waitlist_pinned = False
        me.waitlist_moved_by, me.waitlist_moved_at = None, None
    me.save(update_fields=["waitlist_pinned", "waitlist_moved_by", "waitlist_moved_at"])
    _order_waitlist(event, me.format, order)
    me.refresh_from_db()
    return me


# Attendance and the learning activity it becomes


def _is_alis(user) -> bool:
    return (
        EducationPlan.objects.filter(alis=user).exists()
        or RoleAssignment.objects.active().filter(user=user, role=Role.ALIS).exists()
    )


def _sync_ledger(registration: Registration, *, by) -> None:
    """Project an ALIS's attendance into their education plan as a learning activity of kind
    course: the hours of the sessions attended, dated by the last of them."""
    key = f"courses.attendance:{registration.pk}"
    sessions = list(
        EventSession.objects.filter(
            attendances__registration=registration, attendances__present=True
        )
    )
    if not sessions or registration.user is None or not _is_alis(registration.user):
        activity_remove_external(source_key=key)
        return
    activity_record_external(
        alis=registration.user,
        source_key=key,
        kind=ActivityKind.COURSE,
        date=max(s.local_date for s in sessions),
        hours=sum((s.hours for s in sessions), Decimal(0)),
        title=registration.event.name,
        confirmed_by=by,
    )


@transaction.atomic
def attendance_set(
    *, registration: Registration, session: EventSession, present: bool, by
) -> Attendance:
    """Record whether a person with a place was at a session (from the session's day on).
    An ALIS's attendance becomes a learning activity in their plan; withdrawn, it goes."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__course", "user")
        .get(pk=registration.pk)
    )
    _require_adviser(by, registration.event.course)
    if session.event_id != registration.event_id:
        raise ValidationError(_("That session belongs to another event."))
    if registration.status != Status.CONFIRMED:
        raise ValidationError(
            _("Only people with a place can be marked present; %(name)s has none.")
            % {"name": registration.name}
        )
    if session.local_date > timezone.localdate():
        raise ValidationError(
            _("Attendance can be recorded from the day of the session (%(date)s).")
            % {"date": formats.date_format(session.local_date, "SHORT_DATE_FORMAT")}
        )
    if registration.certificates.current().exists():
        raise ValidationError(
            _("%(name)s has a certificate of attendance: revoke it before changing the attendance.")
            % {"name": registration.name}
        )
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration,
        session=session,
        defaults={"present": present, "recorded_by": by, "recorded_at": timezone.now()},
    )
    _sync_ledger(registration, by=by)
    return attendance


# Certificates of attendance


@transaction.atomic
def certificate_issue(*, registration: Registration, by, notify: bool = True) -> Certificate:
    """Render the certificate of attendance once, in the person's language, and keep it with
    its checksum. Only for a person with a place who attended at least one session; the hours
    are those of the sessions attended."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__course", "user")
        .get(pk=registration.pk)
    )
    event = registration.event
    _require_adviser(by, event.course)
    names = {"name": registration.name}
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("%(name)s has no place at the event.") % names)
    if registration.certificates.current().exists():
        raise ValidationError(_("%(name)s already has a certificate.") % names)
    sessions = list(
        EventSession.objects.filter(
            attendances__registration=registration, attendances__present=True
        ).order_by("starts_at")
    )
    if not sessions:
        raise ValidationError(
            _("%(name)s has no recorded attendance: certificates are for those who attended.")
            % names
        )
    hours = sum((s.hours for s in sessions), Decimal(0))
    if hours <= 0:
        raise ValidationError(_("The sessions %(name)s attended count no hours.") % names)
    now = timezone.now()
    previous = registration.certificates.count()
    number = f"KB-{timezone.localdate(now):%Y}-{registration.pk:06d}"
    if previous:
        number += f"-{previous + 1}"
    language = getattr(registration.user, "language", "") or "nb"
    context = {
        "registration": registration,
        "event": event,
        "sessions": sessions,
        "all_sessions": list(event.sessions.all()),
        "hours": hours,
        "number": number,
        "issued_at": now,
        "issued_by": by,
        "hpr_number": getattr(registration.user, "hpr_number", ""),
    }
    with translation.override(language):
        pdf = render_pdf("pdf/course_certificate.html", context)
    certificate = Certificate(
        registration=registration,
        number=number,
        hours=hours,
        sha256=sha256_hex(pdf),
        issued_at=now,
        issued_by=by,
    )
    certificate.file.save(f"{number}.pdf", content_file(pdf, f"{number}.pdf"), save=False)
    certificate.save()
    if notify:
        _notify(registration, "certificate", certificate_id=certificate.pk)
    return certificate


def certificates_issue(*, event: CourseEvent, by, notify: bool = True) -> list[Certificate]:
    """Certificates for everyone at the event who attended and has none yet, each in its own
    transaction (a long list survives an interruption; running it again issues the rest)."""
    _require_adviser(by, event.course)
    pending = event.registrations.awaiting_certificate().order_by("name", "pk")
    return [certificate_issue(registration=r, by=by, notify=notify) for r in pending]


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by) -> Certificate:
    """Mark a certificate as wrong (it is kept); the attendance can then be corrected and a new
    certificate issued."""
    _require_adviser(by, certificate.registration.event.course)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.save(update_fields=["revoked_at", "revoked_by"])
    return certificate


# E-mails


NOTICE_TEMPLATES = {
    "confirmed": "course_registration_confirmed",
    "waiting": "course_registration_waiting",
    "promoted": "course_registration_promoted",
    "cancelled": "course_registration_cancelled",
    "certificate": "course_certificate",
}


@transaction.atomic
def notice_send(*, registration_id: int, kind: str, certificate_id: int | None = None) -> bool:
    """Send one of the registration's e-mails, once: True if it was sent now."""
    key = f"registration:{registration_id}:{kind}"
    if certificate_id is not None:
        key += f":{certificate_id}"
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event__course", "user")
        .get(pk=registration_id)
    )
    if SentNotice.objects.filter(key=key).exists():
        return False
    event = registration.event
    certificate = None
    if certificate_id is not None:
        certificate = Certificate.objects.get(pk=certificate_id, registration=registration)
    context = {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "certificate": certificate,
        "recipient_name": registration.name,
    }
    user = registration.user
    language = getattr(user, "language", "") or "nb"
    message = render_email(NOTICE_TEMPLATES[kind], context, language=language)
    message.to = [user.email if user else registration.email]
    if certificate is not None:
        with certificate.file.open("rb") as f:
            message.attach(f"{certificate.number}.pdf", f.read(), "application/pdf")
    message.send()
    SentNotice.objects.create(key=key, registration=registration)
    return True


# Calendar feeds


@transaction.atomic
def calendar_feed_enable(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


@transaction.atomic
def calendar_feed_disable(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
