"""Synthetic courses, events with their sessions, registrations (places, waiting lists,
cancellations) and attendance at the events already held."""

import datetime
import zoneinfo
from decimal import Decimal

from alisvest.scale import Context, bulk
from courses.models import (
    Attendance,
    Course,
    CourseEvent,
    CourseKind,
    EventFormat,
    EventSession,
    Registration,
)

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
KINDS = [
    (CourseKind.SUPERVISOR_COURSE, "Syntetisk emnekurs i veiledning", 3, Decimal(18)),
    (CourseKind.TRAIN_THE_TRAINERS, "Syntetisk train the trainers", 3, Decimal(18)),
    (CourseKind.REGIONAL_GATHERING, "Syntetisk regional samling", 1, Decimal(3)),
    (CourseKind.CONFERENCE, "Syntetisk ALIS-konferanse", 2, Decimal(12)),
]


def generate(ctx: Context) -> None:
    rng = ctx.rng
    courses = bulk(
        Course,
        [
            Course(region=region, kind=kind, title=title, hours=hours)
            for region in ctx.regions
            for kind, title, _days, hours in KINDS
        ],
        ctx,
        "courses",
    )
    days_of = {title: days for _kind, title, days, _hours in KINDS}
    events, plans = [], []
    for i in range(ctx.scale.course_events):
        course = courses[i % len(courses)]
        day = ctx.today + datetime.timedelta(days=rng.randrange(-3 * 365, 365))
        fmt = rng.choice(EventFormat.values)
        physical = rng.choice([12, 16, 20, 40, 100]) if fmt != EventFormat.DIGITAL else None
        digital = rng.choice([None, 30, 60]) if fmt != EventFormat.PHYSICAL else None
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO)
        events.append(
            CourseEvent(
                course=course,
                title=f"Syntetisk {i + 1}",
                format=fmt,
                place="Syntetisk kurssted" if fmt != EventFormat.DIGITAL else "",
                capacity_physical=physical,
                capacity_digital=digital,
                registration_deadline=start - datetime.timedelta(days=14),
                cancellation_deadline=start - datetime.timedelta(days=7),
                is_published=True,
                published_at=start - datetime.timedelta(days=90),
            )
        )
        plans.append((start, days_of[course.title], course.hours))
    events = bulk(CourseEvent, events, ctx, "course events")
    sessions, sessions_of = [], {}
    for event, (start, days, hours) in zip(events, plans, strict=True):
        per_day = hours / days
        for d in range(days):
            begins = start + datetime.timedelta(days=d)
            sessions.append(
                EventSession(
                    event=event,
                    title=f"Dag {d + 1}" if days > 1 else "",
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(hours=float(per_day) + 1),
                    hours=per_day,
                )
            )
    for session in bulk(EventSession, sessions, ctx, "sessions"):
        sessions_of.setdefault(session.event_id, []).append(session)
    _registrations(ctx, events, sessions_of)


def _registrations(ctx: Context, events, sessions_of) -> None:
    rng = ctx.rng
    people = ctx.alis_ids + ctx.supervisor_ids
    per_event = max(1, ctx.scale.course_registrations // len(events))
    registrations, taken = [], set()
    for event in events:
        start = sessions_of[event.pk][0].starts_at
        counts = {"physical": 0, "digital": 0}
        ranks = {"physical": 0, "digital": 0}
        for user_id in rng.sample(people, min(per_event, len(people))):
            if (event.pk, user_id) in taken:
                continue
            taken.add((event.pk, user_id))
            fmt = "digital" if event.format == EventFormat.DIGITAL else "physical"
            if event.format == EventFormat.HYBRID and rng.random() < 0.4:
                fmt = "digital"
            capacity = event.capacity(fmt)
            created = start - datetime.timedelta(days=rng.randrange(15, 80))
            values = {
                "event": event,
                "user_id": user_id,
                "name": f"Syntetisk person {user_id}",
                "email": f"person-{user_id}@syntetisk.invalid",
                "format": fmt,
                "created_at": created,
            }
            if rng.random() < 0.06:
                values.update(status=Registration.Status.CANCELLED, cancelled_at=created)
            elif capacity is None or counts[fmt] < capacity:
                counts[fmt] += 1
                values.update(status=Registration.Status.CONFIRMED, confirmed_at=created)
            else:
                ranks[fmt] += 1
                values.update(status=Registration.Status.WAITING, waitlist_rank=ranks[fmt])
            registrations.append(Registration(**values))
    registrations = bulk(Registration, registrations, ctx, "course registrations")
    now = datetime.datetime.combine(ctx.today, datetime.time(0), tzinfo=OSLO)
    attendances = [
        Attendance(registration=r, session=session, present=True, recorded_at=session.ends_at)
        for r in registrations
        if r.status == Registration.Status.CONFIRMED
        for session in sessions_of[r.event_id]
        if session.ends_at < now and rng.random() < 0.92
    ]
    bulk(Attendance, attendances, ctx, "attendance")
