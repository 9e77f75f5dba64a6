"""The follow-up log: entries with next actions, the timeline, and "my open actions"."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from municipalities.models import FollowUpEntry, NextAction
from municipalities.services import (
    follow_up_log,
    follow_up_update,
    next_action_complete,
    next_action_reopen,
)
from tests.municipalities.factories import (
    FollowUpEntryFactory,
    MunicipalityFactory,
    NextActionFactory,
)
from tests.queries import assert_constant_queries

D = datetime.date
MY_ACTIONS = reverse("municipalities:my_actions")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))
    return D(2026, 11, 22)


def create_url(municipality):
    return reverse("municipalities:follow_up_create", args=[municipality.number])


def entry_data(actions=(), prefix="actions", initial_forms=0, **fields):
    data = {
        "date": "20.11.2026",
        "kind": "meeting",
        "participants": "Kommuneoverlege, Anja Rådgiver",
        "summary": "Samarbeidsmøte om ALIS-stillinger og veilederkapasitet",
        f"{prefix}-TOTAL_FORMS": str(max(len(actions), 1)),
        f"{prefix}-INITIAL_FORMS": str(initial_forms),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for i, action in enumerate(actions):
        for key, value in action.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


# Services


def test_follow_up_log_saves_the_entry_and_its_next_actions(world):
    entry = follow_up_log(
        municipality=world.muni_a,
        by=world.adviser,
        date=D(2026, 11, 20),
        kind="meeting",
        participants="Kommuneoverlege",
        summary="Møte om registrering",
        actions=[
            {"description": "Send avtalemal", "owner": world.adviser, "due_date": D(2026, 12, 1)},
            {"description": "Avtal nytt møte", "owner": world.adviser, "due_date": D(2027, 2, 1)},
        ],
    )

    assert entry.created_by == world.adviser
    assert [a.description for a in entry.next_actions.all()] == [
        "Send avtalemal",
        "Avtal nytt møte",
    ]
    assert all(a.is_open for a in entry.next_actions.all())


def test_an_action_owner_must_be_an_adviser_of_the_region(world):
    with pytest.raises(ValidationError) as exc:
        follow_up_log(
            municipality=world.muni_a,
            by=world.adviser,
            date=D(2026, 11, 20),
            kind="meeting",
            participants="",
            summary="Møte",
            actions=[
                {"description": "Ok", "owner": world.adviser, "due_date": D(2026, 12, 1)},
                {"description": "Feil", "owner": world.manager_a, "due_date": D(2026, 12, 1)},
            ],
        )

    assert "owner" in exc.value.message_dict
    assert not FollowUpEntry.objects.exists()
    assert not NextAction.objects.exists()


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "outsider", "alis_a"])
def test_only_advisers_of_the_region_log_follow_up(world, persona):
    with pytest.raises(PermissionDenied):
        follow_up_log(
            municipality=world.muni_a,
            by=world.user(persona),
            date=D(2026, 11, 20),
            kind="meeting",
            participants="",
            summary="Møte",
            actions=[],
        )


def test_follow_up_update_changes_keeps_adds_and_removes_actions(world):
    entry = FollowUpEntryFactory(municipality=world.muni_a)
    kept = NextActionFactory(entry=entry, owner=world.adviser, description="Behold")
    removed = NextActionFactory(entry=entry, owner=world.adviser, description="Fjern")

    follow_up_update(
        entry=entry,
        by=world.adviser,
        date=entry.date,
        kind="phone",
        participants="",
        summary="Endret referat",
        actions=[
            {
                "action": kept,
                "description": "Behold, endret",
                "owner": world.adviser,
                "due_date": D(2027, 1, 1),
            },
            {"description": "Ny", "owner": world.adviser, "due_date": D(2027, 2, 1)},
        ],
        removed=[removed],
    )

    entry.refresh_from_db()
    assert (entry.kind, entry.summary) == ("phone", "Endret referat")
    assert sorted(entry.next_actions.values_list("description", flat=True)) == [
        "Behold, endret",
        "Ny",
    ]


def test_update_cannot_move_an_action_from_another_entry(world):
    entry = FollowUpEntryFactory(municipality=world.muni_a)
    foreign = NextActionFactory(owner=world.adviser)

    with pytest.raises(ValidationError):
        follow_up_update(
            entry=entry,
            by=world.adviser,
            date=entry.date,
            kind="meeting",
            participants="",
            summary="x",
            actions=[],
            removed=[foreign],
        )
    assert NextAction.objects.filter(pk=foreign.pk).exists()


def test_complete_and_reopen_record_who_and_when(world, today):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))

    next_action_complete(action=action, by=world.adviser)
    action.refresh_from_db()
    assert action.done_by == world.adviser and action.done_at is not None
    first_done = action.done_at

    next_action_complete(action=action, by=world.adviser)  # a second click changes nothing
    action.refresh_from_db()
    assert action.done_at == first_done

    next_action_reopen(action=action, by=world.adviser)
    action.refresh_from_db()
    assert action.is_open and action.done_by is None


def test_managers_cannot_complete_actions(world):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))
    with pytest.raises(PermissionDenied):
        next_action_complete(action=action, by=world.manager_a)


# The form


def test_adviser_gets_the_form_with_the_regions_advisers_as_owners(world, client_for):
    response = client_for(world.adviser).get(create_url(world.muni_a))

    assert response.status_code == 200
    formset = response.context["formset"]
    owners = list(formset.forms[0].fields["owner"].queryset)
    assert owners == [world.adviser]
    html = response.content.decode()
    assert 'name="actions-0-description"' in html
    assert 'for="id_actions-0-due_date"' in html


def test_logging_an_entry_with_two_actions(world, client_for, today):
    actions = [
        {"description": "Send avtalemal", "owner": world.adviser.pk, "due_date": "01.12.2026"},
        {"description": "Avtal nytt møte", "owner": world.adviser.pk, "due_date": "2027-02-01"},
        {"description": "", "owner": world.adviser.pk, "due_date": ""},  # an unused blank row
    ]
    response = client_for(world.adviser).post(create_url(world.muni_a), entry_data(actions))

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )
    entry = FollowUpEntry.objects.get()
    assert entry.date == D(2026, 11, 20) and entry.created_by == world.adviser
    assert list(entry.next_actions.values_list("description", "due_date")) == [
        ("Send avtalemal", D(2026, 12, 1)),
        ("Avtal nytt møte", D(2027, 2, 1)),
    ]


def test_a_bad_action_row_shows_its_error_and_nothing_is_saved(world, client_for):
    actions = [
        {"description": "Send avtalemal", "owner": world.adviser.pk, "due_date": "01.12.2026"},
        {"description": "Uten frist", "owner": world.adviser.pk, "due_date": ""},
    ]
    response = client_for(world.adviser).post(create_url(world.muni_a), entry_data(actions))

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["due_date"]
    assert not formset.forms[0].errors
    html = response.content.decode()
    assert 'id="id_actions-1-due_date"' in html and "is-invalid" in html
    assert not FollowUpEntry.objects.exists()
    assert not NextAction.objects.exists()


def test_an_owner_outside_the_regions_advisers_is_refused(world, client_for):
    actions = [{"description": "Ring", "owner": world.manager_a.pk, "due_date": "01.12.2026"}]
    response = client_for(world.adviser).post(create_url(world.muni_a), entry_data(actions))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["owner"]
    assert not FollowUpEntry.objects.exists()


def test_a_missing_summary_is_shown_beside_its_field(world, client_for):
    response = client_for(world.adviser).post(create_url(world.muni_a), entry_data(summary=""))

    assert response.status_code == 200
    assert response.context["form"].errors["summary"]
    assert not FollowUpEntry.objects.exists()


def test_managers_cannot_open_the_follow_up_form(world, client_for):
    response = client_for(world.manager_a).post(create_url(world.muni_a), entry_data())
    assert response.status_code == 404
    assert not FollowUpEntry.objects.exists()


def test_editing_an_entry_and_its_actions(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a, summary="Første utkast")
    first = NextActionFactory(entry=entry, owner=world.adviser, description="Gammel")
    second = NextActionFactory(entry=entry, owner=world.adviser, description="Slett meg")
    url = reverse("municipalities:follow_up_update", args=[entry.pk])
    client = client_for(world.adviser)

    response = client.get(url)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].instance == first

    actions = [
        {"id": first.pk, "description": "Ny tekst", "owner": world.adviser.pk, "due_date": "2027-01-10"},
        {"id": second.pk, "description": "Slett meg", "owner": world.adviser.pk,
         "due_date": "2026-12-01", "DELETE": "on"},
        {"description": "Lagt til", "owner": world.adviser.pk, "due_date": "2027-03-01"},
    ]  # fmt: skip
    response = client.post(
        url, entry_data(actions, initial_forms=2, summary="Rettet referat", date="2026-10-01")
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Rettet referat"
    assert sorted(entry.next_actions.values_list("description", flat=True)) == [
        "Lagt til",
        "Ny tekst",
    ]


# Done and reopen


def test_marking_done_without_javascript_redirects_back(world, client_for):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))
    url = reverse("municipalities:next_action_done", args=[action.pk])

    response = client_for(world.adviser).post(url, {"next": MY_ACTIONS})

    assert response.status_code == 302 and response["Location"] == MY_ACTIONS
    action.refresh_from_db()
    assert not action.is_open


def test_marking_done_ignores_a_next_address_on_another_site(world, client_for):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))
    url = reverse("municipalities:next_action_done", args=[action.pk])

    response = client_for(world.adviser).post(url, {"next": "https://evil.example/"})

    assert response["Location"].startswith(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )


def test_marking_done_with_htmx_returns_the_action_with_a_reopen_button(world, client_for):
    action = NextActionFactory(
        entry=FollowUpEntryFactory(municipality=world.muni_a), description="Send avtalemal"
    )
    client = client_for(world.adviser)

    response = client.post(
        reverse("municipalities:next_action_done", args=[action.pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="action-{action.pk}"' in html and "<html" not in html
    assert reverse("municipalities:next_action_reopen", args=[action.pk]) in html

    response = client.post(
        reverse("municipalities:next_action_reopen", args=[action.pk]), HTTP_HX_REQUEST="true"
    )
    assert reverse("municipalities:next_action_done", args=[action.pk]) in response.content.decode()
    action.refresh_from_db()
    assert action.is_open


def test_done_is_post_only(world, client_for):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))
    url = reverse("municipalities:next_action_done", args=[action.pk])
    assert client_for(world.adviser).get(url).status_code == 405


# The municipality page


def test_advisers_see_the_timeline_with_actions_and_buttons(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a, summary="Kartleggingsmøte")
    action = NextActionFactory(entry=entry, owner=world.adviser, description="Send avtalemal")

    response = client_for(world.adviser).get(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )

    html = response.content.decode()
    assert "Kartleggingsmøte" in html and "Send avtalemal" in html
    assert create_url(world.muni_a) in html
    assert reverse("municipalities:follow_up_update", args=[entry.pk]) in html
    assert reverse("municipalities:next_action_done", args=[action.pk]) in html


def test_managers_do_not_see_the_follow_up_log(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a, summary="Intern vurdering")
    NextActionFactory(entry=entry, description="Hemmelig tiltak")

    response = client_for(world.manager_a).get(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Intern vurdering" not in html and "Hemmelig tiltak" not in html
    assert 'id="followup-h"' not in html
    assert create_url(world.muni_a) not in html


def test_municipality_page_query_count_does_not_grow_with_the_log(world, client_for):
    url = reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    entry = FollowUpEntryFactory(municipality=world.muni_a)
    NextActionFactory(entry=entry, owner=world.adviser, done_by=world.adviser,
                      done_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))  # fmt: skip

    def grow():
        for _n in range(5):
            entry = FollowUpEntryFactory(municipality=world.muni_a)
            NextActionFactory(entry=entry, owner=world.adviser)
            NextActionFactory(
                entry=entry,
                done_by=world.adviser,
                done_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            )

    assert_constant_queries(client_for(world.adviser), url, grow)


# The list


def test_managers_list_has_no_follow_up_columns_or_data(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 11, 12))
    NextActionFactory(entry=entry, description="Hemmelig tiltak")

    response = client_for(world.manager_a).get(reverse("municipalities:municipality_list"))

    row = response.context["municipalities"][0]
    assert row.last_meeting_date is None and row.next_action_text is None
    html = response.content.decode()
    assert "Hemmelig tiltak" not in html
    assert "last_meeting" not in html  # no sortable "days since meeting" column


def test_managers_list_query_count_stays_constant(world, client_for):
    def grow():
        for _n in range(10):
            entry = FollowUpEntryFactory(municipality=world.muni_a)
            NextActionFactory(entry=entry, owner=world.adviser)

    assert_constant_queries(
        client_for(world.manager_a), reverse("municipalities:municipality_list"), grow
    )


# My open actions


def test_my_actions_lists_my_open_actions_overdue_first(world, client_for, today):
    entry_a = FollowUpEntryFactory(municipality=world.muni_a)
    entry_b = FollowUpEntryFactory(municipality=world.muni_b)
    later = NextActionFactory(entry=entry_a, owner=world.adviser, due_date=D(2027, 1, 5))
    overdue = NextActionFactory(
        entry=entry_b, owner=world.adviser, due_date=D(2026, 10, 1), description="For sent"
    )
    NextActionFactory(entry=entry_a, due_date=D(2026, 1, 1), description="Noen andres")
    NextActionFactory(
        entry=entry_a,
        owner=world.adviser,
        due_date=D(2026, 1, 1),
        done_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
        description="Allerede gjort",
    )

    response = client_for(world.adviser).get(MY_ACTIONS)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [overdue, later]
    html = response.content.decode()
    assert "Noen andres" not in html and "Allerede gjort" not in html
    assert reverse("municipalities:municipality_detail", args=[world.muni_b.number]) in html
    assert reverse("municipalities:next_action_done", args=[overdue.pk]) in html
    assert "Overdue" in html or "Forfalt" in html


def test_my_actions_is_paginated_on_the_server(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a)
    for day in range(1, 31):
        NextActionFactory(entry=entry, owner=world.adviser, due_date=D(2027, 1, day))
    client = client_for(world.adviser)

    first = client.get(MY_ACTIONS)
    second = client.get(MY_ACTIONS, {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert [a.due_date.day for a in second.context["page_obj"]] == [26, 27, 28, 29, 30]
    assert client.get(MY_ACTIONS, {"page": "x"}).status_code == 200


def test_my_actions_query_count_stays_constant(world, client_for):
    def grow():
        for _n in range(10):
            m = MunicipalityFactory(region=world.region)
            NextActionFactory(entry=FollowUpEntryFactory(municipality=m), owner=world.adviser)

    NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a), owner=world.adviser)
    assert_constant_queries(client_for(world.adviser), MY_ACTIONS, grow)


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "alis_a", "outsider"])
def test_my_actions_is_for_advisers(world, client_for, persona):
    assert client_for(world.user(persona)).get(MY_ACTIONS).status_code == 404


def test_my_actions_sends_anonymous_visitors_to_login(client, db):
    response = client.get(MY_ACTIONS)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_menu_shows_my_actions_to_advisers_only(world, client_for):
    home = reverse("home")
    assert MY_ACTIONS in client_for(world.adviser).get(home).content.decode()
    assert MY_ACTIONS not in client_for(world.manager_a).get(home).content.decode()
