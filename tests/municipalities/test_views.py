import datetime

from django.urls import reverse

from tests.municipalities.factories import (
    FollowUpEntryFactory,
    MunicipalityFactory,
    NextActionFactory,
    PopulationFactory,
    RegistrationStatusChangeFactory,
)
from tests.queries import assert_constant_queries

LIST = reverse("municipalities:municipality_list")


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_adviser_sees_every_municipality_of_the_region(world, client_for):
    response = client_for(world.adviser).get(LIST)
    assert response.status_code == 200
    assert list(response.context["municipalities"]) == [world.muni_a, world.muni_b]


def test_manager_sees_only_their_municipality(world, client_for):
    response = client_for(world.manager_a).get(LIST)
    assert list(response.context["municipalities"]) == [world.muni_a]
    response = client_for(world.manager_a).get(LIST, {"q": "Stavanger"})
    assert list(response.context["municipalities"]) == []


def test_outsider_sees_no_municipality(world, client_for):
    response = client_for(world.outsider).get(LIST)
    assert list(response.context["municipalities"]) == []


def test_search_finds_a_municipality_by_a_predecessors_name(world, client_for):
    world.muni_b.predecessors.create(number="1141", name="Finnøy")
    response = client_for(world.adviser).get(LIST, {"q": "finnøy"})
    assert list(response.context["municipalities"]) == [world.muni_b]


def test_filter_by_registration_status_uses_the_latest_change(world, client_for):
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status="applied", date=datetime.date(2019, 5, 1)
    )
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status="registered", date=datetime.date(2020, 3, 1)
    )
    RegistrationStatusChangeFactory(
        municipality=world.muni_b, status="not_applied", date=datetime.date(2020, 3, 1)
    )
    client = client_for(world.adviser)

    registered = client.get(LIST, {"registration_status": "registered"}).context["municipalities"]
    applied = client.get(LIST, {"registration_status": "applied"}).context["municipalities"]

    assert list(registered) == [world.muni_a]
    assert list(applied) == []


def test_sort_by_population_descending(world, client_for):
    PopulationFactory(municipality=world.muni_a, year=2025, population=12_000)
    PopulationFactory(municipality=world.muni_b, year=2025, population=149_000)
    response = client_for(world.adviser).get(LIST, {"o": "-population"})
    assert list(response.context["municipalities"]) == [world.muni_b, world.muni_a]
    assert "149\u00a0000" in response.content.decode()


def test_list_shows_days_since_meeting_and_next_action(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC))
    entry = FollowUpEntryFactory(municipality=world.muni_a, date=datetime.date(2026, 11, 12))
    NextActionFactory(
        entry=entry,
        description="Send avtalemal til kommunen",
        owner=world.adviser,
        due_date=datetime.date(2026, 11, 1),
    )

    response = client_for(world.adviser).get(LIST)
    row = next(m for m in response.context["municipalities"] if m == world.muni_a)

    assert row.last_meeting_date == datetime.date(2026, 11, 12)
    assert row.next_action_text == "Send avtalemal til kommunen"
    html = response.content.decode()
    assert ">10<" in html
    assert 'class="overdue"' in html


def test_list_query_count_does_not_grow_with_municipalities(world, client_for):
    def grow():
        for _n in range(30):
            m = MunicipalityFactory(region=world.region)
            PopulationFactory(municipality=m)
            RegistrationStatusChangeFactory(municipality=m)
            NextActionFactory(entry=FollowUpEntryFactory(municipality=m), owner=world.adviser)

    client = client_for(world.adviser)
    assert_constant_queries(client, LIST, grow)
    assert len(client.get(LIST).context["municipalities"]) == 32


def test_htmx_filter_returns_only_the_table(world, client_for):
    response = client_for(world.adviser).get(
        LIST, {"q": "Sogn"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="municipality-table"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="municipality-table">')
    assert "Sogndal" in html and "<html" not in html


def test_municipality_page_shows_facts_history_and_follow_up(world, client_for):
    world.muni_a.predecessors.create(number="1420", name="Sogndal")
    PopulationFactory(municipality=world.muni_a, year=2025, population=12_345)
    RegistrationStatusChangeFactory(
        municipality=world.muni_a,
        status="lost_by_merger",
        date=datetime.date(2020, 1, 1),
        note="Ny kommune i 2020",
    )
    FollowUpEntryFactory(municipality=world.muni_a, summary="Kartleggingsmøte med kommuneoverlegen")
    url = reverse("municipalities:municipality_detail", args=[world.muni_a.number])

    response = client_for(world.adviser).get(url)

    html = response.content.decode()
    assert response.status_code == 200
    for text in ["1420 Sogndal", "12\u00a0345", "Ny kommune i 2020", "Kartleggingsmøte"]:
        assert text in html
    # The municipality's manager reads the facts; the follow-up log is the office's own.
    html = client_for(world.manager_a).get(url).content.decode()
    assert "1420 Sogndal" in html and "Ny kommune i 2020" in html
    assert "Kartleggingsmøte" not in html


def test_the_advisers_home_shows_their_actions_and_the_longest_waiting(world, client_for):
    from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory

    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    NextActionFactory(entry=entry, owner=world.adviser, description="Ring kommuneoverlegen")
    page = client_for(world.adviser).get("/").content.decode()
    assert "Ring kommuneoverlegen" in page
    assert "Stavanger" in page  # no meeting yet: first among the longest waiting


def test_the_managers_home_links_their_municipality_only(world, client_for):
    page = client_for(world.manager_a).get("/").content.decode()
    assert "/kommuner/4640/" in page and "/kommuner/1103/" not in page


def test_home_queries_do_not_grow_with_actions(world, client_for):
    from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory
    from tests.queries import assert_constant_queries

    def grow():
        for _ in range(10):
            entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
            NextActionFactory(entry=entry, owner=world.adviser)

    grow()
    assert_constant_queries(client_for(world.adviser), "/", grow)
