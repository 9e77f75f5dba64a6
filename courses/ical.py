"""iCalendar feeds (RFC 5545) of course events, built with the `icalendar` library.

One VEVENT per session, with the time zone Europe/Oslo and its VTIMEZONE, so Outlook, Google
and Apple calendars show the sessions at the right local time across summer time. UIDs are
stable (session and registration), so a subscribed calendar updates an event in place when an
adviser moves a session, and drops it when the registration is cancelled.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from courses.models import CourseEvent, Participation, Registration

PRODID = "-//ALIS Vest//Kurs//NO"
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def _calendar(name: str) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, name=name)
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", "Europe/Oslo")
    return calendar


def _session_event(
    session, event: CourseEvent, *, uid: str, several: bool, registration=None
) -> Event:
    summary = event.name
    if session.title and several:
        summary = f"{summary} – {session.title}"
    lines = []
    if event.description:
        lines.append(event.description)
    location = event.place
    status = "CONFIRMED"
    if registration is not None:
        if registration.status == Registration.Status.WAITING:
            summary = _("Waiting list: %(name)s") % {"name": summary}
            status = "TENTATIVE"
        if registration.format == Participation.DIGITAL:
            location = _("Digital")
            if event.online_link:
                lines.append(_("Link: %(url)s") % {"url": event.online_link})
    url = settings.SITE_URL + event.get_absolute_url()
    lines.append(url)
    vevent = Event.new(
        uid=uid,
        summary=summary,
        start=timezone.localtime(session.starts_at, OSLO),
        end=timezone.localtime(session.ends_at, OSLO),
        stamp=timezone.now(),
        location=location or None,
        description="\n\n".join(lines),
        url=url,
        status=status,
    )
    return vevent


def _finish(calendar: Calendar) -> bytes:
    # The time zone's rules only for the years the sessions span: a short VTIMEZONE.
    starts = [e.start.date() for e in calendar.events] or [timezone.localdate()]
    calendar.add_missing_timezones(
        first_date=datetime.date(min(starts).year, 1, 1),
        last_date=datetime.date(max(starts).year + 1, 12, 31),
    )
    return calendar.to_ical()


def event_calendar(event: CourseEvent) -> bytes:
    """The sessions of one event."""
    calendar = _calendar(event.name)
    sessions = list(event.sessions.all())
    for session in sessions:
        uid = f"kurs-okt-{session.pk}@alisvest"
        calendar.add_component(_session_event(session, event, uid=uid, several=len(sessions) > 1))
    return _finish(calendar)


def registrations_calendar(registrations, *, name: str) -> bytes:
    """The sessions of a person's registrations (places and waiting lists)."""
    calendar = _calendar(name)
    for registration in registrations:
        event = registration.event
        sessions = list(event.sessions.all())
        for session in sessions:
            uid = f"kurs-okt-{session.pk}-pamelding-{registration.pk}@alisvest"
            calendar.add_component(
                _session_event(
                    session, event, uid=uid, several=len(sessions) > 1, registration=registration
                )
            )
    return _finish(calendar)
