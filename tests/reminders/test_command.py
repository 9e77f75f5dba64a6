"""`manage.py send_reminders [--dry-run] [--date YYYY-MM-DD]`: the engine without a worker."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.models import Notification
from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory

D = datetime.date


@pytest.fixture
def action(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 5, tzinfo=datetime.UTC))
    for municipality in (world.muni_a, world.muni_b):
        FollowUpEntryFactory(municipality=municipality, date=D(2026, 8, 1))
    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    return NextActionFactory(
        entry=entry, owner=world.adviser, due_date=D(2026, 9, 10), description="Send avtalemal"
    )


def command(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_shows_what_is_due_and_changes_nothing(world, action):
    out = command("--dry-run", "--date", "2026-09-10")
    assert "1 reminders due for 1 people, 1 not recorded yet" in out
    assert "radgiver@alisvest.example" in out
    assert "next_action_due: Sogndal: Send avtalemal — due 10.09.2026" in out
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_command_records_and_sends_once(world, action):
    out = command("--date", "2026-09-10")
    assert "1 reminders due, 1 new, 0 withdrawn; 1 digest e-mails sent." in out
    assert [m.to for m in mail.outbox] == [["radgiver@alisvest.example"]]
    out = command("--date", "2026-09-10")
    assert "0 new" in out and "0 digest e-mails sent" in out
    assert len(mail.outbox) == 1
    assert "[recorded]" in command("--dry-run", "--date", "2026-09-10")


def test_without_a_date_the_command_runs_for_today(world, action):
    assert command().startswith("01.09.2026: 0 reminders due")
    assert command("--date", "2026-09-03").startswith("03.09.2026: 1 reminders due")


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--date", "31.08.2026")
