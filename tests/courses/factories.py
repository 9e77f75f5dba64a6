import datetime
import zoneinfo
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import (
    Attendance,
    Course,
    CourseEvent,
    CourseKind,
    EventFormat,
    EventSession,
    Registration,
)
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import RegionFactory

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def oslo(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    region = factory.SubFactory(RegionFactory)
    kind = CourseKind.SUPERVISOR_COURSE
    title = "Emnekurs i individuell veiledning og supervisjon for allmennleger"
    target_group = "Veiledere for ALIS"
    hours = Decimal(18)


class CourseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseEvent

    course = factory.SubFactory(CourseFactory)
    title = "Bergen"
    format = EventFormat.PHYSICAL
    place = "Bergen legevakt, Vestre Strømkaien 19"
    capacity_physical = 20
    price = Decimal(3500)
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class EventSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSession

    event = factory.SubFactory(CourseEventFactory)
    title = factory.Sequence(lambda n: f"Dag {n + 1}")
    starts_at = oslo(2027, 2, 3, 9)
    ends_at = oslo(2027, 2, 3, 15)
    hours = Decimal(6)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(CourseEventFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda r: r.user.get_full_name() if r.user else "Gjest Gjestesen")
    email = factory.LazyAttribute(lambda r: r.user.email if r.user else "gjest@example.no")
    format = "physical"
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda a: a.registration.event.sessions.first())
    present = True


def event_with_sessions(*, days=((2027, 2, 3), (2027, 2, 4), (2027, 2, 5)), **kwargs):
    """A published event (default: the 18-hour course module, three 6-hour days)."""
    event = CourseEventFactory(**kwargs)
    for index, (year, month, day) in enumerate(days, 1):
        EventSessionFactory(
            event=event,
            title=f"Dag {index}",
            starts_at=oslo(year, month, day, 9),
            ends_at=oslo(year, month, day, 15),
            hours=Decimal(6),
        )
    return event
