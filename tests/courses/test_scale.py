"""The synthetic courses: the sizes asked for, and never more people with a place than
places."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from alisvest import scale
from courses.models import CourseEvent, Registration
from tests.municipalities.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db

TINY = scale.Scale("tiny", 12, 3, 30, 5, 100, 30, 6, 60)


def test_synthetic_courses_respect_capacity_and_rank_the_waiting_lists(monkeypatch):
    monkeypatch.setitem(scale.SCALES, "tiny", TINY)
    region = RegionFactory(code="vest")
    for i in range(5):
        MunicipalityFactory(number=f"46{i:02d}", region=region)
    call_command("generate_scale_data", scale="tiny", no_progress=True)

    assert CourseEvent.objects.count() == TINY.course_events
    assert 0 < Registration.objects.count() <= TINY.course_registrations
    for event in CourseEvent.objects.with_counts():
        for fmt in event.formats:
            capacity = event.capacity(fmt)
            assert capacity is None or getattr(event, f"confirmed_{fmt}") <= capacity
    ranks = (
        Registration.objects.waiting()
        .values("event", "format", "waitlist_rank")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not ranks.exists()
