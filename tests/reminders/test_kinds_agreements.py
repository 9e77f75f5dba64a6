"""ALIS agreements ending, and agreements not signed: to the municipality's managers and the
region's advisers, day by day (time-machine)."""

import datetime

import pytest
from django.core import mail

from alis_agreements.models import AgreementStatus, EndReason
from reminders import services
from reminders.kinds import KINDS
from reminders.models import Notification
from tests.alis_agreements.factories import AgreementFactory, EmploymentFactory, PositionFactory
from tests.reminders.test_kinds import of_kind, setting

D = datetime.date


def signed(employment, *, end_date, **extra):
    """A signed agreement row as it stands (the signing itself is tested in alis_agreements)."""
    return AgreementFactory(
        employment=employment,
        status=AgreementStatus.SIGNED,
        start_date=D(2024, 1, 1),
        end_date=end_date,
        signed_on=D(2024, 1, 1),
        pdf_sha256="0" * 64,
        **extra,
    )


@pytest.fixture
def ending(world):
    return signed(world.employment_a, end_date=D(2026, 12, 31))


def test_an_ending_agreement_is_reminded_90_and_30_days_before_and_on_the_day(world, ending, run):
    key = f"alis_agreements.agreement:{ending.pk}"
    stages = {}
    for day in [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3), D(2026, 12, 1), D(2026, 12, 31)]:
        stages[day] = {(r[2], r[4]) for r in of_kind(run(day), "agreement_ending") if r[1] == key}
    people = (world.manager_a.pk, world.adviser.pk)
    assert stages == {
        D(2026, 10, 1): set(),
        D(2026, 10, 2): {(pk, D(2026, 10, 2)) for pk in people},
        D(2026, 10, 3): set(),
        D(2026, 12, 1): {(pk, D(2026, 12, 1)) for pk in people},
        D(2026, 12, 31): {(pk, D(2026, 12, 31)) for pk in people},
    }


def test_the_reminder_names_the_alis_and_municipality_and_links_to_the_agreement(world, ending):
    due = list(KINDS["agreement_ending"].find(D(2026, 12, 1), setting("agreement_ending")))
    assert {(d.title, d.url) for d in due} == {("Ola Lege, Sogndal", f"/avtaler/{ending.pk}/")}
    # The other municipality's manager is not told.
    assert world.manager_b.pk not in {d.recipient_id for d in due}


def test_the_end_of_the_employment_ends_the_agreement_earlier(world, ending, run):
    world.employment_a.end_date = D(2026, 11, 30)
    world.employment_a.save(update_fields=["end_date"])
    rows = of_kind(run(D(2026, 11, 30)), "agreement_ending")
    assert {r[3] for r in rows} == {D(2026, 11, 30)}


def test_an_agreement_ended_or_replaced_is_no_longer_reminded(world, ending, run):
    run(D(2026, 12, 1))
    ending.status, ending.ended_on, ending.end_reason = (
        AgreementStatus.ENDED,
        D(2026, 12, 5),
        EndReason.REPLACED,
    )
    ending.save(update_fields=["status", "ended_on", "end_reason"])
    assert of_kind(run(D(2026, 12, 31)), "agreement_ending") == set()
    assert all(n.withdrawn_at for n in Notification.objects.filter(kind="agreement_ending"))


def test_an_agreement_far_from_its_end_and_drafts_are_not_ending(world, run):
    signed(world.employment_a, end_date=D(2028, 12, 31))
    other = EmploymentFactory(position=PositionFactory(municipality=world.muni_b))
    AgreementFactory(employment=other, start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    assert of_kind(run(D(2026, 12, 1)), "agreement_ending") == set()


# Drafted or sent, but not signed after the period (default 30 days)


@pytest.fixture
def draft(world, travel):
    travel(D(2026, 3, 2))
    return AgreementFactory(employment=world.employment_a, end_date=D(2030, 1, 1))


def test_a_draft_not_signed_after_30_days_is_reminded_and_again_every_14_days(world, draft, run):
    key = f"alis_agreements.agreement:{draft.pk}"
    stages = {}
    for day in [D(2026, 3, 31), D(2026, 4, 1), D(2026, 4, 14), D(2026, 4, 15)]:
        stages[day] = {(r[2], r[3], r[4]) for r in of_kind(run(day), "agreement_unsigned")}
    people = (world.manager_a.pk, world.adviser.pk)
    assert stages == {
        D(2026, 3, 31): set(),
        D(2026, 4, 1): {(pk, D(2026, 4, 1), D(2026, 4, 1)) for pk in people},
        D(2026, 4, 14): set(),
        D(2026, 4, 15): {(pk, D(2026, 4, 1), D(2026, 4, 15)) for pk in people},
    }
    assert Notification.objects.filter(object_key=key).count() == 4


def test_an_agreement_sent_for_signature_is_still_unsigned(world, draft, run):
    draft.status = AgreementStatus.SENT
    draft.save(update_fields=["status"])
    assert len(of_kind(run(D(2026, 4, 1)), "agreement_unsigned")) == 2


def test_signing_withdraws_the_waiting_reminder(world, draft, run):
    run(D(2026, 4, 1))
    draft.status, draft.signed_on, draft.pdf_sha256 = (
        AgreementStatus.SIGNED,
        D(2026, 4, 2),
        "0" * 64,
    )
    draft.save(update_fields=["status", "signed_on", "pdf_sha256"])
    assert of_kind(run(D(2026, 4, 15)), "agreement_unsigned") == set()
    assert all(n.withdrawn_at for n in Notification.objects.filter(kind="agreement_unsigned"))


def test_the_period_is_the_advisers_choice(world, draft, run):
    kind = setting("agreement_unsigned")
    services.reminder_kind_update(kind=kind, by=world.adviser, data={"period_days": 10})
    assert {r[3] for r in of_kind(run(D(2026, 3, 12)), "agreement_unsigned")} == {D(2026, 3, 12)}


def test_a_manager_whose_role_ended_is_not_told(world, draft, run):
    world.manager_a.role_assignments.update(valid_to=D(2026, 3, 31))
    rows = of_kind(run(D(2026, 4, 1)), "agreement_unsigned")
    assert {r[2] for r in rows} == {world.adviser.pk}


def test_the_digest_says_when_the_agreement_ends(world, ending, travel):
    travel(D(2026, 12, 1))
    services.reminders_run(on=D(2026, 12, 1), queue=False)
    [message] = [m for m in mail.outbox if m.to == [world.manager_a.email]]
    assert "Ola Lege, Sogndal" in message.body
    assert "går ut 31.12.2026" in message.body and "frist 31.12.2026" not in message.body
