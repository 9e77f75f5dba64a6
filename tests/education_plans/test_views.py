"""The plan's pages as their users meet them: the list with progress, forms that refuse bad
input beside the field, the attestation steps, the progress page, the exports and the panels."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from education_plans.models import (
    ActivityKind,
    Attestation,
    EducationPlan,
    LearningActivity,
    ServicePeriod,
)
from education_plans.progress import progress_for
from education_plans.rules import ServiceType
from tests.accounts.factories import UserFactory
from tests.education_plans.factories import (
    AttestationFactory,
    CatalogueFactory,
    EducationPlanFactory,
    GroupSupervisionPeriodFactory,
    LearningActivityFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
    SupervisionRelationshipFactory,
)
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("education_plans:plan_list")
EXPORT = reverse("education_plans:plan_list_export")


def url(name, *args):
    return reverse(f"education_plans:{name}", args=args)


@pytest.fixture
def objective(world):
    catalogue = CatalogueFactory()
    world.plan_a.alm_catalogue = catalogue
    world.plan_a.save()
    return ObjectiveFactory(catalogue=catalogue, code="EKS-ALM-01", title="Eksempel: konsultasjon")


def plan_with_records(municipality, *, n=0):
    plan = EducationPlanFactory(municipality=municipality, start_date=D(2023, 1, 1))
    ServicePeriodFactory(plan=plan, start_date=D(2023, 1, 1), percentage=80 if n % 2 else 100)
    LearningActivityFactory(alis=plan.alis, date=D(2026, 1, 5), confirmed_at=timezone.now())
    GroupSupervisionPeriodFactory(alis=plan.alis, start_date=D(2023, 6, 1))
    SupervisionRelationshipFactory(alis=plan.alis)
    return plan


# The list of plans


def test_each_persona_sees_the_plans_in_scope(world, client_for):
    def names(persona):
        response = client_for(world.user(persona)).get(LIST)
        return [row.plan for row in response.context["rows"]]

    assert names("adviser") == [world.plan_a, world.plan_b] or names("adviser") == [
        world.plan_b,
        world.plan_a,
    ]
    assert names("manager_a") == [world.plan_a]
    assert names("supervisor_a") == [world.plan_a]
    assert names("alis_a") == [world.plan_a]
    assert names("alis_b") == [world.plan_b]
    assert names("outsider") == []


def test_the_list_filters_by_municipality_and_sorts_by_progress(world, client_for):
    ServicePeriodFactory(plan=world.plan_b, start_date=D(2022, 1, 1))
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2025, 1, 1))
    client = client_for(world.adviser)
    rows = client.get(LIST, {"o": "-credited"}).context["rows"]
    assert [r.plan for r in rows] == [world.plan_b, world.plan_a]
    rows = client.get(LIST, {"o": "credited"}).context["rows"]
    assert [r.plan for r in rows] == [world.plan_a, world.plan_b]
    rows = client.get(LIST, {"municipality": world.muni_a.pk}).context["rows"]
    assert [r.plan for r in rows] == [world.plan_a]


def test_the_list_shows_the_figures_of_progress(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    response = client_for(world.manager_a).get(LIST)
    expected = progress_for([world.plan_a])[world.plan_a.pk]
    page = response.content.decode()
    assert f"{expected.credited_months:.1f}".replace(".", ",") in page
    assert f"{expected.share_complete * 100:.0f} %" in page


def test_the_list_pages_on_the_server(world, client_for):
    for _ in range(3):
        plan_with_records(world.muni_a)
    from education_plans import views

    views_per_page, views.PLANS_PER_PAGE = views.PLANS_PER_PAGE, 2
    try:
        client = client_for(world.adviser)
        first = client.get(LIST, {"o": "short"})
        second = client.get(LIST, {"o": "short", "page": 2})
        third = client.get(LIST, {"o": "name", "page": 3})
    finally:
        views.PLANS_PER_PAGE = views_per_page
    assert first.context["page_obj"].paginator.num_pages == 3
    seen = [r.plan.pk for r in first.context["rows"]] + [r.plan.pk for r in second.context["rows"]]
    assert len(set(seen)) == 4
    assert len(third.context["rows"]) == 1


@pytest.mark.parametrize("order", ["name", "-short", "completion"])
def test_the_list_runs_the_same_queries_for_ten_times_the_plans(world, client_for, order):
    def grow():
        for n in range(10):
            plan_with_records(world.muni_a, n=n)

    plan_with_records(world.muni_a)
    assert_constant_queries(client_for(world.adviser), LIST, grow, {"o": order})


def test_the_export_opens_and_matches_the_list(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), percentage=50)
    plan_with_records(world.muni_b)
    response = client_for(world.adviser).get(EXPORT, {"o": "-credited"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    progress = progress_for(EducationPlan.objects.all())
    by_name = {p.plan.alis.get_full_name(): p for p in progress.values()}
    assert len(rows) == 1 + len(by_name)
    credited = [row[4] for row in rows[1:]]
    assert credited == sorted(credited, reverse=True)
    for row in rows[1:]:
        expected = by_name[row[0]]
        assert row[4] == pytest.approx(float(expected.credited_months), abs=0.05)
        assert row[7] == pytest.approx(float(expected.supervision.target), abs=0.05)
        assert row[8] == expected.months_short
        assert row[10:12] == (int(expected.objectives_done), int(expected.objectives_total))


def test_the_export_keeps_to_the_scope_and_its_queries(world, client_for):
    response = client_for(world.manager_a).get(EXPORT)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [world.alis_a.get_full_name()]

    def grow():
        for n in range(10):
            plan_with_records(world.muni_a, n=n)

    assert_constant_queries(client_for(world.adviser), EXPORT, grow)


# Making and changing the plan


def test_the_manager_makes_a_plan_from_the_form(world, client_for):
    from accounts.models import Role
    from tests.accounts.factories import RoleAssignmentFactory

    alis = UserFactory(first_name="Ny", last_name="Lege")
    RoleAssignmentFactory(user=alis, role=Role.ALIS, municipality=world.muni_a)
    client = client_for(world.manager_a)
    form = client.get(url("plan_create")).context["form"]
    assert list(form.fields["alis"].queryset) == [alis]
    assert form.fields["education_leader"].initial == world.manager_a.pk
    response = client.post(
        url("plan_create"),
        {
            "alis": alis.pk,
            "municipality": world.muni_a.pk,
            "start_date": "15.08.2018",
            "rule_set": "",
            "education_leader": world.manager_a.pk,
        },
    )
    plan = EducationPlan.objects.get(alis=alis)
    assert response["Location"] == url("plan_detail", plan.pk)
    assert plan.rule_set == "old"


def test_a_bad_rule_set_is_shown_beside_its_field(world, client_for):
    response = client_for(world.manager_a).post(
        url("plan_update", world.plan_a.pk),
        {
            "municipality": world.muni_a.pk,
            "start_date": "01.01.2024",
            "rule_set": "old",
            "education_leader": world.manager_a.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rule_set"]
    world.plan_a.refresh_from_db()
    assert world.plan_a.rule_set == "2019"


def test_an_overlapping_period_is_refused_with_a_clear_error(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), percentage=60)
    with translation.override("en"):
        response = client_for(world.alis_a).post(
            url("service_period_create", world.plan_a.pk),
            {
                "service_type": ServiceType.OTHER_GP,
                "arena": "nursing_home",
                "place": "Sogndal sjukeheim",
                "start_date": "01.03.2025",
                "end_date": "",
                "percentage": "50",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "110 %" in response.context["form"].errors["percentage"][0]
    assert ServicePeriod.objects.count() == 1


def test_editing_a_period_through_its_form_saves_it(world, client_for):
    period = ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    response = client_for(world.manager_a).post(
        url("service_period_update", period.pk),
        {
            "service_type": ServiceType.OPEN_UNSELECTED,
            "arena": "gp_practice",
            "place": "Sogndal legekontor",
            "start_date": "01.01.2024",
            "end_date": "30.06.2026",
            "percentage": "60",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.place, period.end_date, period.percentage) == (
        "Sogndal legekontor",
        D(2026, 6, 30),
        60,
    )
    assert period.history.count() == 2


def test_editing_a_confirmed_activity_through_its_form_withdraws_the_confirmation(
    world, client_for
):
    activity = LearningActivityFactory(
        alis=world.alis_a,
        date=D(2026, 1, 5),
        confirmed_by=world.supervisor_a,
        confirmed_at=timezone.now(),
    )
    form = {
        "status": "done",
        "kind": activity.kind,
        "date": "05.01.2026",
        "hours": "4",
        "title": activity.title,
    }
    client = client_for(world.alis_a)
    client.post(url("activity_update", activity.pk), {**form, "note": "Notat"})
    activity.refresh_from_db()
    assert (activity.note, activity.confirmed_by) == ("Notat", world.supervisor_a)
    response = client.post(url("activity_update", activity.pk), {**form, "hours": "6"}, follow=True)
    activity.refresh_from_db()
    assert (activity.hours, activity.confirmed_at) == (6, None)
    assert [m.level_tag for m in response.context["messages"]][-1] == "warning"


def test_the_old_hospital_type_is_not_offered_in_a_2019_plan(world, client_for):
    response = client_for(world.alis_a).get(url("service_period_create", world.plan_a.pk))
    choices = [c[0] for c in response.context["form"].fields["service_type"].choices]
    assert ServiceType.OLD_HOSPITAL not in choices


def test_the_plan_history_shows_a_removed_period(world, client_for):
    period = ServicePeriodFactory(plan=world.plan_a, place="Sogndal legekontor")
    client = client_for(world.alis_a)
    client.post(url("service_period_delete", period.pk))
    history = client.get(url("plan_history", world.plan_a.pk), HTTP_ACCEPT_LANGUAGE="en").context[
        "history"
    ]
    assert [(c.subject, c.kind) for c in history[:2]] == [
        ("Service period: Sogndal legekontor", "Deleted"),
        ("Service period: Sogndal legekontor", "Created"),
    ]


# Activities, confirmation and attestation through the pages


def test_the_alis_logs_an_activity_with_an_objective_and_a_certificate(
    world, client_for, objective
):
    client = client_for(world.alis_a)
    certificate = SimpleUploadedFile("kursbevis.pdf", b"%PDF-1.7 bevis", "application/pdf")
    response = client.post(
        url("activity_create", world.plan_a.pk),
        {
            "status": "done",
            "kind": ActivityKind.COURSE,
            "date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "hours": "6",
            "title": "Kurs i konsultasjonsteknikk",
            "objectives": [objective.pk],
            "attachment": certificate,
        },
    )
    activity = LearningActivity.objects.get()
    assert response.status_code == 302
    assert list(activity.objectives.all()) == [objective]
    download = client.get(url("activity_attachment", activity.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 bevis"
    assert download["Cache-Control"] == "private, no-store"
    assert client_for(world.alis_b).get(url("activity_attachment", activity.pk)).status_code == 404


def test_a_wrong_attachment_is_refused_beside_the_field(world, client_for):
    response = client_for(world.alis_a).post(
        url("activity_create", world.plan_a.pk),
        {
            "status": "done",
            "kind": ActivityKind.COURSE,
            "date": "01.02.2026",
            "hours": "6",
            "title": "Kurs",
            "attachment": SimpleUploadedFile("bevis.pdf", b"not a pdf", "application/pdf"),
        },
    )
    assert response.context["form"].errors["attachment"]
    assert not LearningActivity.objects.exists()


def test_the_supervisor_confirms_in_place_with_htmx(world, client_for):
    activity = LearningActivityFactory(alis=world.alis_a, date=D(2026, 1, 5))
    response = client_for(world.supervisor_a).post(
        url("activity_confirm", activity.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="activity-{activity.pk}"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.confirmed_by == world.supervisor_a


def test_the_supervisors_queue_lists_what_waits_for_them(world, client_for):
    waiting = LearningActivityFactory(alis=world.alis_a, date=D(2026, 1, 5))
    LearningActivityFactory(alis=world.alis_b, date=D(2026, 1, 5))
    LearningActivityFactory(alis=world.alis_a, date=D(2026, 1, 6), confirmed_at=timezone.now())
    response = client_for(world.supervisor_a).get(url("confirmation_queue"))
    assert list(response.context["page_obj"]) == [waiting]


def test_request_attest_and_recall_through_the_objective_page(world, client_for, objective):
    page = url("objective_detail", world.plan_a.pk, objective.pk)
    alis, leader = client_for(world.alis_a), None
    alis.post(url("attestation_request", world.plan_a.pk, objective.pk), {"note": "Kurs"})
    attestation = Attestation.objects.get()
    assert attestation.status == "requested"

    leader = client_for(world.manager_a)
    assert list(leader.get(url("attestation_queue")).context["page_obj"]) == [attestation]
    response = leader.post(url("attestation_attest", attestation.pk), {"comment": "Godt vist"})
    assert response["Location"] == page
    attestation.refresh_from_db()
    assert (attestation.status, attestation.decided_by) == ("attested", world.manager_a)

    leader.post(url("attestation_recall", attestation.pk))
    attestation.refresh_from_db()
    assert attestation.status == "recalled"
    history = leader.get(page).context["history"]
    assert len(history) == 3


def test_a_return_without_comment_is_refused_with_a_message(world, client_for, objective):
    attestation = AttestationFactory(
        plan=world.plan_a, objective=objective, status=Attestation.Status.REQUESTED
    )
    client = client_for(world.manager_a)
    response = client.post(url("attestation_return", attestation.pk), {"comment": ""}, follow=True)
    attestation.refresh_from_db()
    assert attestation.status == "requested"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# The progress page and the PDF


def test_everyone_in_scope_sees_the_same_figures(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    LearningActivityFactory(
        alis=world.alis_a,
        date=timezone.localdate().replace(day=1),
        hours=Decimal(4),
        confirmed_at=timezone.now(),
        note="privat",
    )
    pages = {}
    for persona in ["alis_a", "manager_a", "adviser", "supervisor_a"]:
        response = client_for(world.user(persona)).get(url("plan_progress", world.plan_a.pk))
        pages[persona] = response.context["progress"]
        assert "privat" not in response.content.decode()
    figures = {
        p: (v.credited_months, v.supervision.done, v.supervision.target) for p, v in pages.items()
    }
    assert len(set(figures.values())) == 1


def test_the_progress_page_says_what_is_missing_in_words(world, client_for):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    with translation.override("en"):
        response = client_for(world.alis_a).get(
            url("plan_progress", world.plan_a.pk), HTTP_ACCEPT_LANGUAGE="en"
        )
    page = response.content.decode()
    assert "Institution service, at least 6 months:</strong> 6 months missing." in page
    assert "<progress" in page and 'aria-labelledby="rule-total"' in page
    assert "10.5 months a year" in page  # the interpretation notes


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_plan_pdf_holds_the_record(world, client_for, objective, tmp_path):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), place="Sogndal legekontor")
    AttestationFactory(
        plan=world.plan_a,
        objective=objective,
        decided_by=world.manager_a,
        decided_at=timezone.now(),
    )
    response = client_for(world.alis_a).get(url("plan_pdf", world.plan_a.pk))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in ["Ola Lege", "Sogndal legekontor", "EKS-ALM-01", "Kari Leder"]:
        assert expected in text


# Another ALIS sees nothing of it


def test_another_alis_sees_nothing(world, client_for, objective):
    activity = LearningActivityFactory(alis=world.alis_a, date=D(2026, 1, 5))
    client = client_for(world.alis_b)
    for path in [
        url("plan_detail", world.plan_a.pk),
        url("plan_progress", world.plan_a.pk),
        url("plan_pdf", world.plan_a.pk),
        url("activity_detail", activity.pk),
        url("objective_detail", world.plan_a.pk, objective.pk),
    ]:
        assert client.get(path).status_code == 404, path
    assert world.alis_a.get_full_name() not in client.get(LIST).content.decode()
    assert client.get(url("my_plan"))["Location"] == url("plan_detail", world.plan_b.pk)


# Panels


def test_the_menu_names_the_plan_for_the_alis_and_the_list_for_others(world, client_for):
    def menu(persona):
        response = client_for(world.user(persona)).get("/")
        return [(str(i.label), i.url) for i in response.context["nav_items"]]

    with translation.override("nb"):
        assert menu("alis_a")[0] == ("Min utdanningsplan", url("my_plan"))
        assert ("Utdanningsplaner", url("plan_list")) in menu("adviser")
        assert ("Utdanningsplaner", url("plan_list")) in menu("supervisor_a")


def test_home_sections_per_role(world, client_for, objective):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    AttestationFactory(plan=world.plan_a, objective=objective, status=Attestation.Status.REQUESTED)
    LearningActivityFactory(alis=world.alis_a, date=D(2026, 1, 5))

    def home(persona):
        return client_for(world.user(persona)).get("/").content.decode()

    assert 'id="home-plan-h"' in home("alis_a")
    leader = home("manager_a")
    assert 'id="home-attest-h"' in leader and "EKS-ALM-01" in leader
    assert 'id="home-behind-h"' in leader
    assert 'id="home-behind-h"' not in home("adviser")  # on the overview instead
    supervisor = home("supervisor_a")
    assert 'id="home-supervisees-h"' in supervisor
    assert reverse("education_plans:confirmation_queue") in supervisor
    outsider = home("outsider")
    assert not any(
        f'id="home-{section}-h"' in outsider
        for section in ("plan", "attest", "behind", "supervisees")
    )


def test_the_municipality_page_lists_its_plans_and_alis_without_one(world, client_for):
    from accounts.models import Role
    from tests.accounts.factories import RoleAssignmentFactory

    newcomer = UserFactory(first_name="Nyansatt", last_name="Lege")
    RoleAssignmentFactory(user=newcomer, role=Role.ALIS, municipality=world.muni_a)
    page = client_for(world.manager_a).get(
        reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    )
    content = page.content.decode()
    assert url("plan_detail", world.plan_a.pk) in content
    assert f"?alis={newcomer.pk}" in content
    assert url("plan_detail", world.plan_b.pk) not in content


def test_the_home_page_of_an_adviser_runs_constant_queries(world, client_for):
    def grow():
        for n in range(10):
            plan_with_records(world.muni_a, n=n)

    assert_constant_queries(client_for(world.adviser), "/", grow)


def test_the_catalogue_pages(world, client_for, objective):
    client = client_for(world.alis_a)
    response = client.get(url("catalogue_list"))
    assert list(response.context["catalogues"]) == [objective.catalogue]
    response = client.get(url("catalogue_detail", objective.catalogue.pk))
    assert "EKS-ALM-01" in response.content.decode()
    assert client_for(world.outsider).get(url("catalogue_list")).status_code == 404


def test_the_plan_page_runs_the_same_queries_for_ten_times_the_records(world, client_for):
    catalogue = CatalogueFactory()
    world.plan_a.alm_catalogue = catalogue
    world.plan_a.save()

    def records():
        objective = ObjectiveFactory(catalogue=catalogue)
        ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), percentage=1)
        activity = LearningActivityFactory(
            alis=world.alis_a, date=D(2026, 1, 5), confirmed_by=world.supervisor_a
        )
        activity.objectives.add(objective)
        AttestationFactory(plan=world.plan_a, objective=objective)

    records()
    assert_constant_queries(
        client_for(world.manager_a),
        url("plan_detail", world.plan_a.pk),
        lambda: [records() for _ in range(10)],
    )
