"""Demo narrative of last year's annual report, as the office would write it (after the 2021
report's parts), so the report page and its PDF read like the real thing. The figures come from
the other apps' demo data."""

from django.utils import timezone

from reports.models import AnnualReport

STAFF = """ALIS Vest er et av de regionale ALIS-kontorene og dekker de 66 kommunene i Vestland og Rogaland. Kontoret er lagt til Bergen kommune, Etat for helsetjenester, Enhet for allmennmedisin.

Kontoret har to rådgivere i til sammen 160 % stilling, begge leger med spesialitet i allmennmedisin, og en kontorleder i 50 % stilling. Rådgiverne deler kommunene mellom seg fylkesvis, slik at hver kommune har én fast kontaktperson."""

MANDATE = """Kontoret har sitt mandat fra Helsedirektoratet under Handlingsplan for allmennlegetjenesten. Oppdraget er å bistå kommunene med å rekruttere og beholde leger i spesialisering i allmennmedisin (ALIS), og å styrke kommunenes arbeid som utdanningsvirksomheter.

Kontoret gir råd om ALIS-avtaler og tilskuddsordninger, hjelper kommunene med å bli registrerte utdanningsvirksomheter, holder oversikt over veilederkapasiteten i regionen og arrangerer kurs for veiledere og ALIS."""

ACTIVITIES = """Rådgiverne har hatt oppfølgingsmøter med kommunene gjennom året, fysisk og digitalt. Møtene har handlet om organisering av legetjenesten, ALIS-stillinger, veiledning og hvilke tiltak som virker for å rekruttere og beholde leger. Kommunene uten møte i år står i oversikten under, og prioriteres neste år.

Kontoret har arrangert emnekurs i individuell veiledning og supervisjon for allmennleger (18 timer) i Bergen og Stavanger, regionale digitale samlinger for ALIS og utdanningsledere, og den årlige ALIS-konferansen med deltakere både fysisk og digitalt.

Kontoret har deltatt i Helsedirektoratets nasjonale nettverk for ALIS-kontorene og avgitt høringsinnspill om tilskuddsordningen «Nasjonal ALIS og veiledning»."""

PARTNERS = """Helse Bergen, Helse Fonna, Helse Førde og Helse Stavanger om institusjonstjeneste for ALIS. Statsforvalteren i Vestland og i Rogaland. Universitetet i Bergen (Allmennmedisinsk forskningsenhet) og Universitetet i Stavanger. De andre regionale ALIS-kontorene og Legeforeningen."""

PLANS = """Neste år vil kontoret møte alle kommuner som ikke har hatt oppfølgingsmøte i år, følge opp kommunene som ennå ikke er registrerte utdanningsvirksomheter, og bygge ut veilederpoolen i kommuner med ALIS uten veileder.

Kontoret planlegger to emnekurs i veiledning, fire digitale samlinger og ALIS-konferansen i oktober."""


def seed(demo):
    AnnualReport.objects.get_or_create(
        region=demo.region,
        year=timezone.localdate().year - 1,
        defaults={
            "staff": STAFF,
            "mandate": MANDATE,
            "activities": ACTIVITIES,
            "partners": PARTNERS,
            "plans": PLANS,
            "updated_by": demo.people.get("adviser"),
        },
    )
