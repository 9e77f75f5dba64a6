"""The pages: everyone's "Varsler" and settings; the advisers' kinds and annual wheel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders import services
from reminders.models import DigestPreference, Notification, WheelCompletion, WheelTask
from tests.queries import assert_constant_queries
from tests.reminders.factories import NotificationFactory, WheelTaskFactory

D = datetime.date
LIST = reverse("reminders:notification_list")
PREFERENCES = reverse("reminders:preferences")
KINDS = reverse("reminders:kind_list")
WHEEL = reverse("reminders:wheel")
NEW_TASK = reverse("reminders:wheel_task_create")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 10, 9, tzinfo=datetime.UTC))
    return D(2026, 9, 10)


# Notifications ("Varsler")


def test_a_person_sees_only_their_own_notifications(world, client_for, today):
    NotificationFactory(recipient=world.adviser, title="Sogndal: Send avtalemal")
    NotificationFactory(recipient=world.manager_a, title="Lederens påminnelse")
    NotificationFactory(
        recipient=world.adviser,
        title="Trukket",
        withdrawn_at=datetime.datetime(2026, 9, 4, tzinfo=datetime.UTC),
    )
    page = client_for(world.adviser).get(LIST).content.decode()
    assert "Sogndal: Send avtalemal" in page
    assert "Lederens påminnelse" not in page
    assert "Trukket" not in page


def test_the_menu_counts_unread_notifications(world, client_for, today):
    NotificationFactory.create_batch(3, recipient=world.alis_a)
    NotificationFactory(
        recipient=world.alis_a, read_at=datetime.datetime(2026, 9, 9, tzinfo=datetime.UTC)
    )
    page = client_for(world.alis_a).get(reverse("home")).content.decode()
    assert (
        '<span aria-hidden="true">3</span><span class="visually-hidden">(3 uleste)</span>' in page
    )


def test_everyone_with_a_login_has_notifications_in_the_menu(world, client_for, today):
    page = client_for(world.outsider).get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in page
    assert f'href="{WHEEL}"' not in page
    assert f'href="{WHEEL}"' in client_for(world.adviser).get(reverse("home")).content.decode()


def test_mark_one_as_read_with_htmx(world, client_for, today):
    notification = NotificationFactory(recipient=world.adviser, title="Sogndal: Send avtalemal")
    url = reverse("reminders:notification_read", args=[notification.pk])
    response = client_for(world.adviser).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in response.content.decode()
    assert "is-unread" not in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_as_read_without_javascript_goes_back(world, client_for, today):
    notification = NotificationFactory(recipient=world.adviser)
    url = reverse("reminders:notification_read", args=[notification.pk])
    response = client_for(world.adviser).post(url, {"next": f"{LIST}?page=2"})
    assert response["Location"] == f"{LIST}?page=2"
    response = client_for(world.adviser).post(url, {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_mark_all_as_read_touches_only_ones_own(world, client_for, today):
    NotificationFactory.create_batch(2, recipient=world.adviser)
    theirs = NotificationFactory(recipient=world.manager_a)
    client_for(world.adviser).post(reverse("reminders:notifications_read_all"))
    assert not Notification.objects.visible_to(world.adviser).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_home_page_counts_new_notifications_by_kind(world, client_for, today):
    NotificationFactory.create_batch(2, recipient=world.supervisor_a)
    NotificationFactory(recipient=world.supervisor_a, kind="annual_wheel", read_at=timezone.now())
    page = client_for(world.supervisor_a).get(reverse("home")).content.decode()
    assert f'href="{LIST}?kind=next_action_due">Oppfølgingstiltak med frist</a>' in page
    assert '2<span class="visually-hidden"> nye</span>' in page
    assert "?kind=annual_wheel" not in page  # nothing new of that kind


def test_nothing_new_no_home_section(world, client_for, today):
    page = client_for(world.supervisor_a).get(reverse("home")).content.decode()
    assert "Nye varsler" not in page


def test_the_list_can_show_one_kind(world, client_for, today):
    NotificationFactory(recipient=world.adviser, title="Sogndal: Send avtalemal")
    NotificationFactory(recipient=world.adviser, kind="annual_wheel", title="Revisorerklæring")
    client = client_for(world.adviser)
    page = client.get(LIST, {"kind": "annual_wheel"}).content.decode()
    assert "Revisorerklæring" in page and "Sogndal: Send avtalemal" not in page
    assert 'href="?kind=annual_wheel" aria-current="page">Årshjul' in page
    page = client.get(LIST, {"kind": "nonsense"}).content.decode()
    assert "Revisorerklæring" in page and "Sogndal: Send avtalemal" in page


def test_the_notification_list_runs_the_same_queries_for_more_rows(world, client_for, today):
    NotificationFactory.create_batch(3, recipient=world.adviser)
    assert_constant_queries(
        client_for(world.adviser),
        LIST,
        lambda: NotificationFactory.create_batch(30, recipient=world.adviser),
    )


# Each person's settings


def test_a_weekly_digest_needs_a_weekday(world, client_for, today):
    response = client_for(world.alis_a).post(PREFERENCES, {"frequency": "weekly", "weekday": ""})
    assert response.status_code == 200
    assert "Velg ukedag for den ukentlige e-posten." in response.content.decode()
    assert not DigestPreference.objects.exists()


def test_a_person_chooses_weekly_and_turns_off_an_optional_kind(world, client_for, today):
    kinds = services.kind_settings()
    for code in ("annual_wheel", "municipality_no_meeting"):
        kinds[code].optional = True
        kinds[code].save()
    client = client_for(world.adviser)
    page = client.get(PREFERENCES).content.decode()
    assert "Årshjul" in page and "Oppfølgingstiltak med frist" not in page  # not optional
    # Every optional kind ticked but one.
    receive = [k.pk for k in kinds.values() if k.optional and k.code != "municipality_no_meeting"]
    assert kinds["annual_wheel"].pk in receive
    response = client.post(PREFERENCES, {"frequency": "weekly", "weekday": "4", "receive": receive})
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=world.adviser)
    assert (preference.frequency, preference.weekday) == ("weekly", 4)
    assert list(preference.muted_kinds.all()) == [kinds["municipality_no_meeting"]]


# The kinds' settings (advisers)


@pytest.mark.parametrize("persona", ["manager_a", "alis_a", "supervisor_a", "outsider"])
def test_only_advisers_see_the_kinds_and_the_wheel(world, client_for, persona):
    client = client_for(world.user(persona))
    for url in (KINDS, WHEEL, NEW_TASK):
        assert client.get(url).status_code == 404


def test_advisers_see_every_kind_with_its_settings(world, client_for, today):
    page = client_for(world.adviser).get(KINDS).content.decode()
    for label in ("Oppfølgingstiltak med frist", "Årshjul"):
        assert label in page
    assert "30, 7, 0" in page


def test_an_adviser_changes_the_days_of_a_kind(world, client_for, today):
    url = reverse("reminders:kind_update", args=["next_action_due"])
    client = client_for(world.adviser)
    page = client.get(url).content.decode()
    assert 'name="period_days"' not in page  # this kind has no period
    response = client.post(url, {"enabled": "on", "offsets": "0, 14 ,3", "repeat_days": "3"})
    assert response.status_code == 302
    kind = services.kind_settings()["next_action_due"]
    assert (kind.offsets, kind.repeat_days, kind.updated_by) == ([14, 3, 0], 3, world.adviser)


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ("", "Feltet er påkrevet."),
        ("en uke", "Skriv hele dager med komma mellom"),
        ("400", "Høyst 365 dager før datoen."),
    ],
)
def test_bad_days_are_refused_beside_the_field(world, client_for, today, offsets, message):
    url = reverse("reminders:kind_update", args=["annual_wheel"])
    response = client_for(world.adviser).post(url, {"enabled": "on", "offsets": offsets})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert services.kind_settings()["annual_wheel"].offsets == [30, 7, 0]


def test_the_no_meeting_kind_needs_its_period(world, client_for, today):
    url = reverse("reminders:kind_update", args=["municipality_no_meeting"])
    data = {"enabled": "on", "offsets": "0", "period_days": "", "counted_from": "2022-01-01"}
    response = client_for(world.adviser).post(url, data)
    assert response.status_code == 200
    response = client_for(world.adviser).post(url, {**data, "period_days": "180"})
    assert response.status_code == 302
    kind = services.kind_settings()["municipality_no_meeting"]
    assert (kind.period_days, kind.counted_from) == (180, D(2022, 1, 1))


def test_an_unknown_kind_is_404(world, client_for):
    url = reverse("reminders:kind_update", args=["no_such_kind"])
    assert client_for(world.adviser).get(url).status_code == 404


# The annual wheel (advisers)


def test_the_calendar_shows_twelve_months_with_each_task_on_its_date(world, client_for, today):
    WheelTaskFactory(region=world.region, title="Søknadsfrist tilskudd", month=8, day=31)
    WheelTaskFactory(
        region=world.region, title="Kontaktmøte", month=10, day=None, week=-1, weekday=0
    )
    page = client_for(world.adviser).get(WHEEL, {"year": 2027}).content.decode()
    assert page.count('class="wheel-month card') == 12
    assert "Årshjul 2027" in page
    assert '<time datetime="2027-08-31"' in page
    assert '<time datetime="2027-10-25"' in page  # the last Monday of October 2027
    assert "Siste mandag i oktober" in page
    august = page.index('id="month-8-h"')
    assert august < page.index("Søknadsfrist tilskudd") < page.index('id="month-9-h"')


def test_the_calendar_is_the_regions_own(world, client_for, today):
    from tests.municipalities.factories import RegionFactory

    WheelTaskFactory(region=RegionFactory(code="nord", name="ALIS Nord"), title="Nordens oppgave")
    assert "Nordens oppgave" not in client_for(world.adviser).get(WHEEL).content.decode()


def test_the_calendar_runs_the_same_queries_for_more_tasks(world, client_for, today):
    WheelTaskFactory(region=world.region, owners=[world.adviser])
    assert_constant_queries(
        client_for(world.adviser),
        WHEEL,
        lambda: [
            WheelTaskFactory(region=world.region, month=m, owners=[world.adviser])
            for m in range(1, 13)
        ],
    )


def test_an_adviser_adds_a_task_on_a_date(world, client_for, today):
    response = client_for(world.adviser).post(
        NEW_TASK,
        {
            "title": "Revisorerklæring",
            "description": "Minn kommunene på revisorerklæringen.",
            "rule": "date",
            "month": "4",
            "day": "1",
            "owners": [world.adviser.pk],
            "lead_days": "7, 30",
            "is_active": "on",
        },
    )
    task = WheelTask.objects.get()
    assert response["Location"] == f"{WHEEL}?year=2026#task-{task.pk}"
    assert (task.region, task.month, task.day, task.weekday) == (world.region, 4, 1, None)
    assert task.lead_days == [30, 7]
    assert list(task.owners.all()) == [world.adviser]
    assert task.history.first().history_user == world.adviser


def test_an_adviser_adds_a_task_on_a_weekday_rule(world, client_for, today):
    client_for(world.adviser).post(
        NEW_TASK,
        {
            "title": "Samling",
            "rule": "weekday",
            "month": "10",
            "day": "12",
            "week": "-1",
            "weekday": "0",
            "is_active": "on",
        },
    )
    task = WheelTask.objects.get()
    assert (task.day, task.week, task.weekday) == (None, -1, 0)
    assert task.date_in(2026) == D(2026, 10, 26)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rule": "date", "month": "4", "day": "31"}, "Den måneden har færre dager."),
        ({"rule": "date", "month": "4", "day": ""}, "Oppgi dagen i måneden."),
        ({"rule": "weekday", "month": "4", "week": "1"}, "Velg ukedag."),
    ],
)
def test_a_bad_date_rule_is_refused_beside_its_field(world, client_for, today, data, message):
    response = client_for(world.adviser).post(
        NEW_TASK, {"title": "Oppgave", "is_active": "on", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WheelTask.objects.exists()


def test_only_the_regions_advisers_can_own_a_task(world, client_for, today):
    response = client_for(world.adviser).post(
        NEW_TASK,
        {
            "title": "Oppgave",
            "rule": "date",
            "month": "4",
            "day": "1",
            "owners": [world.manager_a.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not WheelTask.objects.exists()


def test_an_adviser_edits_a_task_and_sees_its_history(world, client_for, today):
    task = WheelTaskFactory(region=world.region, title="Søknadsfrist", owners=[world.adviser])
    client = client_for(world.adviser)
    response = client.post(
        reverse("reminders:wheel_task_update", args=[task.pk]),
        {
            "title": "Søknadsfrist tilskudd",
            "rule": "date",
            "month": "8",
            "day": "31",
            "lead_days": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.lead_days, list(task.owners.all())) == (
        "Søknadsfrist tilskudd",
        [],
        [],
    )
    page = client.get(reverse("reminders:wheel_task_history", args=[task.pk])).content.decode()
    assert "Søknadsfrist → Søknadsfrist tilskudd" in page


def test_mark_a_task_done_for_the_year_and_reopen_it(world, client_for, today):
    task = WheelTaskFactory(region=world.region, title="Revisorerklæring", month=4, day=1)
    client = client_for(world.adviser)
    done = reverse("reminders:wheel_occurrence_done", args=[task.pk, 2026])
    response = client.post(done, HTTP_HX_REQUEST="true")
    assert "is-done" in response.content.decode()
    assert WheelCompletion.objects.get().done_by == world.adviser
    client.post(done)  # twice is still once
    assert WheelCompletion.objects.count() == 1
    response = client.post(reverse("reminders:wheel_occurrence_reopen", args=[task.pk, 2026]))
    assert response["Location"] == f"{WHEEL}?year=2026#task-{task.pk}"
    assert not WheelCompletion.objects.exists()


def test_a_year_out_of_range_is_404(world, client_for, today):
    task = WheelTaskFactory(region=world.region)
    url = reverse("reminders:wheel_occurrence_done", args=[task.pk, 1066])
    assert client_for(world.adviser).post(url).status_code == 404
