"""The demo courses: past events with attendance and certificates, a full event with a
waiting list, and nothing made twice."""

import datetime

import pytest

from alisvest.demo import Demo
from courses import demo
from courses.models import Certificate, CourseEvent, Registration
from education_plans.models import LearningActivity
from tests.education_plans.factories import ServicePeriodFactory

pytestmark = pytest.mark.django_db


def test_the_demo_courses(world, now):
    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2023, 1, 1))
    ServicePeriodFactory(plan=world.plan_b, start_date=datetime.date(2025, 1, 1))
    people = {
        "adviser": world.adviser,
        "manager": world.manager_a,
        "alis": world.alis_a,
        "alis2": world.alis_b,
        "supervisor": world.supervisor_a,
        "group_leader": world.outsider,
    }
    demo.seed(Demo(region=world.region, people=people))
    counts = (
        CourseEvent.objects.count(),
        Registration.objects.count(),
        Certificate.objects.count(),
    )

    demo.seed(Demo(region=world.region, people=people))

    assert (
        CourseEvent.objects.count(),
        Registration.objects.count(),
        Certificate.objects.count(),
    ) == counts
    events = CourseEvent.objects.with_dates().with_counts()
    assert {e.course.title for e in events} >= {
        "Emnekurs i individuell veiledning og supervisjon for allmennleger",
        "Train the trainers: kursholdere i veiledning",
        "Regional digital samling for Vestland og Rogaland",
        "ALIS-konferansen",
    }
    assert {e.starts_at.year for e in events} == {2026, 2027}
    full = [e for e in events if e.waiting_physical]
    assert len(full) == 1 and full[0].confirmed_physical == full[0].capacity_physical
    # ALIS A registered last of the four, but is closest to completing; the guests come after
    # the ALIS, in the order they registered.
    queue = Registration.objects.waiting().order_by("waitlist_rank")
    assert [r.user for r in queue] == [world.alis_a, world.alis_b, None, None]
    assert queue[2].created_at < queue[3].created_at
    past = events.past()
    assert past and all(e.registrations.filter(attendances__present=True).exists() for e in past)
    assert Certificate.objects.exists()
    assert LearningActivity.objects.filter(source_key__startswith="courses.attendance:").exists()
