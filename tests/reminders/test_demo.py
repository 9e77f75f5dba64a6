"""The demo annual wheel: the office's year, with reminders recorded for today."""

import datetime
import io

import pytest
from django.core.management import call_command

from reminders.models import DigestPreference, Notification, WheelTask

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_annual_wheel_and_reminders_waiting(time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 10, 6, tzinfo=datetime.UTC))
    call_command("import_municipalities", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    titles = set(WheelTask.objects.values_list("title", flat=True))
    assert {"Søknadsfrist tilskudd", "Revisorerklæring for ALIS-tilskudd"} <= titles
    assert len({task.month for task in WheelTask.objects.all()}) >= 9
    assert WheelTask.objects.filter(weekday__isnull=False).exists()  # a weekday rule too
    assert DigestPreference.objects.filter(frequency="weekly").exists()
    # 31 August is three weeks away: its owner has the 30-day reminder waiting.
    grant = Notification.objects.get(kind="annual_wheel", title="Søknadsfrist tilskudd")
    assert grant.recipient.email == "radgiver@alisvest.example"
    assert grant.emailed_at is None
    assert Notification.objects.filter(kind="next_action_due").exists()
