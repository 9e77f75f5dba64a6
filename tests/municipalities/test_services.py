import io

import pytest
from django.core.management import call_command

from alisvest.tabular import TableError, read_table
from municipalities.models import Municipality, Population, Predecessor, Region
from municipalities.services import municipalities_import, population_import

pytestmark = pytest.mark.django_db


def load_reference_data():
    call_command("import_municipalities", stdout=io.StringIO())


def test_reference_data_has_the_66_municipalities_of_the_region():
    load_reference_data()

    assert Municipality.objects.count() == 66
    assert Municipality.objects.filter(county__name="Vestland").count() == 43
    assert Municipality.objects.filter(county__name="Rogaland").count() == 23
    bergen = Municipality.objects.get(number="4601")
    assert bergen.populations.get(year=2022).population == 286_930
    utsira = Municipality.objects.get(name="Utsira")
    assert utsira.populations.get(year=2022).population == 188
    assert Municipality.objects.get(name="Sola").centrality_class == 2
    assert Municipality.objects.get(name="Sola").centrality_version == "2024"


def test_reference_data_keeps_the_2020_mergers():
    load_reference_data()

    ullensvang = Municipality.objects.get(name="Ullensvang")
    assert {p.name for p in ullensvang.predecessors.all()} == {"Jondal", "Odda", "Ullensvang"}
    assert Predecessor.objects.get(name="Fusa").municipality.name == "Bjørnafjorden"


def test_importing_the_same_files_again_changes_nothing():
    load_reference_data()
    before = list(Population.objects.order_by("pk").values_list("pk", "population"))

    out = io.StringIO()
    call_command("import_municipalities", stdout=out)

    assert "0 created, 0 updated, 66 unchanged" in out.getvalue()
    assert list(Population.objects.order_by("pk").values_list("pk", "population")) == before


def rows(text):
    return read_table(io.BytesIO(text.encode()), name="file.csv")


def test_a_bad_row_names_its_line_and_field_and_nothing_is_saved():
    region = Region.objects.create(code="vest", name="ALIS Vest")
    text = (
        "number,name,county,centrality_class_2024\n"
        "4601,Bergen,Vestland,2\n"
        "46x2,Kinn,Vestland,5\n"
        "4611,Etne,Vestland,9\n"
    )
    with pytest.raises(TableError) as exc:
        municipalities_import(rows=rows(text), region=region)

    messages = [str(e) for e in exc.value.errors]
    assert any(e.line == 3 and e.field == "number" for e in exc.value.errors), messages
    assert any(e.line == 4 and e.field == "centrality_class_2024" for e in exc.value.errors)
    assert Municipality.objects.count() == 0


def test_population_for_an_unknown_municipality_is_refused():
    with pytest.raises(TableError) as exc:
        population_import(rows=rows("number,year,population\n9999,2024,10\n"))
    assert exc.value.errors[0].field == "number"
    assert exc.value.errors[0].line == 2


def test_xlsx_is_read_like_csv():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["number", "year", "population"])
    sheet.append([4601, 2024, 291940])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    assert read_table(data, name="pop.xlsx") == [
        (2, {"number": "4601", "year": "2024", "population": "291940"})
    ]


def test_a_file_that_is_not_a_table_gives_a_clear_message():
    with pytest.raises(TableError, match="XLSX"):
        read_table(io.BytesIO(b"not a zip"), name="x.xlsx")
    with pytest.raises(TableError, match="UTF-8"):
        read_table(io.BytesIO("æøå".encode("latin-1")), name="x.csv")
