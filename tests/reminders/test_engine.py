"""The engine: one digest per person, in their language; each reminder e-mailed exactly once,
through reruns, retries and crashes; weekly digests; turning kinds off; a fixed number of
queries whatever the number of reminders."""

import dataclasses
import datetime
import smtplib

import factory
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from reminders import services, tasks
from reminders.kinds import KINDS
from reminders.models import Digest, Notification, digest_due
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory
from tests.reminders.factories import DigestPreferenceFactory, WheelTaskFactory

D = datetime.date
DUE = D(2026, 9, 10)  # a Thursday


@pytest.fixture
def actions(world, travel):
    """Two advisers with actions due on 10 September; every municipality met recently (so the
    no-meeting kind stays quiet unless a test wants it)."""
    travel(D(2026, 9, 1))
    colleague = UserFactory(first_name="Odd", language="en")
    RoleAssignmentFactory(
        user=colleague, role=Role.ADVISER, region=world.region, valid_from=D(2024, 1, 1)
    )
    for municipality in (world.muni_a, world.muni_b):
        FollowUpEntryFactory(municipality=municipality, date=D(2026, 8, 1), kind="meeting")
    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    mine = [
        NextActionFactory(entry=entry, owner=world.adviser, due_date=DUE, description=text)
        for text in ("Send avtalemal", "Avtal nytt møte")
    ]
    theirs = NextActionFactory(entry=entry, owner=colleague, due_date=DUE, description="Ring")
    return world.adviser, colleague, mine, theirs


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_one_digest_per_person_with_all_their_reminders(actions, travel):
    adviser, colleague, _mine, _theirs = actions
    travel(DUE)
    result = services.reminders_run(on=DUE, queue=False)
    assert (result.due, result.recorded, result.digests) == (3, 3, 2)
    assert len(mail.outbox) == 2
    [mine] = sent_to(adviser.email)
    assert "Sogndal: Send avtalemal" in mine.body and "Sogndal: Avtal nytt møte" in mine.body
    assert "Ring" not in mine.body
    assert Notification.objects.pending().count() == 0
    assert Digest.objects.get(recipient=adviser).size == 2


def test_a_rerun_the_same_day_sends_nothing(actions, travel):
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    result = services.reminders_run(on=DUE, queue=False)
    assert (result.recorded, result.digests) == (0, 0)
    assert len(mail.outbox) == 2


def test_the_beat_task_enqueues_the_digests_after_the_commit(
    actions, travel, django_capture_on_commit_callbacks
):
    travel(DUE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.reminders_run_daily.delay()
    assert len(callbacks) == 2  # one digest task per person, queued on commit
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.reminders_run_daily.delay(DUE.isoformat())
    assert callbacks == [] and len(mail.outbox) == 2


def test_the_digest_is_in_the_recipients_language(actions, travel):
    adviser, colleague, _mine, _theirs = actions
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    [nb] = sent_to(adviser.email)
    [en] = sent_to(colleague.email)
    assert nb.subject == "[ALIS Vest] 2 påminnelser: dette venter på deg"
    assert en.subject == "[ALIS Vest] 1 reminder: what is due for you"
    assert "OPPFØLGINGSTILTAK MED FRIST" in nb.body and "frist i dag" in nb.body
    assert "FOLLOW-UP ACTIONS DUE" in en.body and "due today" in en.body
    html, mimetype = nb.alternatives[0]
    assert mimetype == "text/html" and 'lang="nb"' in html
    assert "Oppfølgingstiltak med frist" in html and "Hei Anja," in html
    assert f"http://127.0.0.1:8000/kommuner/4640/#action-{_mine[0].pk}" in html
    assert 'lang="en"' in en.alternatives[0][0]


def test_overdue_reminders_say_so(actions, travel):
    adviser, *_ = actions
    travel(DUE + datetime.timedelta(days=7))
    services.reminders_run(on=DUE + datetime.timedelta(days=7), queue=False)
    [digest] = sent_to(adviser.email)
    assert "forfalt siden 10.09.2026" in digest.body


# Exactly once, through crashes and retries


def test_a_crash_between_recording_and_sending_is_made_good_by_the_retry(
    actions, travel, django_capture_on_commit_callbacks
):
    adviser, colleague, _mine, _theirs = actions
    travel(DUE)
    # The worker records the day's reminders, commits, and dies before any digest is sent.
    services.reminders_record(on=DUE)
    assert Notification.objects.pending().count() == 3 and mail.outbox == []
    # Celery redelivers the unacknowledged task (acks_late): the run is made again.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_run_daily.delay(DUE.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([adviser.email, colleague.email])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_run_daily.delay(DUE.isoformat())
    assert len(mail.outbox) == 2


def test_a_crash_mid_sending_resends_exactly_the_missing_digests(actions, travel, monkeypatch):
    adviser, colleague, _mine, _theirs = actions
    travel(DUE)
    original = EmailBackend.send_messages

    def mail_server_fails_for_the_colleague(self, messages):
        if any(colleague.email in m.to for m in messages):
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", mail_server_fails_for_the_colleague)
    services.reminders_record(on=DUE)
    services.digest_send(recipient_id=adviser.pk, on=DUE)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.digest_send(recipient_id=colleague.pk, on=DUE)
    assert [m.to for m in mail.outbox] == [[adviser.email]]
    # Nothing of the failed digest is marked: the colleague's reminder is still pending.
    assert list(Notification.objects.pending().values_list("recipient_id", flat=True)) == [
        colleague.pk
    ]
    assert not Digest.objects.filter(recipient=colleague).exists()

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    result = services.reminders_run(on=DUE, queue=False)  # the retry
    assert result.recipients == [colleague.pk]
    assert [m.to for m in mail.outbox] == [[adviser.email], [colleague.email]]
    assert Notification.objects.pending().count() == 0


def test_a_failed_digest_is_sent_with_the_next_days_run(actions, travel, monkeypatch):
    adviser, *_ = actions
    travel(DUE)

    def down(self, messages):
        raise smtplib.SMTPConnectError(421, "try later")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", down)
        services.reminders_record(on=DUE)
        with pytest.raises(smtplib.SMTPConnectError):
            services.digest_send(recipient_id=adviser.pk, on=DUE)
    next_day = travel(DUE + datetime.timedelta(days=1))
    services.reminders_run(on=next_day, queue=False)
    [digest] = sent_to(adviser.email)
    assert "Send avtalemal" in digest.body and "Avtal nytt møte" in digest.body


def test_the_digest_task_is_retried_when_the_mail_server_is_down():
    assert tasks.digest_send.autoretry_for == (OSError,)
    assert issubclass(smtplib.SMTPException, OSError)
    assert tasks.digest_send.max_retries >= 5


# Weekly digests


def test_a_weekly_digest_waits_for_its_weekday(actions, travel):
    adviser, *_ = actions
    DigestPreferenceFactory(user=adviser, frequency="weekly", weekday=0)  # Monday
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    assert sent_to(adviser.email) == []
    assert Notification.objects.visible_to(adviser).pending().count() == 2  # shown in Varsler
    for day in (D(2026, 9, 11), D(2026, 9, 12), D(2026, 9, 13)):
        travel(day)
        services.reminders_run(on=day, queue=False)
    assert sent_to(adviser.email) == []
    monday = travel(D(2026, 9, 14))
    services.reminders_run(on=monday, queue=False)
    assert len(sent_to(adviser.email)) == 1


def test_a_missed_weekly_digest_goes_out_the_next_day():
    monday, tuesday, wednesday = D(2026, 9, 14), D(2026, 9, 15), D(2026, 9, 16)
    assert digest_due(frequency="weekly", weekday=0, oldest=D(2026, 9, 10), on=monday)
    assert digest_due(frequency="weekly", weekday=0, oldest=D(2026, 9, 10), on=tuesday)
    assert not digest_due(frequency="weekly", weekday=0, oldest=tuesday, on=wednesday)
    assert digest_due(frequency="daily", weekday=None, oldest=wednesday, on=wednesday)


# Turning kinds off


def test_a_person_can_turn_off_an_optional_kind(actions, travel):
    adviser, colleague, *_ = actions
    kind = services.kind_settings()["next_action_due"]
    kind.optional = True
    kind.save()
    services.digest_preference_set(user=adviser, frequency="daily", weekday=None, muted=[kind])
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    assert sent_to(adviser.email) == []
    assert len(sent_to(colleague.email)) == 1


def test_a_kind_that_is_not_optional_cannot_be_turned_off(world):
    kind = services.kind_settings()["next_action_due"]
    with pytest.raises(ValidationError):
        services.digest_preference_set(
            user=world.adviser, frequency="daily", weekday=None, muted=[kind]
        )


def test_a_kind_turned_off_by_the_advisers_sends_nothing_and_withdraws_what_waits(actions, travel):
    adviser, *_ = actions
    DigestPreferenceFactory(user=adviser, frequency="weekly", weekday=0)
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    kind = services.kind_settings()["next_action_due"]
    services.reminder_kind_update(kind=kind, by=adviser, data={"enabled": False})
    monday = travel(D(2026, 9, 14))
    services.reminders_run(on=monday, queue=False)
    assert sent_to(adviser.email) == []
    assert Notification.objects.visible_to(adviser).pending().count() == 0


def test_a_later_stage_replaces_a_waiting_earlier_one(actions, travel):
    adviser, *_ = actions
    DigestPreferenceFactory(user=adviser, frequency="weekly", weekday=0)
    for day in (D(2026, 9, 3), DUE):
        travel(day)
        services.reminders_run(on=day, queue=False)
    monday = travel(D(2026, 9, 14))
    services.reminders_run(on=monday, queue=False)
    [digest] = sent_to(adviser.email)
    # One line per action: the reminder of the due day, not the one a week before as well.
    assert digest.body.count("Send avtalemal") == 1


def test_people_without_an_e_mail_or_inactive_get_nothing(actions, travel):
    adviser, colleague, *_ = actions
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    travel(DUE)
    services.reminders_run(on=DUE, queue=False)
    assert [m.to for m in mail.outbox] == [[adviser.email]]


# The number of queries does not grow with the number of reminders


def _engine_queries(on) -> int:
    with CaptureQueriesContext(connection) as context:
        services.reminders_run(on=on, queue=False)
    return len(context.captured_queries)


@pytest.mark.postgres  # SQLite splits a large bulk insert into batches of 999 values
def test_queries_per_run_are_the_same_for_10_and_1000_reminders(actions, travel):
    adviser, colleague, mine, _theirs = actions
    travel(DUE)
    wheel = WheelTaskFactory(region=adviser.role_assignments.get().region, month=9, day=10)
    wheel.owners.set([adviser, colleague])
    services.kind_settings()

    def add_actions(count):
        NextActionFactory.create_batch(
            count, entry=mine[0].entry, owner=factory.Iterator([adviser, colleague]), due_date=DUE
        )

    add_actions(5)  # with the 3 actions and the wheel task for 2 people: 10 reminders
    small = _engine_queries(DUE)
    assert Notification.objects.count() == 10 and len(mail.outbox) == 2

    Notification.objects.all().delete()
    add_actions(990)
    large = _engine_queries(DUE)
    assert Notification.objects.count() == 1000 and len(mail.outbox) == 4
    assert large == small, f"{small} queries for 10 reminders, {large} for 1,000"


def test_a_long_digest_lists_25_of_a_kind_and_counts_the_rest(world, travel):
    from tests.municipalities.factories import MunicipalityFactory

    travel(D(2026, 1, 1))
    kind = services.kind_settings()["municipality_no_meeting"]
    kind.counted_from = D(2026, 1, 1)
    kind.save()
    MunicipalityFactory.create_batch(28, region=world.region)
    services.reminders_run(on=D(2026, 1, 1), queue=False)
    [digest] = sent_to(world.adviser.email)
    assert digest.subject == "[ALIS Vest] 30 påminnelser: dette venter på deg"
    assert digest.body.count("http://127.0.0.1:8000/kommuner/") == 25
    assert "… og 5 til i varslene dine" in digest.body
    assert Notification.objects.pending().count() == 0  # all 30 are in "Varsler"


def test_a_kind_that_fails_does_not_stop_the_others_nor_withdraw_its_own(
    actions, travel, monkeypatch, caplog
):
    adviser, *_ = actions
    DigestPreferenceFactory(user=adviser, frequency="weekly", weekday=0)
    travel(D(2026, 8, 1))
    WheelTaskFactory(region=adviser.role_assignments.get().region, owners=[adviser])
    services.reminders_run(on=D(2026, 8, 1), queue=False)
    waiting = Notification.objects.get(kind="annual_wheel")

    def broken(on, setting):
        raise RuntimeError("a bug in one kind")

    monkeypatch.setitem(
        KINDS, "annual_wheel", dataclasses.replace(KINDS["annual_wheel"], find=broken)
    )
    travel(DUE)
    result = services.reminders_record(on=DUE)
    assert result.failed == ["annual_wheel"]
    assert "Reminder kind annual_wheel failed" in caplog.text
    assert Notification.objects.filter(kind="next_action_due").count() == 3
    waiting.refresh_from_db()
    assert waiting.withdrawn_at is None


def test_a_run_for_an_earlier_day_leaves_later_reminders_alone(actions, travel):
    travel(DUE)
    services.reminders_record(on=DUE)
    services.reminders_record(on=D(2026, 9, 1))  # before the 7-day stage
    assert Notification.objects.pending().count() == 3
