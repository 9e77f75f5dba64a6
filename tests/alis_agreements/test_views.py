"""The pages: lists (filters, sorting, paging, constant queries), forms with bad input, the
agreement's steps through the browser-facing views, the PDF preview, and the panels."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, RoleAssignment, User
from alis_agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    Employment,
    GrantTable,
    MeasureType,
    Position,
)
from tests.alis_agreements.factories import (
    AgreementFactory,
    AgreementMeasureFactory,
    EmploymentFactory,
    GrantRateFactory,
    GrantSchemeFactory,
    GrantTableFactory,
    PositionFactory,
    signed_agreement,
)
from tests.queries import assert_constant_queries

D = datetime.date
POSITIONS = reverse("alis_agreements:position_list")
EMPLOYMENTS = reverse("alis_agreements:employment_list")
AGREEMENTS = reverse("alis_agreements:agreement_list")


def url(name, *args):
    return reverse(f"alis_agreements:{name}", args=args)


# Lists


def test_position_list_is_scoped_filtered_and_sorted(world, client_for):
    PositionFactory(municipality=world.muni_a, title="Åpen stilling", status="advertised")
    PositionFactory(municipality=world.muni_b, title="Stavanger-stilling")
    adviser = client_for(world.adviser)
    everything = adviser.get(POSITIONS).context["page_obj"]
    assert everything.paginator.count == 4
    advertised = adviser.get(POSITIONS, {"status": "advertised"}).context["page_obj"]
    assert [p.title for p in advertised] == ["Åpen stilling"]
    by_title = adviser.get(POSITIONS, {"o": "-title"}).context["page_obj"]
    assert [p.title for p in by_title][0] == "Åpen stilling"
    manager = client_for(world.manager_a).get(POSITIONS).context["page_obj"]
    assert {p.municipality for p in manager} == {world.muni_a}
    assert client_for(world.outsider).get(POSITIONS).context["page_obj"].paginator.count == 0


def test_position_list_pages_on_the_server(world, client_for):
    PositionFactory.create_batch(30, municipality=world.muni_a)
    page = client_for(world.adviser).get(POSITIONS, {"page": 2}).context["page_obj"]
    assert page.number == 2 and len(page.object_list) == 7  # 32 positions, 25 a page


def test_position_list_filters_by_municipality_and_employment_form(world, client_for):
    PositionFactory(municipality=world.muni_b, employment_form="self_employed")
    adviser = client_for(world.adviser)
    by_municipality = adviser.get(POSITIONS, {"municipality": world.muni_b.pk})
    assert {p.municipality for p in by_municipality.context["page_obj"]} == {world.muni_b}
    self_employed = adviser.get(POSITIONS, {"employment_form": "self_employed"})
    assert self_employed.context["page_obj"].paginator.count == 1


def test_the_lists_run_the_same_queries_whatever_the_data(world, client_for):
    client = client_for(world.adviser)

    def grow():
        for municipality in (world.muni_a, world.muni_b):
            for _ in range(5):
                employment = EmploymentFactory(
                    position=PositionFactory(municipality=municipality),
                    start_date=D(2024, 1, 1),
                )
                agreement = AgreementFactory(employment=employment)
                AgreementMeasureFactory(agreement=agreement)

    for list_url in (POSITIONS, EMPLOYMENTS, AGREEMENTS):
        assert_constant_queries(client, list_url, grow)


def test_the_grant_summary_and_its_export_run_the_same_queries_whatever_the_data(world, client_for):
    table = GrantTableFactory(year=2026)
    GrantRateFactory(table=table, amount=Decimal(120000))
    client = client_for(world.manager_a)

    def grow(count=5):
        for _ in range(count):
            employment = EmploymentFactory(
                position=PositionFactory(municipality=world.muni_a), start_date=D(2025, 1, 1)
            )
            agreement = AgreementFactory(employment=employment, start_date=D(2025, 1, 1))
            Agreement.objects.filter(pk=agreement.pk).update(
                status="signed", signed_on=D(2025, 1, 1), pdf_sha256="0" * 64
            )
            AgreementMeasureFactory(agreement=agreement)

    grow(1)  # one to start with, so that the page loads its related rows at all
    for name in ("grant_summary", "grant_summary_xlsx"):
        assert_constant_queries(client, url(name, world.muni_a.number, 2026), grow)


def test_agreement_list_flags_agreements_ending_within_90_days(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2027, 11, 1, 12, tzinfo=datetime.UTC))
    signed_agreement(world.employment_a, end_date=D(2027, 12, 31), signed_on=D(2024, 1, 1))
    client = client_for(world.manager_a)
    page = client.get(AGREEMENTS, {"ending": "90"})
    assert page.context["page_obj"].paginator.count == 1
    assert "Ends within 90 days" in page.content.decode()
    municipality = client.get(reverse("municipalities:municipality_detail", args=["4640"]))
    text = municipality.content.decode()
    assert "Agreements ending within 90 days" in text and "31.12.2027" in text


def test_employment_list_filters_current_and_ended(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
    EmploymentFactory(
        position=PositionFactory(municipality=world.muni_a),
        start_date=D(2020, 1, 1),
        end_date=D(2022, 12, 31),
    )
    client = client_for(world.adviser)
    current = client.get(EMPLOYMENTS, {"state": "current"}).context["page_obj"]
    ended = client.get(EMPLOYMENTS, {"state": "ended"}).context["page_obj"]
    assert current.paginator.count == 2 and ended.paginator.count == 1


# Positions and employments through their forms


def position_data(**extra):
    data = {
        "title": "ALIS-stilling 3",
        "employment_form": "fixed_salary",
        "position_type": "gp_with_list",
        "status": "advertised",
        "list_size": "800",
        "start_date": "2026-08-01",
    }
    data.update(extra)
    return data


def test_a_manager_registers_a_position_in_their_municipality_only(world, client_for):
    client = client_for(world.manager_a)
    response = client.post(url("position_create"), position_data(municipality=world.muni_b.pk))
    assert response.status_code == 200 and "municipality" in response.context["form"].errors
    response = client.post(url("position_create"), position_data(municipality=world.muni_a.pk))
    position = Position.objects.get(title="ALIS-stilling 3")
    assert response["Location"] == url("position_detail", position.pk)
    assert position.history.latest().history_user == world.manager_a


def test_position_dates_in_the_wrong_order_are_a_form_error(world, client_for):
    response = client_for(world.manager_a).post(
        url("position_create"),
        position_data(municipality=world.muni_a.pk, end_date="2026-07-01"),
    )
    assert "end_date" in response.context["form"].errors
    assert not Position.objects.filter(title="ALIS-stilling 3").exists()


def employ(client, position, **extra):
    data = {
        "first_name": "Nora",
        "last_name": "Ny",
        "email": "nora.ny@example.no",
        "hpr_number": "7777777",
        "start_date": "2026-09-01",
        "percentage": "100",
    }
    data.update(extra)
    return client.post(url("employment_create", position.pk), data)


def test_registering_a_new_alis_and_their_employment(world, client_for):
    position = PositionFactory(municipality=world.muni_a, start_date=D(2026, 1, 1))
    response = employ(client_for(world.manager_a), position)
    alis = User.objects.get(email="nora.ny@example.no")
    employment = Employment.objects.get(alis=alis)
    assert response["Location"] == url("employment_detail", employment.pk)
    assert not alis.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=alis, role=Role.ALIS, municipality=world.muni_a
    ).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"percentage": "101"}, "percentage"),
        ({"percentage": "0"}, "percentage"),
        ({"end_date": "2026-08-01"}, "end_date"),
        ({"start_date": "2025-06-01"}, "start_date"),  # before the position starts
        ({"email": ""}, "email"),
        ({"hpr_number": "12a"}, "hpr_number"),
    ],
)
def test_bad_employment_input_is_a_form_error_and_nothing_is_saved(world, client_for, extra, field):
    position = PositionFactory(municipality=world.muni_a, start_date=D(2026, 1, 1))
    response = employ(client_for(world.manager_a), position, **extra)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="nora.ny@example.no").exists()
    assert not position.employments.exists()


def test_an_overlapping_employment_is_a_form_error_and_registers_nobody(world, client_for):
    position = PositionFactory(municipality=world.muni_a, start_date=D(2020, 1, 1))
    response = client_for(world.manager_a).post(
        url("employment_create", position.pk),
        {"alis": world.alis_a.pk, "start_date": "2025-01-01", "percentage": "100"},
    )
    assert "already employed" in str(response.context["form"].errors["start_date"])
    assert not position.employments.exists()


def test_leave_through_its_form(world, client_for):
    client = client_for(world.manager_a)
    response = client.post(
        url("leave_create", world.employment_a.pk),
        {
            "kind": "parental",
            "start_date": "2025-01-01",
            "end_date": "2025-06-30",
            "percentage": "100",
        },
    )
    assert response.status_code == 302
    leave = world.employment_a.leaves.get()
    client.post(url("leave_delete", leave.pk))
    assert not world.employment_a.leaves.exists()


# The agreement, step by step


def agreement_post(**extra):
    insurance = MeasureType.objects.get(name="Sykefraværsforsikring")
    supervision = MeasureType.objects.get(name="Ekstra veiledning")
    version = AgreementTemplate.objects.get(is_default=True).current_version()
    data = {
        "template_version": version.pk,
        "percentage": "100",
        "start_date": "2024-01-01",
        "end_date": "2028-12-31",
        "contact_name": "Kari Leder",
        "contact_title": "Kommuneoverlege",
        "measures-TOTAL_FORMS": "3",
        "measures-INITIAL_FORMS": "0",
        "measures-0-measure_type": insurance.pk,
        "measures-0-element": "standard",
        "measures-0-amount": "15000",
        "measures-1-measure_type": supervision.pk,
        "measures-1-element": "standard",
        "measures-1-quantity": "2",
        "measures-1-amount": "24000",
        "measures-2-measure_type": "",
    }
    data.update(extra)
    return data


def test_drafting_an_agreement_with_measures(world, client_for):
    response = client_for(world.manager_a).post(
        url("agreement_create", world.employment_a.pk), agreement_post()
    )
    agreement = Agreement.objects.get()
    assert response["Location"] == url("agreement_detail", agreement.pk)
    assert [(m.measure_type.name, m.quantity, m.amount) for m in agreement.measures.all()] == [
        ("Sykefraværsforsikring", None, 15000),
        ("Ekstra veiledning", 2, 24000),
    ]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_date": "2029-01-01"}, "end_date"),  # over five years at full time
        ({"start_date": "2023-12-01"}, "start_date"),  # before the employment
        ({"end_date": "2023-12-31"}, "end_date"),  # wrong order
        ({"percentage": "120"}, "percentage"),
    ],
)
def test_bad_agreement_input_is_a_form_error_and_nothing_is_saved(world, client_for, extra, field):
    response = client_for(world.manager_a).post(
        url("agreement_create", world.employment_a.pk), agreement_post(**extra)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_a_quantity_measure_without_its_quantity_is_a_form_error(world, client_for):
    response = client_for(world.manager_a).post(
        url("agreement_create", world.employment_a.pk),
        agreement_post(**{"measures-1-quantity": ""}),
    )
    assert response.context["formset"].forms[1].errors["quantity"]
    assert not Agreement.objects.exists()


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils")
def test_the_draft_preview_is_an_inline_a4_pdf(world, client_for):
    agreement = AgreementFactory(employment=world.employment_a)
    AgreementMeasureFactory(agreement=agreement)
    response = client_for(world.manager_a).get(url("agreement_preview", agreement.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response.content.startswith(b"%PDF")
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "(A4)" in info


def test_send_sign_with_a_scan_and_read_it_back(world, client_for):
    agreement = AgreementFactory(employment=world.employment_a)
    AgreementMeasureFactory(agreement=agreement)
    manager = client_for(world.manager_a)
    manager.post(url("agreement_send", agreement.pk))
    scan = SimpleUploadedFile("signert.pdf", b"%PDF-1.4 skannet", content_type="application/pdf")
    response = manager.post(
        url("agreement_sign", agreement.pk), {"signed_on": "2024-01-10", "scan": scan}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.scan
    page = manager.get(url("agreement_detail", agreement.pk)).content.decode()
    assert "The stored PDF matches its checksum." in page
    alis = client_for(world.alis_a)
    assert alis.get(url("agreement_pdf", agreement.pk)).status_code == 200
    assert b"".join(alis.get(url("agreement_scan", agreement.pk)).streaming_content) == (
        b"%PDF-1.4 skannet"
    )


def test_a_scan_of_the_wrong_type_is_a_form_error(world, client_for):
    agreement = AgreementFactory(employment=world.employment_a)
    AgreementMeasureFactory(agreement=agreement)
    manager = client_for(world.manager_a)
    manager.post(url("agreement_send", agreement.pk))
    scan = SimpleUploadedFile("signert.exe", b"MZ", content_type="application/octet-stream")
    response = manager.post(
        url("agreement_sign", agreement.pk), {"signed_on": "2024-01-10", "scan": scan}
    )
    assert response.status_code == 200
    assert Agreement.objects.get().status == AgreementStatus.SENT


def test_ending_an_agreement_needs_a_reason(world, client_for):
    agreement = signed_agreement(world.employment_a)
    manager = client_for(world.manager_a)
    response = manager.post(url("agreement_end", agreement.pk), {"ended_on": "2025-01-01"})
    assert "reason" in response.context["form"].errors
    manager.post(
        url("agreement_end", agreement.pk), {"ended_on": "2025-01-01", "reason": "terminated"}
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED


def test_the_alis_reads_their_agreement_without_buttons(world, client_for):
    agreement = signed_agreement(world.employment_a)
    page = client_for(world.alis_a).get(url("agreement_detail", agreement.pk)).content.decode()
    assert "Signed agreement (PDF)" in page
    assert url("agreement_end", agreement.pk) not in page
    assert url("agreement_new_version", agreement.pk) not in page


def test_history_page_lists_the_steps(world, client_for):
    agreement = signed_agreement(world.employment_a)
    page = client_for(world.adviser).get(url("agreement_history", agreement.pk))
    assert len(page.context["history"]) == 3  # created, sent, signed


# Templates


def test_a_template_with_a_forbidden_tag_is_refused_with_its_line(world, client_for):
    template = AgreementTemplate.objects.get(is_default=True)
    response = client_for(world.adviser).post(
        url("template_version_create", template.pk),
        {"body": "<p>{{ alis_name }}</p>\n{% load static %}", "note": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert "Line 2" in errors[0] and "{% load %}" in errors[0]
    assert template.versions.count() == 1


def test_template_preview_of_unsaved_text(world, client_for):
    client = client_for(world.adviser)
    response = client.post(url("template_preview_draft"), {"body": "<h1>{{ alis_name }}</h1>"})
    assert response["Content-Type"] == "application/pdf"
    bad = client.post(url("template_preview_draft"), {"body": "{% include 'x' %}"})
    assert bad.status_code == 400 and "cannot be used" in bad.content.decode()


def test_an_adviser_adds_a_measure_type(world, client_for):
    client_for(world.adviser).post(
        url("measure_type_create"),
        {
            "name": "Boligtilskudd",
            "element": "municipal",
            "measured_in": "amount",
            "order": "90",
            "is_active": "on",
        },
    )
    assert MeasureType.objects.filter(name="Boligtilskudd", element="municipal").exists()


# Grants


def test_an_adviser_keeps_a_rate_table_with_its_rates(world, client_for):
    scheme = GrantSchemeFactory(name="Nasjonal")
    response = client_for(world.adviser).post(
        url("grant_table_create", scheme.pk),
        {
            "year": "2027",
            "special_centrality_classes": ["5", "6"],
            "municipal_share": "0",
            "is_example": "on",
            "source": "Eksempel",
            "rates-TOTAL_FORMS": "2",
            "rates-INITIAL_FORMS": "0",
            "rates-0-element": "standard",
            "rates-0-label": "ALIS-avtale",
            "rates-0-position_type": "gp_with_list",
            "rates-0-employment_form": "",
            "rates-0-min_percentage": "50",
            "rates-0-amount": "150000",
            "rates-1-element": "additional",
            "rates-1-label": "Tilleggselementer",
            "rates-1-min_percentage": "0",
            "rates-1-amount": "50000",
            "rates-1-prorate_by_percentage": "on",
        },
    )
    table = GrantTable.objects.get(scheme=scheme, year=2027)
    assert response["Location"] == url("grant_table_detail", table.pk)
    assert table.special_centrality_classes == [5, 6]
    assert [(r.label, r.amount, r.prorate_by_percentage) for r in table.rates.order_by("pk")] == [
        ("ALIS-avtale", 150000, False),
        ("Tilleggselementer", 50000, True),
    ]


def test_the_summary_export_is_a_workbook_with_the_estimate(world, client_for):
    table = GrantTableFactory(year=2026, municipal_share=Decimal(50000))
    GrantRateFactory(table=table, amount=Decimal(250000))
    agreement = AgreementFactory(
        employment=world.employment_a, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31)
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        status="signed", signed_on=D(2026, 1, 1), pdf_sha256="0" * 64
    )
    response = client_for(world.manager_a).get(url("grant_summary_xlsx", world.muni_a.number, 2026))
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Ola Lege" in values
    assert 200000 in values  # the net: 250 000 less the share of 50 000


# Panels


def test_the_menu_has_positions_agreements_and_grants_for_managers_and_advisers(world, client_for):
    for persona, shown in (("manager_a", True), ("adviser", True), ("alis_a", False)):
        page = client_for(getattr(world, persona)).get(reverse("home")).content.decode()
        assert (url("grant_overview") in page) is shown, persona


def test_the_home_page_shows_the_manager_their_positions_and_the_alis_their_agreement(
    world, client_for
):
    signed_agreement(world.employment_a)
    manager = client_for(world.manager_a).get(reverse("home")).content.decode()
    assert "positions, ALIS and agreements" in manager
    alis = client_for(world.alis_a).get(reverse("home")).content.decode()
    assert "Your ALIS agreement" in alis and "Sogndal" in alis
    other = client_for(world.alis_b).get(reverse("home")).content.decode()
    assert "Your ALIS agreement" not in other
