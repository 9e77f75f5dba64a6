"""Importing a learning-objective catalogue (CSV or XLSX): preview, all or nothing, the same
file twice changes nothing, a bad row names its line and column."""

import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from alisvest.tabular import TableError, read_table
from education_plans import services
from education_plans.models import Attestation, Catalogue, Objective
from tests.education_plans.factories import AttestationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
EXAMPLES = Path(settings.BASE_DIR) / "data" / "examples"
CSV = (
    "code,title,theme,recommended_activities,arenas\n"
    "EKS-1,Eksempel: kommunisere alvorlige beskjeder,Kommunikasjon,Felleskonsultasjon,Legekontor\n"
    "EKS-2,Eksempel: melde uønskede hendelser,Kvalitet og pasientsikkerhet,,\n"
)


def rows(text: str):
    return read_table(io.BytesIO(text.encode()), name="katalog.csv")


def do_import(text=CSV, **options):
    values = {"kind": "fkm", "version": "Eksempel 2019", "valid_from": D(2019, 3, 1)}
    return services.catalogue_import(rows=rows(text), **{**values, **options})


def history_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_app_config("education_plans").get_models()
    }


def test_import_creates_the_version_and_its_objectives():
    result = do_import()
    catalogue = Catalogue.objects.get()
    assert (catalogue.kind, catalogue.version, catalogue.valid_from) == (
        "fkm",
        "Eksempel 2019",
        D(2019, 3, 1),
    )
    assert [(o.code, o.theme) for o in catalogue.objectives.order_by("code")] == [
        ("EKS-1", "Kommunikasjon"),
        ("EKS-2", "Kvalitet og pasientsikkerhet"),
    ]
    assert catalogue.objectives.get(code="EKS-1").arenas == "Legekontor"
    assert len(result.new) == 2


def test_importing_the_same_file_again_changes_nothing():
    do_import()
    before = history_counts()
    stamp = Catalogue.objects.get().imported_at

    result = do_import()

    assert not result.changes_anything
    assert result.unchanged == 2
    assert history_counts() == before  # no row, no history entry
    assert Catalogue.objects.get().imported_at == stamp


def test_a_corrected_title_updates_the_objective_and_keeps_its_identity():
    do_import()
    objective = Objective.objects.get(code="EKS-2")
    result = do_import(CSV.replace("melde uønskede", "melde og følge opp uønskede"))
    assert [c.fields for c in result.changed] == [["title"]]
    objective.refresh_from_db()
    assert objective.title == "Eksempel: melde og følge opp uønskede hendelser"


def test_a_bad_row_names_its_line_and_field_and_nothing_is_saved():
    text = CSV + ",Eksempel uten kode,Etikk,,\nEKS-1,,Etikk,,\n"
    with translation.override("en"), pytest.raises(TableError) as caught:
        do_import(text)
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (4, "code"),
        (5, "code"),  # EKS-1 appears twice
        (5, "title"),
    ]
    assert "also line 2" in caught.value.errors[1].message
    assert not Catalogue.objects.exists()


def test_version_and_dates_may_come_from_the_file_but_must_agree():
    text = "code,title,theme,version,valid_from\nA-1,Eksempel en,T,2026,01.03.2026\n"
    result = services.catalogue_import(rows=rows(text), kind="alm")
    assert (result.version, result.valid_from) == ("2026", D(2026, 3, 1))
    text += "A-2,Eksempel to,T,2027,01.03.2026\n"
    with pytest.raises(TableError) as caught:
        services.catalogue_import(rows=rows(text), kind="alm", version="2026")
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "version")]


def test_without_version_or_start_the_import_says_what_is_missing():
    with pytest.raises(TableError) as caught:
        services.catalogue_import(rows=rows(CSV), kind="alm")
    assert {e.field for e in caught.value.errors} == {"version", "valid_from"}


def test_norwegian_column_names_are_understood():
    text = "Kode;Tittel;Tema;Læringsarenaer\nK-1;Eksempel: mål;Etikk;Sykehjem\n"
    do_import(text, kind="alm")
    objective = Objective.objects.get()
    assert (objective.code, objective.theme, objective.arenas) == ("K-1", "Etikk", "Sykehjem")


def test_a_missing_column_is_named():
    with pytest.raises(TableError) as caught:
        do_import("code,title\nA,Eksempel\n")
    assert "theme" in str(caught.value)


def test_xlsx_files_import_like_csv(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "theme", "valid_from"])
    sheet.append(["X-1", "Eksempel fra Excel", "Etikk", datetime.datetime(2019, 3, 1)])
    path = tmp_path / "katalog.xlsx"
    workbook.save(path)
    services.catalogue_import(rows=read_table(path, name=path.name), kind="alm", version="Eksempel")
    assert Catalogue.objects.get().valid_from == D(2019, 3, 1)
    assert Objective.objects.get().title == "Eksempel fra Excel"


def test_a_new_version_ends_the_open_previous_one():
    do_import()
    result = do_import(version="Eksempel 2026", valid_from=D(2026, 3, 1))
    assert result.closes.version == "Eksempel 2019"
    old = Catalogue.objects.get(version="Eksempel 2019")
    assert old.valid_to == D(2026, 2, 28)
    # Re-importing the old file afterwards keeps that end.
    assert not do_import().changes_anything


def test_objectives_dropped_from_the_file_go_unless_a_plan_refers_to_them(world):
    do_import()
    AttestationFactory(plan=world.plan_a, objective=Objective.objects.get(code="EKS-1"))
    result = do_import("code,title,theme\nEKS-3,Eksempel: nytt,Etikk\n")
    assert [o.code for o in result.kept] == ["EKS-1"]
    assert [o.code for o in result.removed] == ["EKS-2"]
    assert set(Objective.objects.values_list("code", flat=True)) == {"EKS-1", "EKS-3"}
    assert Attestation.objects.count() == 1


def test_only_advisers_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_import(by=world.manager_a)
    do_import(by=world.adviser)
    assert Catalogue.objects.get().imported_by == world.adviser


def test_the_command_imports_the_example_files_and_changes_nothing_the_second_time():
    out = io.StringIO()
    for _ in range(2):
        call_command(
            "import_catalogue",
            str(EXAMPLES / "fkm_eksempel_2019.csv"),
            kind="fkm",
            catalogue_version="Eksempel 2019",
            valid_from=D(2019, 3, 1),
            stdout=out,
        )
    first, second = out.getvalue().strip().splitlines()
    assert "13 added" in first
    assert "0 added, 0 changed, 0 removed, 0 kept (in use), 13 unchanged" in second


def test_the_command_reports_a_bad_file(tmp_path):
    path = tmp_path / "feil.csv"
    path.write_text("code,title,theme\nA,,T\n")
    with translation.override("en"), pytest.raises(CommandError, match="Line 2, title"):
        call_command(
            "import_catalogue",
            str(path),
            kind="alm",
            catalogue_version="X",
            valid_from=D(2019, 3, 1),
        )


def test_every_example_title_is_marked_as_an_example():
    for path in EXAMPLES.glob("*.csv"):
        for _line, row in read_table(path, name=path.name):
            assert row["title"].startswith("Eksempel"), (path.name, row["code"])


# The upload page


IMPORT = reverse("education_plans:catalogue_import")


def upload(client, text=CSV, **data):
    file = io.BytesIO(text.encode())
    file.name = "katalog.csv"
    values = {"kind": "fkm", "version": "Eksempel 2019", "valid_from": "01.03.2019"}
    return client.post(IMPORT, {**values, **data, "file": file})


def test_the_adviser_previews_then_applies(world, client_for):
    client = client_for(world.adviser)
    response = upload(client)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert len(preview.new) == 2
    assert not Catalogue.objects.exists()  # a preview saves nothing

    response = client.post(
        reverse("education_plans:catalogue_import_apply"), {"token": response.context["token"]}
    )
    catalogue = Catalogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("education_plans:catalogue_detail", args=[catalogue.pk])
    assert catalogue.source_name == "katalog.csv"
    assert catalogue.objectives.count() == 2


def test_the_upload_page_lists_the_bad_rows(world, client_for):
    response = upload(client_for(world.adviser), CSV + "EKS-3,,Etikk,,\n")
    assert [(e.line, e.field) for e in response.context["errors"]] == [(4, "title")]
    assert not Catalogue.objects.exists()


def test_a_stale_token_applies_nothing(world, client_for):
    client = client_for(world.adviser)
    response = client.post(reverse("education_plans:catalogue_import_apply"), {"token": "x"})
    assert response.status_code == 302
    assert not Catalogue.objects.exists()


@pytest.mark.parametrize("persona", ["manager_a", "alis_a", "supervisor_a", "outsider"])
def test_only_advisers_reach_the_upload_page(world, client_for, persona):
    assert client_for(world.user(persona)).get(IMPORT).status_code == 403
