"""The supervision part of the scale generator: the promised number of sessions, each in the
ledger, with the signed ones confirmed."""

import pytest
from django.core.management import call_command

from alisvest import scale
from education_plans.models import LearningActivity, SupervisionRelationship
from supervision.models import SupervisionSession, Supervisor
from tests.alisvest.test_scale import TINY
from tests.municipalities.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_sessions_relationships_and_ledger_at_scale(monkeypatch):
    monkeypatch.setitem(scale.SCALES, "tiny", TINY)
    region = RegionFactory(code="vest")
    for i in range(5):
        MunicipalityFactory(number=f"46{i:02d}", region=region)
    call_command("generate_scale_data", scale="tiny", no_progress=True)

    assert SupervisionSession.objects.count() == TINY.supervision_sessions
    assert SupervisionRelationship.objects.count() == TINY.alis
    assert Supervisor.objects.count() == TINY.alis * 2 // 3
    ledger = LearningActivity.objects.filter(source_key__startswith="supervision.session:")
    assert ledger.count() == TINY.supervision_sessions
    assert ledger.filter(confirmed_at__isnull=False).count() == (
        SupervisionSession.objects.signed().count()
    )
    first = SupervisionRelationship.objects.values_list("start_date", flat=True)
    assert SupervisionSession.objects.filter(date__lt=min(first)).count() == 0
