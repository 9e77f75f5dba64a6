"""ALIS agreements: draft → sent for signature → signed → ended, the five-year rule, freezing
with the PDF's checksum, and new versions that leave the signed one untouched."""

import datetime
import hashlib
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alis_agreements import services
from alis_agreements.models import Agreement, AgreementStatus, EndReason, MeasureType
from tests.alis_agreements.factories import (
    AgreementFactory,
    AgreementMeasureFactory,
    EmploymentFactory,
    LeaveFactory,
    MeasureTypeFactory,
    PositionFactory,
    signed_agreement,
)

D = datetime.date
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def measures(*pairs):
    return [
        services.MeasureData(measure_type=t, element=t.element, amount=amount, quantity=quantity)
        for t, amount, quantity in pairs
    ]


def draft(world, **kwargs):
    values = {
        "template_version": services.default_template_version(),
        "percentage": Decimal(100),
        "start_date": D(2024, 1, 1),
        "end_date": D(2028, 12, 31),
        "contact_name": "Kari Leder",
        "contact_title": "Kommuneoverlege",
    }
    values.update(kwargs)
    insurance = MeasureType.objects.get(name="Sykefraværsforsikring")
    return services.agreement_create(
        employment=world.employment_a,
        by=world.manager_a,
        measures=measures((insurance, Decimal(15000), None)),
        **values,
    )


SCAN = b"%PDF-1.4\n% scanned signed copy\n"


def scan(name="signert.pdf", data=SCAN):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# The state machine


def test_draft_send_sign_end(world):
    agreement = draft(world)
    assert agreement.status == AgreementStatus.DRAFT

    services.agreement_send(agreement=agreement, by=world.manager_a)
    assert agreement.status == AgreementStatus.SENT and agreement.sent_at

    agreement = services.agreement_sign(
        agreement=agreement, by=world.manager_a, signed_on=D(2024, 2, 1), scan=scan()
    )
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.valid_from == D(2024, 2, 1)  # valid from signing, not from the start
    assert agreement.scan_sha256 == hashlib.sha256(SCAN).hexdigest()

    services.agreement_end(
        agreement=agreement,
        by=world.manager_a,
        ended_on=D(2025, 6, 30),
        reason=EndReason.GRANT_REFUSED,
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_on, agreement.end_reason) == (
        AgreementStatus.ENDED,
        D(2025, 6, 30),
        EndReason.GRANT_REFUSED,
    )
    assert agreement.effective_end == D(2025, 6, 30)
    kinds = [h.status for h in agreement.history.order_by("history_date")]
    assert kinds == ["draft", "sent", "signed", "ended"]


def test_a_sent_agreement_can_be_taken_back_to_change_it(world):
    agreement = draft(world)
    services.agreement_send(agreement=agreement, by=world.manager_a)
    with pytest.raises(ValidationError):
        services.agreement_update(
            agreement=agreement, by=world.manager_a, measures=[], **_fields(agreement)
        )
    services.agreement_withdraw(agreement=agreement, by=world.manager_a)
    services.agreement_update(
        agreement=agreement,
        by=world.manager_a,
        measures=[],
        **{**_fields(agreement), "contact_name": "Per Leder"},
    )
    assert Agreement.objects.get().contact_name == "Per Leder"


def _fields(agreement):
    return {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("sign_draft", AgreementStatus.DRAFT),
        ("send_signed", AgreementStatus.SIGNED),
        ("end_draft", AgreementStatus.DRAFT),
        ("withdraw_signed", AgreementStatus.SIGNED),
        ("delete_signed", AgreementStatus.SIGNED),
        ("new_version_of_draft", AgreementStatus.DRAFT),
    ],
)
def test_steps_out_of_order_are_refused(world, step, status):
    agreement = (
        signed_agreement(world.employment_a) if status == AgreementStatus.SIGNED else draft(world)
    )
    by = world.manager_a
    attempts = {
        "sign_draft": lambda: services.agreement_sign(
            agreement=agreement, by=by, signed_on=D(2024, 1, 5)
        ),
        "send_signed": lambda: services.agreement_send(agreement=agreement, by=by),
        "end_draft": lambda: services.agreement_end(
            agreement=agreement, by=by, ended_on=D(2025, 1, 1), reason=EndReason.TERMINATED
        ),
        "withdraw_signed": lambda: services.agreement_withdraw(agreement=agreement, by=by),
        "delete_signed": lambda: services.agreement_delete(agreement=agreement, by=by),
        "new_version_of_draft": lambda: services.agreement_new_version(agreement=agreement, by=by),
    }
    with pytest.raises(ValidationError):
        attempts[step]()
    assert Agreement.objects.get(pk=agreement.pk).status == status


def test_a_signing_date_in_the_future_is_refused(world, time_machine):
    time_machine.move_to(D(2024, 3, 1))
    agreement = draft(world)
    services.agreement_send(agreement=agreement, by=world.manager_a)
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(agreement=agreement, by=world.manager_a, signed_on=D(2024, 3, 2))
    assert "signed_on" in error.value.message_dict
    assert Agreement.objects.get().status == AgreementStatus.SENT


def test_only_a_draft_is_deleted(world):
    agreement = draft(world)
    services.agreement_delete(agreement=agreement, by=world.manager_a)
    assert not Agreement.objects.exists()
    assert Agreement.history.filter(history_type="-").count() == 1


def test_one_agreement_is_drafted_at_a_time(world):
    draft(world)
    with pytest.raises(ValidationError):
        draft(world)
    assert Agreement.objects.count() == 1


def test_only_the_municipalitys_people_change_its_agreements(world):
    agreement = draft(world)
    for person in (world.manager_b, world.alis_a, world.supervisor_a, world.outsider):
        with pytest.raises(PermissionDenied):
            services.agreement_send(agreement=agreement, by=person)
    services.agreement_send(agreement=agreement, by=world.adviser)


# The agreement's period


def test_an_agreement_outside_its_employment_is_refused(world):
    world.employment_a.end_date = D(2027, 12, 31)
    world.employment_a.save()
    with pytest.raises(ValidationError) as early:
        draft(world, start_date=D(2023, 12, 31))
    assert "start_date" in early.value.message_dict
    with pytest.raises(ValidationError) as late:
        draft(world, end_date=D(2028, 1, 1))
    assert "end_date" in late.value.message_dict
    assert not Agreement.objects.exists()


def test_dates_in_the_wrong_order_and_too_high_a_percentage_are_refused(world):
    with pytest.raises(ValidationError) as order:
        draft(world, start_date=D(2025, 1, 1), end_date=D(2024, 12, 31))
    assert "end_date" in order.value.message_dict
    world.employment_a.percentage = Decimal(60)
    world.employment_a.save()
    with pytest.raises(ValidationError) as share:
        draft(world, percentage=Decimal(80))
    assert "percentage" in share.value.message_dict


def test_five_years_at_full_time(world):
    draft(world, start_date=D(2024, 1, 1), end_date=D(2028, 12, 31))
    Agreement.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        draft(world, start_date=D(2024, 1, 1), end_date=D(2029, 1, 1))
    assert "31.12.2028" in str(error.value.message_dict["end_date"])


def test_part_time_stretches_the_five_years(world):
    world.employment_a.percentage = Decimal(50)
    world.employment_a.save()
    agreement = draft(world, percentage=Decimal(50), end_date=D(2033, 12, 31))
    assert services.agreement_latest_end(agreement) == D(2033, 12, 31)
    Agreement.objects.all().delete()
    with pytest.raises(ValidationError):
        draft(world, percentage=Decimal(50), end_date=D(2034, 1, 1))


def test_leave_stretches_the_five_years(world):
    LeaveFactory(
        employment=world.employment_a,
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        percentage=Decimal(100),
    )
    agreement = draft(world, end_date=D(2029, 12, 31))
    assert services.agreement_latest_end(agreement) == D(2029, 12, 31)


def test_the_agreement_ends_when_the_employment_ends(world, time_machine):
    agreement = signed_agreement(world.employment_a, end_date=D(2028, 12, 31))
    services.employment_update(
        employment=world.employment_a,
        by=world.manager_a,
        start_date=world.employment_a.start_date,
        end_date=D(2025, 5, 31),
        percentage=Decimal(100),
        via_temp_agency=False,
    )
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.effective_end == D(2025, 5, 31)
    assert services.agreements_close_expired(on=D(2025, 5, 31)) == 0
    assert services.agreements_close_expired(on=D(2025, 6, 1)) == 1
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason, agreement.ended_on) == (
        AgreementStatus.ENDED,
        EndReason.DOCTOR_LEFT,
        D(2025, 5, 31),
    )
    assert services.agreements_close_expired(on=D(2025, 6, 2)) == 0


def test_an_agreement_whose_period_is_over_is_closed_as_such(db):
    employment = EmploymentFactory(start_date=D(2020, 1, 1))
    agreement = signed_agreement(employment, end_date=D(2024, 12, 31))
    services.agreements_close_expired(on=D(2025, 1, 1))
    agreement.refresh_from_db()
    assert agreement.end_reason == EndReason.PERIOD_OVER


# Freezing


@needs_pdftotext
def test_signing_freezes_the_pdf_with_its_checksum_and_the_merge_fields(world):
    supervision = MeasureTypeFactory(
        name="Ekstra veiledning", measured_in="quantity", unit="timer per måned"
    )
    agreement = draft(world, percentage=Decimal(100))
    AgreementMeasureFactory(
        agreement=agreement, measure_type=supervision, quantity=Decimal(2), amount=Decimal(24000)
    )
    world.position_a.title = "ALIS-stilling Øvre Årdal"
    world.position_a.save()
    services.agreement_send(agreement=agreement, by=world.manager_a)
    agreement = services.agreement_sign(
        agreement=agreement, by=world.manager_a, signed_on=D(2024, 1, 15)
    )

    stored = agreement.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == agreement.pdf_sha256
    text = pdf_text(stored)
    for value in [
        "Sogndal kommune",
        "Kari Leder",
        "Ola Lege",
        "1234567",  # HPR number
        "ALIS-stilling Øvre Årdal",
        "100 %",
        "1. januar 2024",
        "31. desember 2028",
        "Ekstra veiledning",
        "2 timer per måned",
        "kr 24 000",
        "Sykefraværsforsikring",
        "kr 15 000",
        "15. januar 2024",
        "Side 1 av",
    ]:
        assert value in text, value
    assert "UTKAST" not in text


def test_a_signed_agreement_cannot_be_changed_and_its_pdf_is_not_rendered_again(world):
    agreement = signed_agreement(world.employment_a)
    checksum, name = agreement.pdf_sha256, agreement.pdf.name
    world.alis_a.first_name = "Endret"
    world.alis_a.save()
    with pytest.raises(ValidationError):
        services.agreement_update(
            agreement=agreement, by=world.manager_a, measures=[], **_fields(agreement)
        )
    agreement.refresh_from_db()
    assert (agreement.pdf_sha256, agreement.pdf.name) == (checksum, name)
    assert hashlib.sha256(agreement.pdf.read()).hexdigest() == checksum


def test_a_new_version_leaves_the_signed_one_unchanged_until_it_is_signed(world):
    first = signed_agreement(world.employment_a, end_date=D(2028, 12, 31))
    checksum = first.pdf_sha256
    second = services.agreement_new_version(agreement=first, by=world.manager_a)
    assert (second.version, second.replaces, second.status) == (2, first, AgreementStatus.DRAFT)
    assert [m.amount for m in second.measures.all()] == [m.amount for m in first.measures.all()]

    services.agreement_update(
        agreement=second,
        by=world.manager_a,
        measures=measures((MeasureType.objects.get(name="Inntektsgaranti"), Decimal(90000), None)),
        **{**_fields(second), "start_date": D(2026, 1, 1)},
    )
    first.refresh_from_db()
    assert first.status == AgreementStatus.SIGNED
    assert [m.measure_type.name for m in first.measures.all()] != ["Inntektsgaranti"]

    services.agreement_send(agreement=second, by=world.manager_a)
    services.agreement_sign(agreement=second, by=world.manager_a, signed_on=D(2026, 1, 10))
    first.refresh_from_db()
    assert (first.status, first.end_reason, first.ended_on) == (
        AgreementStatus.ENDED,
        EndReason.REPLACED,
        D(2026, 1, 9),
    )
    assert first.pdf_sha256 == checksum
    assert hashlib.sha256(first.pdf.read()).hexdigest() == checksum


def test_the_database_keeps_one_signed_agreement_per_employment(world):
    from django.db import IntegrityError, transaction

    first = signed_agreement(world.employment_a)
    copy = AgreementFactory(employment=world.employment_a, version=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=copy.pk).update(
            status="signed", signed_on=first.signed_on, pdf_sha256="x"
        )


# The signed scan


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.exe", b"MZ\x90\x00"),
        ("scan.pdf", b"<html>not a pdf</html>"),
        ("scan.png", b"%PDF-1.4 wrong suffix"),
    ],
)
def test_a_scan_that_is_not_a_pdf_or_image_is_refused(world, name, data):
    agreement = signed_agreement(world.employment_a)
    with pytest.raises(ValidationError):
        services.agreement_attach_scan(
            agreement=agreement, by=world.manager_a, scan=scan(name, data)
        )
    agreement.refresh_from_db()
    assert not agreement.scan


def test_a_too_large_scan_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    agreement = signed_agreement(world.employment_a)
    big = scan("stor.pdf", SCAN + b"x" * 200)
    with pytest.raises(ValidationError):
        services.agreement_attach_scan(agreement=agreement, by=world.manager_a, scan=big)


def test_a_scan_belongs_to_a_signed_agreement(world):
    agreement = draft(world)
    with pytest.raises(ValidationError):
        services.agreement_attach_scan(agreement=agreement, by=world.manager_a, scan=scan())


def test_ending_soon_finds_signed_agreements_within_90_days(world):
    other = EmploymentFactory(position=PositionFactory(municipality=world.muni_b))
    soon = signed_agreement(world.employment_a, end_date=D(2026, 3, 1))
    signed_agreement(other, end_date=D(2026, 6, 1))
    found = Agreement.objects.ending_within(90, on=D(2026, 1, 1))
    assert list(found) == [soon]
    assert soon.ends_within(90, on=D(2026, 1, 1))
    assert not soon.ends_within(90, on=D(2025, 11, 1))


def test_measures_need_their_quantity_or_amount(world):
    supervision = MeasureTypeFactory(name="Veiledning", measured_in="quantity", unit="timer")
    with pytest.raises(ValidationError):
        services.agreement_create(
            employment=world.employment_a,
            by=world.manager_a,
            measures=measures((supervision, Decimal(1000), None)),
            **_fields(AgreementFactory.build(employment=world.employment_a)),
        )
    assert not Agreement.objects.exists()


def test_the_daily_task_closes_expired_agreements(db, time_machine):
    from alis_agreements.tasks import close_expired_agreements

    employment = EmploymentFactory(start_date=D(2020, 1, 1))
    agreement = signed_agreement(employment, end_date=D(2024, 12, 31))
    time_machine.move_to(datetime.datetime(2025, 1, 2, 3, tzinfo=datetime.UTC))
    assert close_expired_agreements.delay().get() == 1
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
