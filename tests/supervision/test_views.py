"""The pages: an ALIS's supervision, the supervisor's work, the menu and the home page."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from education_plans.models import SupervisionRelationship
from education_plans.rules import MonthStatus
from supervision import services
from supervision.models import SupervisionSession
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.education_plans.factories import (
    EducationPlanFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)
from tests.queries import assert_constant_queries
from tests.supervision.factories import (
    SupervisorFactory,
    group_with_alis_a,
    signed_session,
    supervisor_a_profile,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.date.today()


def alis_page(world):
    return reverse("supervision:alis_supervision", args=[world.alis_a.pk])


def test_the_alis_logs_a_session_with_objectives_from_the_plan(world, client_for):
    objective = ObjectiveFactory(title="Eksempel: akutte brystsmerter")
    world.plan_a.alm_catalogue = objective.catalogue
    world.plan_a.save()
    client = client_for(world.alis_a)
    url = reverse("supervision:session_create", args=[world.alis_a.pk])
    form = client.get(url).context["form"]
    assert form["supervisor"].value() == world.supervisor_a.pk
    assert list(form.fields["objectives"].queryset) == [objective]
    response = client.post(
        url,
        {
            "date": "2026-03-03",
            "minutes": "90",
            "supervisor": world.supervisor_a.pk,
            "topics": "Brystsmerter\nOppfølging",
            "objectives": [objective.pk],
            "private_notes": "Bare oss",
        },
    )
    assert response["Location"] == alis_page(world)
    session = SupervisionSession.objects.get()
    assert (session.recorded_by, session.minutes) == (world.alis_a, 90)
    assert list(session.objectives.all()) == [objective]


def test_errors_show_beside_their_field_and_nothing_is_saved(world, client_for):
    response = client_for(world.alis_a).post(
        reverse("supervision:session_create", args=[world.alis_a.pk]),
        {"date": "2023-05-01", "minutes": "2", "supervisor": world.supervisor_a.pk, "topics": ""},
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"minutes", "topics"}
    response = client_for(world.alis_a).post(
        reverse("supervision:session_create", args=[world.alis_a.pk]),
        {"date": "2023-05-01", "minutes": "60", "supervisor": world.supervisor_a.pk, "topics": "x"},
    )
    assert "date" in response.context["form"].errors  # before the relationship
    assert not SupervisionSession.objects.exists()


def test_an_alis_without_a_supervisor_is_told_who_assigns_one(world, client_for):
    response = client_for(world.alis_b).get(
        reverse("supervision:session_create", args=[world.alis_b.pk])
    )
    assert response.context["has_supervisor"] is False
    assert '<form method="post" novalidate>' not in response.content.decode()


def test_the_supervisor_logs_and_signs_in_one_go(world, client_for):
    response = client_for(world.supervisor_a).post(
        reverse("supervision:session_create", args=[world.alis_a.pk]),
        {"date": "2026-03-03", "minutes": "60", "topics": "Tema", "sign": "1"},
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert session.is_signed and session.supervisor == world.supervisor_a


def test_correction_through_the_page(world, client_for):
    session = signed_session(world)
    client = client_for(world.supervisor_a)
    url = reverse("supervision:session_correct", args=[session.pk])
    response = client.post(
        url, {"date": "2026-01-15", "minutes": "75", "topics": "Tema", "reason": ""}
    )
    assert "reason" in response.context["form"].errors
    response = client.post(
        url, {"date": "2026-01-15", "minutes": "75", "topics": "Tema", "reason": "Feil tid"}
    )
    correction = SupervisionSession.objects.current().get()
    assert response["Location"] == reverse("supervision:session_detail", args=[correction.pk])
    assert (correction.minutes, correction.correction_reason) == (75, "Feil tid")
    response = client.get(reverse("supervision:session_detail", args=[correction.pk]))
    assert "Sign" in response.content.decode() or "Signer" in response.content.decode()


def test_the_alis_page_shows_strip_log_supervisors_and_groups(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False)
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    signed_session(world, date=D(2026, 3, 2), minutes=240)
    group_with_alis_a(world)
    response = client_for(world.manager_a).get(alis_page(world))
    progress = response.context["progress"]
    assert progress.supervision_strip[-1].status == MonthStatus.MET
    html = response.content.decode()
    assert "02.03.2026" in html
    assert "Siri Veileder" in html
    assert "Veiledningsgruppe" in html
    assert response.context["can_manage"] and not response.context["can_log"]
    assert response.context["this_month_minutes"] == 240


def test_an_alis_without_a_plan_still_has_a_log(world, client_for):
    world.plan_a.service_periods.all().delete()
    world.plan_a.delete()
    response = client_for(world.alis_a).get(alis_page(world))
    assert response.status_code == 200
    assert response.context["progress"] is None


def test_the_alis_page_runs_a_fixed_number_of_queries(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    signed_session(world)  # an empty page needs no query for its rows

    def grow():
        for n in range(30):
            signed_session(world, date=D(2025, 1, 1) + datetime.timedelta(days=n * 9))

    assert_constant_queries(client_for(world.adviser), alis_page(world), grow)


def test_assigning_through_the_page(world, client_for):
    profile = SupervisorFactory(municipality=world.muni_b)
    client = client_for(world.manager_b)
    url = reverse("supervision:relationship_create", args=[world.alis_b.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["supervisor"].queryset) == [profile]
    response = client.post(
        url, {"supervisor": profile.pk, "kind": "individual", "start_date": TODAY.isoformat()}
    )
    assert response["Location"] == reverse("supervision:alis_supervision", args=[world.alis_b.pk])
    assert SupervisionRelationship.objects.active().get(alis=world.alis_b).supervisor == (
        profile.person
    )


def test_ending_through_the_page(world, client_for):
    relationship = SupervisionRelationship.objects.get(alis=world.alis_a)
    response = client_for(world.adviser).post(
        reverse("supervision:relationship_end", args=[relationship.pk]),
        {"end_date": TODAY.isoformat()},
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.end_date == TODAY


def test_my_supervisees_with_their_strip_and_sessions_to_sign(world, client_for):
    supervisor_a_profile(world)
    services.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.alis_a,
        date=D(2026, 2, 2),
        minutes=60,
        topics="Tema",
    )
    response = client_for(world.supervisor_a).get(reverse("supervision:my_supervisees"))
    ((relationship, progress, waiting),) = response.context["rows"]
    assert relationship.alis == world.alis_a
    assert len(progress.supervision_strip) == 12
    assert waiting == 1 and response.context["waiting_total"] == 1


def test_my_supervisees_runs_a_fixed_number_of_queries(world, client_for):
    def grow():
        for _n in range(10):
            plan = EducationPlanFactory(municipality=world.muni_a)
            ServicePeriodFactory(plan=plan, start_date=D(2024, 1, 1))
            SupervisionRelationship.objects.create(
                alis=plan.alis, supervisor=world.supervisor_a, start_date=D(2024, 1, 1)
            )
            signed_session(world, alis=plan.alis, by=plan.alis, date=D(2025, 5, 5))

    client = client_for(world.supervisor_a)
    assert_constant_queries(client, reverse("supervision:my_supervisees"), grow)
    assert_constant_queries(client, reverse("home"), grow)


def test_pages_for_people_without_the_role(world, client_for):
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("supervision:my_supervisees")).status_code == 404
    assert outsider.get(reverse("supervision:sign_queue")).status_code == 404
    assert outsider.get(reverse("supervision:my_log")).status_code == 404
    assert outsider.get(reverse("supervision:my_profile")).status_code == 404
    assert client_for(world.alis_a).get(reverse("supervision:my_log"))["Location"] == (
        alis_page(world)
    )


def nav_labels(world, rf, user):
    request = rf.get("/")
    request.user = user
    from supervision.panels import nav

    return [str(item.url) for item in nav(request)]


@pytest.mark.parametrize(
    ("persona", "urls"),
    [
        ("alis_a", {"alis", "groups"}),
        ("supervisor_a", {"supervisees"}),
        ("manager_a", {"capacity"}),
        ("adviser", {"capacity", "groups"}),
        ("group_leader", {"groups"}),
        ("outsider", set()),
    ],
)
def test_menu_entries_by_role(world, rf, persona, urls):
    group_with_alis_a(world)
    user = world.group_leader if persona == "group_leader" else world.user(persona)
    names = {
        reverse("supervision:alis_supervision", args=[user.pk]): "alis",
        reverse("supervision:my_supervisees"): "supervisees",
        reverse("supervision:capacity"): "capacity",
        reverse("supervision:group_list"): "groups",
    }
    assert {names[u] for u in nav_labels(world, rf, user)} == urls


def test_home_sections(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    services.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.alis_a,
        date=TODAY,
        minutes=90,
        topics="Tema i dag",
    )
    group_with_alis_a(world)
    alis_home = client_for(world.alis_a).get(reverse("home")).content.decode()
    assert 'id="home-supervision-h"' in alis_home
    assert TODAY.strftime("%d.%m.%Y") in alis_home
    supervisor_home = client_for(world.supervisor_a).get(reverse("home")).content.decode()
    assert 'id="home-supervisees-h"' in supervisor_home
    assert reverse("supervision:sign_queue") in supervisor_home
    leader_home = client_for(world.group_leader).get(reverse("home")).content.decode()
    assert 'id="home-groups-h"' in leader_home
    manager_home = client_for(world.manager_a).get(reverse("home")).content.decode()
    assert "home-supervision-h" not in manager_home


def test_a_supervisor_role_without_supervisees_gets_an_empty_page(world, client_for):
    person = UserFactory()
    RoleAssignmentFactory(user=person, role=Role.SUPERVISOR, municipality=world.muni_a)
    response = client_for(person).get(reverse("supervision:my_supervisees"))
    assert response.status_code == 200 and response.context["rows"] == []
    assert client_for(person).get(reverse("supervision:sign_queue")).status_code == 200


def test_the_municipality_section_only_in_scope(world, rf):
    from supervision.panels import municipality

    request = rf.get("/")
    request.user = world.manager_b
    assert municipality(request, municipality=world.muni_a) is None
    request.user = world.manager_a
    assert 'id="supervisors-h"' in municipality(request, municipality=world.muni_a)
