import datetime
from zoneinfo import ZoneInfo

import pytest

from reminders import services
from reminders.models import Notification

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def travel(time_machine):
    """`travel(date)`: it is 07:00 in Oslo on that day (when beat runs the engine)."""

    def to(day: datetime.date) -> datetime.date:
        time_machine.move_to(datetime.datetime.combine(day, datetime.time(7), tzinfo=OSLO))
        return day

    return to


@pytest.fixture
def run(travel):
    """`run(date)`: travel to the day and record its reminders; returns the rows recorded that
    day as (kind, object key, recipient id, due date, reminder date)."""

    def record(day: datetime.date) -> set[tuple]:
        travel(day)
        services.reminders_record(on=day)
        return set(
            Notification.objects.filter(recorded_on=day).values_list(
                "kind", "object_key", "recipient_id", "due_date", "remind_on"
            )
        )

    return record
