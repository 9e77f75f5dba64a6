from django.core.files.base import ContentFile
from django.utils import timezone

from courses.models import CalendarFeed, Certificate
from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.courses.factories import CourseFactory, RegistrationFactory, event_with_sessions

LOGGED_IN = ["adviser", "manager_a", "manager_b", "alis_a", "alis_b", "supervisor_a", "outsider"]


def _event(w, **kwargs):
    return event_with_sessions(course__region=w.region, **kwargs)


def _pk(w):
    return {"pk": _event(w).pk}


def _draft(w):
    return {"pk": _event(w, is_published=False, published_at=None).pk}


def _course(w):
    return {"pk": CourseFactory(region=w.region).pk}


def _course_pk(w):
    return {"course_pk": CourseFactory(region=w.region).pk}


def _session(w):
    return {"pk": _event(w).sessions.first().pk}


def _registration(w, **kwargs):
    return RegistrationFactory(event=_event(w), user=w.alis_a, **kwargs)


def _own(w):
    return {"pk": _registration(w).pk}


def _waiting(w):
    return {"pk": _registration(w, status="waiting", waitlist_rank=1).pk, "action": "up"}


def _attendance(w):
    registration = _registration(w)
    return {"pk": registration.pk, "session_pk": registration.event.sessions.first().pk}


def _certificate(w):
    certificate = Certificate(
        registration=_registration(w),
        number=f"KB-TEST-{timezone.now():%H%M%S%f}",
        hours=6,
        sha256="0" * 64,
        issued_by=w.adviser,
    )
    certificate.file.save("kursbevis.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    certificate.save()
    return {"pk": certificate.pk}


def _feed(w):
    return {"token": CalendarFeed.objects.create(user=w.alis_a).token}


# Who may do what: everyone logged in sees published events (and their calendar feed) and
# registers themselves; the region's advisers run the events (others: 403 on a published event
# they can see, 404 on a draft or a course they cannot); a registration and its certificate are
# their owner's and the advisers' only (others: 404).
EVERYONE = dict.fromkeys(LOGGED_IN, OK)
EVERYONE_POST = dict.fromkeys(LOGGED_IN, REDIRECT)
ADVISER_RUNS = {**dict.fromkeys(LOGGED_IN, FORBIDDEN), "adviser": OK}
ADVISER_RUNS_POST = {**dict.fromkeys(LOGGED_IN, FORBIDDEN), "adviser": REDIRECT}
OWNER_AND_ADVISER = {"adviser": OK, "alis_a": OK}
OWNER_AND_ADVISER_POST = {"adviser": REDIRECT, "alis_a": REDIRECT}
ADVISER_OF_OWNERS = {"adviser": REDIRECT, "alis_a": FORBIDDEN}

ACCESS = {
    "courses:calendar_feed": Access(build=_feed, expect={**EVERYONE, "anonymous": OK}, public=True),
    "courses:course_update": Access(build=_course, expect={"adviser": OK}),
    "courses:event_create": Access(build=_course_pk, expect={"adviser": OK}),
    "courses:event_detail": Access(build=_pk, expect=EVERYONE),
    "courses:event_ical": Access(build=_pk, expect=EVERYONE),
    "courses:event_update": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:event_publish": Access(build=_draft, expect={"adviser": REDIRECT}, method="post"),
    "courses:event_unpublish": Access(build=_pk, expect=ADVISER_RUNS_POST, method="post"),
    "courses:event_history": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:registration_create": Access(
        build=_pk, expect=EVERYONE_POST, method="post", data={"format": "physical"}
    ),
    "courses:event_participants": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:registration_add": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:participants_export": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:attendance_sheet": Access(build=_pk, expect=ADVISER_RUNS),
    "courses:certificates_issue": Access(build=_pk, expect=ADVISER_RUNS_POST, method="post"),
    "courses:session_attendance": Access(build=_session, expect=ADVISER_RUNS),
    "courses:registration_detail": Access(build=_own, expect=OWNER_AND_ADVISER),
    "courses:registration_cancel": Access(build=_own, expect=OWNER_AND_ADVISER_POST, method="post"),
    "courses:waitlist_move": Access(build=_waiting, expect=ADVISER_OF_OWNERS, method="post"),
    "courses:attendance_toggle": Access(
        build=_attendance, expect=ADVISER_OF_OWNERS, method="post", data={"present": "1"}
    ),
    "courses:certificate_download": Access(build=_certificate, expect=OWNER_AND_ADVISER),
    "courses:certificate_revoke": Access(
        build=_certificate, expect=ADVISER_OF_OWNERS, method="post"
    ),
}
