"""Who reaches which page of positions, employments, agreements, templates and grants.

The region's advisers and the municipality's managers see and change its positions,
employments and agreements; the ALIS reads their own employment and their agreement once it
is sent for signature (writes: 403); supervisors and outsiders see nothing (404). Templates,
measure types and rate tables are the advisers' (managers read the rate tables).
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from alis_agreements.models import Agreement, AgreementStatus, AgreementTemplate, MeasureType
from alisvest.documents import sha256_hex
from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.alis_agreements.factories import (
    AgreementFactory,
    AgreementMeasureFactory,
    GrantTableFactory,
    LeaveFactory,
)

PDF = b"%PDF-1.4\n% a signed agreement in a test\n"


def _pk(obj):
    return {"pk": obj.pk}


def _draft(w):
    agreement = AgreementFactory(employment=w.employment_a)
    AgreementMeasureFactory(agreement=agreement)
    return agreement


def _sent(w):
    agreement = _draft(w)
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SENT)
    return _pk(agreement)


def _signed(w):
    """A signed agreement with a stored PDF and scan (made directly: the matrix is about who
    reaches the pages, the services' tests are about signing)."""
    agreement = _draft(w)
    agreement.pdf.save("avtale.pdf", ContentFile(PDF), save=False)
    agreement.scan.save("skann.pdf", ContentFile(PDF), save=False)
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_on = datetime.date(2024, 1, 1)
    agreement.pdf_sha256 = agreement.scan_sha256 = sha256_hex(PDF)
    agreement.save()
    return _pk(agreement)


def _leave(w):
    return _pk(LeaveFactory(employment=w.employment_a, percentage=Decimal(100)))


def _template(w):
    return _pk(AgreementTemplate.objects.get(is_default=True))


def _template_version(w):
    return _pk(AgreementTemplate.objects.get(is_default=True).current_version())


def _measure_type(w):
    return _pk(MeasureType.objects.first())


def _table(w):
    return _pk(GrantTableFactory(year=2026))


def _scheme(w):
    return _pk(GrantTableFactory(year=2026).scheme)


def _summary(w):
    return {"number": w.muni_a.number, "year": 2026}


# Who may do what
EDITORS = {"adviser": OK, "manager_a": OK}
EDITORS_POST = {"adviser": REDIRECT, "manager_a": REDIRECT}
READ_WITH_ALIS = {**EDITORS, "alis_a": OK}
ALIS_READS_ONLY = {**EDITORS, "alis_a": FORBIDDEN}
ALIS_READS_ONLY_POST = {**EDITORS_POST, "alis_a": FORBIDDEN}
ADVISERS = {"adviser": OK}
ADVISERS_POST = {"adviser": REDIRECT}
ADVISERS_WRITE_MANAGERS_READ = {"adviser": OK, "manager_a": OK, "manager_b": OK}
ADVISERS_WRITE = {"adviser": OK, "manager_a": FORBIDDEN, "manager_b": FORBIDDEN}

ACCESS = {
    # Positions (the municipality's managers and the region's advisers)
    "alis_agreements:position_detail": Access(build=lambda w: _pk(w.position_a), expect=EDITORS),
    "alis_agreements:position_update": Access(build=lambda w: _pk(w.position_a), expect=EDITORS),
    "alis_agreements:employment_create": Access(build=lambda w: _pk(w.position_a), expect=EDITORS),
    # Employments and leave: the ALIS reads their own
    "alis_agreements:employment_detail": Access(
        build=lambda w: _pk(w.employment_a), expect=READ_WITH_ALIS
    ),
    "alis_agreements:employment_update": Access(
        build=lambda w: _pk(w.employment_a), expect=ALIS_READS_ONLY
    ),
    "alis_agreements:alis_detail": Access(build=lambda w: _pk(w.alis_a), expect=READ_WITH_ALIS),
    "alis_agreements:leave_create": Access(
        build=lambda w: _pk(w.employment_a), expect=ALIS_READS_ONLY
    ),
    "alis_agreements:leave_update": Access(build=_leave, expect=ALIS_READS_ONLY),
    "alis_agreements:leave_delete": Access(
        build=_leave, expect=ALIS_READS_ONLY_POST, method="post"
    ),
    # Agreements: a draft is the municipality's; the ALIS reads it once sent
    "alis_agreements:agreement_create": Access(
        build=lambda w: _pk(w.employment_a), expect=ALIS_READS_ONLY
    ),
    "alis_agreements:agreement_detail": Access(build=_sent, expect=READ_WITH_ALIS),
    "alis_agreements:agreement_history": Access(build=_sent, expect=READ_WITH_ALIS),
    "alis_agreements:agreement_preview": Access(build=_sent, expect=READ_WITH_ALIS),
    "alis_agreements:agreement_update": Access(build=lambda w: _pk(_draft(w)), expect=EDITORS),
    "alis_agreements:agreement_send": Access(
        build=lambda w: _pk(_draft(w)), expect=EDITORS_POST, method="post"
    ),
    "alis_agreements:agreement_delete": Access(
        build=lambda w: _pk(_draft(w)), expect=EDITORS_POST, method="post"
    ),
    "alis_agreements:agreement_withdraw": Access(
        build=_sent, expect=ALIS_READS_ONLY_POST, method="post"
    ),
    "alis_agreements:agreement_sign": Access(build=_sent, expect=ALIS_READS_ONLY),
    "alis_agreements:agreement_pdf": Access(build=_signed, expect=READ_WITH_ALIS),
    "alis_agreements:agreement_scan": Access(build=_signed, expect=READ_WITH_ALIS),
    "alis_agreements:agreement_scan_upload": Access(build=_signed, expect=ALIS_READS_ONLY),
    "alis_agreements:agreement_end": Access(build=_signed, expect=ALIS_READS_ONLY),
    "alis_agreements:agreement_new_version": Access(
        build=_signed, expect=ALIS_READS_ONLY_POST, method="post"
    ),
    # Templates and measure types: the office's advisers
    "alis_agreements:template_detail": Access(build=_template, expect=ADVISERS),
    "alis_agreements:template_version_create": Access(build=_template, expect=ADVISERS),
    "alis_agreements:template_make_default": Access(
        build=_template, expect=ADVISERS_POST, method="post"
    ),
    "alis_agreements:template_version_preview": Access(build=_template_version, expect=ADVISERS),
    "alis_agreements:measure_type_update": Access(build=_measure_type, expect=ADVISERS),
    # Grants: advisers keep the rate tables, managers read them and their summary
    "alis_agreements:grant_scheme_update": Access(build=_scheme, expect=ADVISERS),
    "alis_agreements:grant_table_create": Access(build=_scheme, expect=ADVISERS),
    "alis_agreements:grant_table_detail": Access(build=_table, expect=ADVISERS_WRITE_MANAGERS_READ),
    "alis_agreements:grant_table_update": Access(build=_table, expect=ADVISERS_WRITE),
    "alis_agreements:grant_summary": Access(build=_summary, expect=EDITORS),
    "alis_agreements:grant_summary_xlsx": Access(build=_summary, expect=EDITORS),
}
