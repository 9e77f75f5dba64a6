"""Partner organisations in the one follow-up log: scope, entries about a partner (and a
municipality), next actions, the timeline page, contacts, and the annual report's read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from municipalities.models import Contact, FollowUpEntry, NextAction, Partner, PartnerKind
from municipalities.services import (
    contact_create,
    follow_up_log,
    follow_up_update,
    next_action_complete,
    partner_create,
)
from reminders import kinds
from tests.municipalities.factories import (
    ContactFactory,
    FollowUpEntryFactory,
    NextActionFactory,
    PartnerFactory,
    RegionFactory,
)
from tests.municipalities.test_follow_up import entry_data
from tests.queries import assert_constant_queries

D = datetime.date


def log(world, **fields):
    values = {
        "by": world.adviser,
        "date": D(2026, 11, 20),
        "kind": "meeting",
        "participants": "",
        "summary": "Møte om institusjonstjeneste",
        "actions": [],
    }
    values.update(fields)
    return follow_up_log(**values)


@pytest.fixture
def helse_bergen(world):
    return PartnerFactory(region=world.region, name="Helse Bergen", kind=PartnerKind.HEALTH_TRUST)


@pytest.fixture
def other_region_partner(db):
    return PartnerFactory(region=RegionFactory(code="nord", name="ALIS Nord"), name="UNN")


# The model's rule


def test_an_entry_must_concern_a_municipality_or_a_partner(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpEntry.objects.create(summary="Om ingenting", created_by=world.adviser)


def test_a_contact_works_for_a_municipality_or_a_partner_not_both(world, helse_bergen):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            municipality=world.muni_a, partner=helse_bergen, name="Begge", function="other"
        )


# Scope


def test_partners_and_their_log_are_the_regions_advisers_only(world, helse_bergen):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen)
    action = NextActionFactory(entry=entry, owner=world.adviser)

    assert list(Partner.objects.visible_to(world.adviser)) == [helse_bergen]
    assert list(FollowUpEntry.objects.visible_to(world.adviser)) == [entry]
    assert list(NextAction.objects.visible_to(world.adviser)) == [action]
    for person in (world.manager_a, world.alis_a, world.outsider):
        assert not Partner.objects.visible_to(person).exists()
        assert not FollowUpEntry.objects.visible_to(person).exists()
        assert not NextAction.objects.visible_to(person).exists()


def test_managers_do_not_see_partner_entries_about_their_municipality(world, helse_bergen):
    FollowUpEntryFactory(municipality=world.muni_a, partner=helse_bergen)

    assert not FollowUpEntry.objects.visible_to(world.manager_a).exists()


def test_another_regions_partner_is_invisible(world, other_region_partner):
    FollowUpEntryFactory(municipality=None, partner=other_region_partner)

    assert not Partner.objects.visible_to(world.adviser).exists()
    assert not FollowUpEntry.objects.visible_to(world.adviser).exists()


# Services


def test_logging_a_partner_meeting_with_a_next_action(world, helse_bergen):
    entry = log(
        world,
        partner=helse_bergen,
        actions=[
            {"description": "Send utkast", "owner": world.adviser, "due_date": D(2026, 12, 1)}
        ],
    )

    assert entry.partner == helse_bergen and entry.municipality is None
    assert [a.description for a in entry.next_actions.all()] == ["Send utkast"]


def test_an_entry_can_concern_a_partner_and_a_municipality(world, helse_bergen):
    entry = log(world, partner=helse_bergen, municipality=world.muni_a)

    assert list(FollowUpEntry.objects.concerning(helse_bergen)) == [entry]
    assert list(FollowUpEntry.objects.concerning(world.muni_a)) == [entry]


def test_an_entry_about_nothing_is_refused(world):
    with pytest.raises(ValidationError):
        log(world)


def test_a_partner_of_another_region_cannot_be_joined_to_our_municipality(
    world, other_region_partner
):
    with pytest.raises(ValidationError):
        log(world, partner=other_region_partner, municipality=world.muni_a)


def test_only_the_regions_advisers_log_partner_meetings(world, helse_bergen, other_region_partner):
    with pytest.raises(PermissionDenied):
        log(world, partner=helse_bergen, by=world.manager_a)
    with pytest.raises(PermissionDenied):
        log(world, partner=other_region_partner)


def test_partner_action_owners_must_be_advisers_of_the_region(world, helse_bergen):
    with pytest.raises(ValidationError):
        log(
            world,
            partner=helse_bergen,
            actions=[{"description": "X", "owner": world.manager_a, "due_date": D(2026, 12, 1)}],
        )
    assert not FollowUpEntry.objects.exists()


def test_update_can_add_the_municipality_to_a_partner_entry(world, helse_bergen):
    entry = log(world, partner=helse_bergen)

    follow_up_update(
        entry=entry,
        by=world.adviser,
        date=entry.date,
        kind=entry.kind,
        participants="",
        summary=entry.summary,
        actions=[],
        municipality=world.muni_b,
    )

    entry.refresh_from_db()
    assert entry.municipality == world.muni_b and entry.partner == helse_bergen


def test_completing_a_partner_action(world, helse_bergen):
    action = NextActionFactory(
        entry=FollowUpEntryFactory(municipality=None, partner=helse_bergen), owner=world.adviser
    )

    next_action_complete(action=action, by=world.adviser)

    assert not action.is_open
    with pytest.raises(PermissionDenied):
        next_action_complete(action=action, by=world.manager_a)


def test_partner_names_are_unique_in_a_region(world, helse_bergen):
    with pytest.raises(ValidationError):
        partner_create(
            region=world.region,
            by=world.adviser,
            data={"name": "helse bergen", "kind": PartnerKind.HEALTH_TRUST},
        )


def test_only_advisers_add_partners_and_their_contacts(world, helse_bergen):
    with pytest.raises(PermissionDenied):
        partner_create(
            region=world.region, by=world.manager_a, data={"name": "KS", "kind": "association"}
        )
    with pytest.raises(PermissionDenied):
        contact_create(partner=helse_bergen, by=world.manager_a, data={"name": "X"})
    contact = contact_create(
        partner=helse_bergen, by=world.adviser, data={"name": "Kari", "function": "other"}
    )
    assert list(helse_bergen.contacts.all()) == [contact]


# The annual report's read


def test_partner_meetings_of_a_year_by_partner(world, helse_bergen):
    ks = PartnerFactory(region=world.region, name="KS", kind=PartnerKind.ASSOCIATION)
    meeting = FollowUpEntryFactory(municipality=None, partner=ks, date=D(2021, 3, 1))
    digital = FollowUpEntryFactory(
        municipality=None, partner=helse_bergen, date=D(2021, 9, 1), kind="digital_meeting"
    )
    FollowUpEntryFactory(municipality=None, partner=helse_bergen, date=D(2021, 9, 2), kind="email")
    FollowUpEntryFactory(municipality=None, partner=helse_bergen, date=D(2022, 1, 5))
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2021, 5, 5))

    entries = FollowUpEntry.objects.meetings_in(2021).with_partner()

    assert list(entries) == [digital, meeting]  # Helse Bergen before KS


# The next-actions reminder


def test_the_next_actions_reminder_points_at_the_partner_page(world, helse_bergen):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen)
    action = NextActionFactory(entry=entry, owner=world.adviser, due_date=D(2026, 12, 1))
    setting = kinds.KINDS["next_action_due"].defaults()

    due = list(kinds.next_actions_due(D(2026, 12, 1), setting))

    assert [d.title for d in due] == [f"Helse Bergen: {action.description}"]
    assert due[0].url == reverse("municipalities:partner_detail", args=[helse_bergen.pk]) + (
        f"#action-{action.pk}"
    )


# Views


def test_adviser_logs_a_partner_meeting_about_a_municipality(world, client_for, helse_bergen):
    url = reverse("municipalities:partner_follow_up_create", args=[helse_bergen.pk])
    data = entry_data(
        actions=[{"description": "Ring Kari", "owner": world.adviser.pk, "due_date": "01.12.2026"}],
        municipality=world.muni_a.pk,
    )

    response = client_for(world.adviser).post(url, data)

    assert response.status_code == 302
    entry = FollowUpEntry.objects.get()
    assert (entry.partner, entry.municipality) == (helse_bergen, world.muni_a)
    page = client_for(world.adviser).get(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )
    assert "Helse Bergen" in page.content.decode()


def test_partner_timeline_shows_the_log(world, client_for, helse_bergen):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen, summary="Om LIS-avtale")
    NextActionFactory(entry=entry, owner=world.adviser, description="Send referat")

    response = client_for(world.adviser).get(
        reverse("municipalities:partner_detail", args=[helse_bergen.pk])
    )

    html = response.content.decode()
    assert "Om LIS-avtale" in html and "Send referat" in html


@pytest.mark.parametrize("persona", ["manager_a", "alis_a", "outsider"])
def test_others_get_404_for_partner_pages(world, client_for, helse_bergen, persona):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen)
    contact = ContactFactory(municipality=None, partner=helse_bergen)
    client = client_for(world.user(persona))

    for url in (
        reverse("municipalities:partner_list"),
        reverse("municipalities:partner_create"),
        reverse("municipalities:partner_detail", args=[helse_bergen.pk]),
        reverse("municipalities:follow_up_update", args=[entry.pk]),
        reverse("municipalities:contact_update", args=[contact.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_adviser_adds_a_partner(world, client_for):
    response = client_for(world.adviser).post(
        reverse("municipalities:partner_create"),
        {"name": "SKIL", "kind": PartnerKind.ASSOCIATION, "website": "", "description": ""},
    )

    partner = Partner.objects.get()
    assert response.url == reverse("municipalities:partner_detail", args=[partner.pk])
    assert partner.region == world.region


def test_my_actions_lists_partner_actions(world, client_for, helse_bergen):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen)
    NextActionFactory(entry=entry, owner=world.adviser, description="Avklar plasser")

    html = client_for(world.adviser).get(reverse("municipalities:my_actions")).content.decode()

    assert "Avklar plasser" in html and "Helse Bergen" in html


def test_partner_list_query_count_stays_constant(world, client_for, helse_bergen):
    def grow():
        for n in range(10):
            partner = PartnerFactory(region=world.region, county=world.muni_b.county)
            entry = FollowUpEntryFactory(municipality=None, partner=partner, date=D(2026, 1, n + 1))
            NextActionFactory(entry=entry, owner=world.adviser)

    assert_constant_queries(client_for(world.adviser), reverse("municipalities:partner_list"), grow)


def test_partner_timeline_query_count_stays_constant(world, client_for, helse_bergen):
    entry = FollowUpEntryFactory(municipality=None, partner=helse_bergen)
    NextActionFactory(entry=entry, owner=world.adviser)

    def grow():
        for _n in range(10):
            entry = FollowUpEntryFactory(
                municipality=world.muni_a, partner=helse_bergen, created_by=world.adviser
            )
            NextActionFactory(entry=entry, owner=world.adviser)
            ContactFactory(municipality=None, partner=helse_bergen)

    assert_constant_queries(
        client_for(world.adviser),
        reverse("municipalities:partner_detail", args=[helse_bergen.pk]),
        grow,
    )
