"""The measure types named in DOMAIN.md and the default agreement template (an example text
following the structure of Helsedirektoratet's mandatory template), so that a new portal can
draft agreements at once. Advisers change both in the portal afterwards."""

from pathlib import Path

from django.db import migrations

TEMPLATE_FILE = Path(__file__).resolve().parent.parent / "default_template.html"
TEMPLATE_NAME = "ALIS-avtale (eksempel etter Helsedirektoratets mal)"

MEASURE_TYPES = [
    (
        "Ekstra veiledning",
        "standard",
        "quantity",
        "timer per måned",
        "Individuell veiledning utover kravet i spesialistforskriften.",
    ),
    (
        "Fri etter legevakt",
        "standard",
        "quantity",
        "timer per måned",
        "Fritid etter legevakt, utover det som følger av avtaleverket.",
    ),
    ("Sykefraværsforsikring", "standard", "amount", "", "Forsikring ved sykefravær."),
    ("Inntektsgaranti", "additional", "amount", "", "Garantert inntekt de første årene."),
    (
        "Kompensasjon for lav listelengde",
        "additional",
        "amount",
        "",
        "Kompensasjon mens pasientlisten er kort.",
    ),
    (
        "Kurs og veiledningsgruppe",
        "standard",
        "amount",
        "",
        "Kursavgifter, reise og opphold, veiledningsgruppe.",
    ),
    ("Vikardekning", "municipal", "amount", "", "Vikar ved kurs, permisjon og annet fravær."),
    ("Annet", "municipal", "amount", "", "Andre tiltak; beskriv dem i avtalen."),
]


def create(apps, schema_editor):
    MeasureType = apps.get_model("alis_agreements", "MeasureType")
    AgreementTemplate = apps.get_model("alis_agreements", "AgreementTemplate")
    TemplateVersion = apps.get_model("alis_agreements", "TemplateVersion")
    for order, (name, element, measured_in, unit, description) in enumerate(MEASURE_TYPES, 1):
        MeasureType.objects.get_or_create(
            name=name,
            defaults={
                "element": element,
                "measured_in": measured_in,
                "unit": unit,
                "description": description,
                "order": order * 10,
            },
        )
    if not AgreementTemplate.objects.exists():
        template = AgreementTemplate.objects.create(
            name=TEMPLATE_NAME,
            description="Eksempeltekst: kontrolleres mot Helsedirektoratets gjeldende mal.",
            is_default=True,
        )
        TemplateVersion.objects.create(
            template=template,
            number=1,
            body=TEMPLATE_FILE.read_text(encoding="utf-8"),
            note="Første versjon",
        )


class Migration(migrations.Migration):
    dependencies = [("alis_agreements", "0002_agreements_measures_templates_grants")]

    # Going back leaves the rows: they are data the office may have changed since, and
    # reversing 0002 drops their tables anyway.
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
