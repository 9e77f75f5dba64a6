"""Registration as education institution: dated changes, one at a time or from a file."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alisvest.tabular import TableError, read_table
from municipalities.models import Municipality, RegistrationStatusChange
from municipalities.services import (
    parse_registration_status,
    registration_import_preview,
    registration_status_add,
    registration_status_import,
)
from tests.municipalities.factories import (
    MunicipalityFactory,
    RegionFactory,
    RegistrationStatusChangeFactory,
)

D = datetime.date
IMPORT = reverse("municipalities:registration_import")
APPLY = reverse("municipalities:registration_import_apply")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))
    return D(2026, 11, 22)


def add_url(m):
    return reverse("municipalities:registration_create", args=[m.number])


def detail_url(m):
    return reverse("municipalities:municipality_detail", args=[m.number])


def rows(text):
    return read_table(io.BytesIO(text.encode()), name="status.csv")


def upload(text, name="status.csv"):
    file = io.BytesIO(text.encode())
    file.name = name
    return file


# Current status


def test_current_status_is_the_newest_change_on_or_before_today(world, client_for, today):
    RegistrationStatusChangeFactory(municipality=world.muni_a, status="applied", date=D(2026, 1, 5))
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status="registered", date=D(2027, 1, 1)
    )

    qs = Municipality.objects.with_registration_status()
    assert qs.get(pk=world.muni_a.pk).registration_status == "applied"
    assert world.muni_a.registration_status_on(today) == "applied"

    response = client_for(world.adviser).get(detail_url(world.muni_a))
    assert response.context["registration_status"] == "applied"
    assert "01.01.2027" in response.content.decode()


def test_two_changes_on_one_day_the_one_recorded_last_wins(world, today):
    RegistrationStatusChangeFactory(municipality=world.muni_a, status="applied", date=D(2023, 4, 1))
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status="registered", date=D(2023, 4, 1)
    )
    assert world.muni_a.registration_status_on(today) == "registered"
    qs = Municipality.objects.with_registration_status()
    assert qs.get(pk=world.muni_a.pk).registration_status == "registered"


# Adding one change


def test_an_adviser_adds_a_dated_status_change(world, today):
    change = registration_status_add(
        municipality=world.muni_a,
        by=world.adviser,
        status="registered",
        date=D(2026, 11, 1),
        note="Godkjent av Helsedirektoratet",
    )
    assert change.recorded_by == world.adviser
    assert world.muni_a.registration_status_on(today) == "registered"


def test_the_same_status_on_the_same_date_is_not_recorded_twice(world, today):
    RegistrationStatusChangeFactory(municipality=world.muni_a, status="applied", date=D(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        registration_status_add(
            municipality=world.muni_a,
            by=world.adviser,
            status="applied",
            date=D(2026, 3, 1),
            note="",
        )
    assert "date" in exc.value.message_dict


def test_a_date_more_than_a_year_ahead_is_refused(world, today):
    with pytest.raises(ValidationError) as exc:
        registration_status_add(
            municipality=world.muni_a,
            by=world.adviser,
            status="registered",
            date=D(2028, 1, 1),
            note="",
        )
    assert "date" in exc.value.message_dict


def test_managers_cannot_change_the_registration_status(world):
    with pytest.raises(PermissionDenied):
        registration_status_add(
            municipality=world.muni_a,
            by=world.manager_a,
            status="registered",
            date=D(2026, 1, 1),
            note="",
        )


def test_the_form_adds_a_change_and_goes_back_to_the_municipality(world, client_for, today):
    client = client_for(world.adviser)
    assert client.get(add_url(world.muni_a)).status_code == 200

    response = client.post(
        add_url(world.muni_a), {"status": "applied", "date": "01.11.2026", "note": "Søkt"}
    )

    assert response.status_code == 302 and response["Location"].startswith(detail_url(world.muni_a))
    change = RegistrationStatusChange.objects.get()
    assert (change.status, change.date, change.note) == ("applied", D(2026, 11, 1), "Søkt")


def test_the_form_shows_a_bad_date_beside_the_field(world, client_for, today):
    response = client_for(world.adviser).post(
        add_url(world.muni_a), {"status": "applied", "date": "31.02.2026", "note": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not RegistrationStatusChange.objects.exists()


def test_managers_see_the_history_but_no_add_button(world, client_for):
    RegistrationStatusChangeFactory(municipality=world.muni_a, note="Ny kommune i 2020")
    html = client_for(world.manager_a).get(detail_url(world.muni_a)).content.decode()
    assert "Ny kommune i 2020" in html
    assert add_url(world.muni_a) not in html
    html = client_for(world.adviser).get(detail_url(world.muni_a)).content.decode()
    assert add_url(world.muni_a) in html


# Status words


@pytest.mark.parametrize(
    "text, status",
    [
        ("registered", "registered"),
        ("Registrert", "registered"),
        ("  REGISTRERT ", "registered"),
        ("applied", "applied"),
        ("søkt", "applied"),
        ("not_applied", "not_applied"),
        ("Ikke søkt", "not_applied"),
        ("ikkje søkt", "not_applied"),
        ("lost by merger", "lost_by_merger"),
        ("bortfalt ved sammenslåing", "lost_by_merger"),
        ("Not applied", "not_applied"),
    ],
)
def test_status_words_in_english_and_norwegian(text, status):
    assert parse_registration_status(text) == status


def test_an_unknown_status_word_is_none():
    assert parse_registration_status("kanskje") is None


# Import from a file


def test_preview_validates_every_row_and_writes_nothing(world, today):
    RegistrationStatusChangeFactory(municipality=world.muni_a, status="applied", date=D(2025, 1, 1))
    text = (
        "number,status,date,note\n4640,registrert,01.03.2026,Godkjent\n1103,applied,2026-02-01,\n"
    )
    planned = registration_import_preview(rows=rows(text), by=world.adviser)

    assert [(p.line, p.municipality, p.current_status, p.status, p.date) for p in planned] == [
        (2, world.muni_a, "applied", "registered", D(2026, 3, 1)),
        (3, world.muni_b, None, "applied", D(2026, 2, 1)),
    ]
    assert not any(p.already_recorded for p in planned)
    assert RegistrationStatusChange.objects.count() == 1


def test_a_bad_row_names_its_line_and_field_and_nothing_is_applied(world, today):
    text = (
        "number,status,date,note\n"
        "4640,registered,01.03.2026,\n"
        "9999,registered,01.03.2026,\n"
        "1103,kanskje,01.03.2026,\n"
        "1103,applied,32.13.2026,\n"
    )
    with pytest.raises(TableError) as exc:
        registration_status_import(rows=rows(text), by=world.adviser)

    found = {(e.line, e.field) for e in exc.value.errors}
    assert found == {(3, "number"), (4, "status"), (5, "date")}
    assert not RegistrationStatusChange.objects.exists()


def test_a_municipality_outside_the_advisers_region_is_refused(world, today):
    MunicipalityFactory(number="3401", region=RegionFactory(code="ost", name="ALIS Øst"))
    with pytest.raises(TableError) as exc:
        registration_status_import(
            rows=rows("number,status,date\n3401,registered,01.03.2026\n"), by=world.adviser
        )
    assert (exc.value.errors[0].line, exc.value.errors[0].field) == (2, "number")


def test_importing_the_same_file_twice_adds_nothing_new(world, today):
    text = "number,status,date,note\n4640,registered,01.03.2026,Godkjent\n1103,søkt,01.02.2026,\n"

    first = registration_status_import(rows=rows(text), by=world.adviser)
    second = registration_status_import(rows=rows(text), by=world.adviser)

    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.unchanged) == (0, 2)
    assert RegistrationStatusChange.objects.count() == 2
    planned = registration_import_preview(rows=rows(text), by=world.adviser)
    assert all(p.already_recorded for p in planned)


def test_a_row_repeated_within_the_file_is_added_once(world, today):
    text = "number,status,date\n4640,registered,01.03.2026\n4640,Registrert,2026-03-01\n"
    summary = registration_status_import(rows=rows(text), by=world.adviser)
    assert (summary.created, summary.unchanged) == (1, 1)


def test_xlsx_numbers_without_leading_zero_and_date_cells(world, today):
    from openpyxl import Workbook

    oslo = MunicipalityFactory(number="0301", name="Oslo", region=world.region)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Number", "Status", "Date", "Note"])
    sheet.append([301, "registrert", datetime.datetime(2026, 3, 1), None])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    registration_status_import(rows=read_table(data, name="s.xlsx"), by=world.adviser)

    assert oslo.registration_changes.get().date == D(2026, 3, 1)


def test_a_file_with_too_many_rows_is_refused_as_a_whole(world, today):
    text = "number,status,date\n" + "4640,registered,01.03.2026\n" * 2001
    with pytest.raises(TableError, match="2001"):
        registration_import_preview(rows=rows(text), by=world.adviser)


def test_only_advisers_import(world, today):
    with pytest.raises(PermissionDenied):
        registration_status_import(
            rows=rows("number,status,date\n4640,registered,01.03.2026\n"), by=world.manager_a
        )


# The import pages


def test_upload_preview_then_apply(world, client_for, today):
    RegistrationStatusChangeFactory(municipality=world.muni_a, status="applied", date=D(2025, 1, 1))
    client = client_for(world.adviser)
    assert client.get(IMPORT).status_code == 200

    text = "number,status,date,note\n4640,registrert,01.03.2026,Godkjent\n"
    response = client.post(IMPORT, {"file": upload(text)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sogndal" in html and "Godkjent" in html and "01.03.2026" in html
    assert RegistrationStatusChange.objects.count() == 1  # the preview writes nothing
    token = response.context["token"]

    response = client.post(APPLY, {"token": token})

    assert response.status_code == 302
    assert world.muni_a.registration_status_on(today) == "registered"
    # The stored rows are used once: a second click adds nothing and says why.
    response = client.post(APPLY, {"token": token}, follow=True)
    assert RegistrationStatusChange.objects.count() == 2
    assert response.redirect_chain[-1][0] == IMPORT


def test_a_bad_file_shows_each_line_and_field_and_offers_no_apply(world, client_for, today):
    text = "number,status,date,note\n4640,registrert,01.03.2026,\n1103,kanskje,xx,\n"
    client = client_for(world.adviser)
    response = client.post(IMPORT, {"file": upload(text)})

    assert response.status_code == 200
    errors = response.context["errors"]
    assert {(e.line, e.field) for e in errors} == {(3, "status"), (3, "date")}
    assert APPLY not in response.content.decode()
    assert "registration_import" not in client.session


def test_a_file_with_missing_columns_is_refused(world, client_for):
    response = client_for(world.adviser).post(IMPORT, {"file": upload("number,date\n4640,x\n")})
    assert response.status_code == 200
    assert "status" in str(response.context["errors"][0])


def test_apply_with_a_forged_token_applies_nothing(world, client_for, today):
    client = client_for(world.adviser)
    client.post(IMPORT, {"file": upload("number,status,date\n4640,registered,01.03.2026\n")})

    response = client.post(APPLY, {"token": "forged"})

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not RegistrationStatusChange.objects.exists()


def test_apply_re_checks_the_rows_against_the_database(world, client_for, today):
    """A change recorded between preview and apply is skipped, not doubled."""
    client = client_for(world.adviser)
    response = client.post(
        IMPORT, {"file": upload("number,status,date\n4640,registered,01.03.2026\n")}
    )
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status="registered", date=D(2026, 3, 1)
    )

    client.post(APPLY, {"token": response.context["token"]})

    assert RegistrationStatusChange.objects.count() == 1


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "outsider", "alis_a"])
def test_import_pages_are_for_advisers(world, client_for, persona):
    client = client_for(world.user(persona))
    assert client.get(IMPORT).status_code == 404
    assert client.post(APPLY, {"token": "x"}).status_code == 404


def test_import_sends_anonymous_visitors_to_login(client, db):
    assert "/konto/login/" in client.get(IMPORT)["Location"]
