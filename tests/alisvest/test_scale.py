"""The scale generator: marked, deterministic, and the sizes it promises."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from alis_agreements.models import Employment
from alisvest import scale
from education_plans.models import EducationPlan, LearningActivity
from municipalities.models import FollowUpEntry, Municipality
from tests.municipalities.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db

TINY = scale.Scale("tiny", 12, 3, 20, 5, 200, 60, 4, 40)


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setitem(scale.SCALES, "tiny", TINY)
    region = RegionFactory(code="vest")
    for i in range(5):
        MunicipalityFactory(number=f"46{i:02d}", region=region)


def fingerprint() -> str:
    rows = [
        *FollowUpEntry.objects.order_by("date", "municipality__number", "kind").values_list(
            "municipality__number", "date", "kind", "created_by__email"
        ),
        *Employment.objects.order_by("alis__email").values_list(
            "alis__email", "position__municipality__number", "start_date", "percentage"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_sizes_and_marking(tiny):
    call_command("generate_scale_data", scale="tiny", no_progress=True)
    assert Municipality.objects.count() == TINY.municipalities
    assert Municipality.objects.filter(name__startswith="Syntetisk kommune").count() == 7
    assert FollowUpEntry.objects.count() == TINY.follow_up_entries
    alis = RoleAssignment.objects.filter(role=Role.ALIS)
    assert alis.count() == TINY.alis
    assert Employment.objects.count() == TINY.alis
    assert EducationPlan.objects.count() == TINY.alis
    assert LearningActivity.objects.filter(kind="individual_supervision").count() == (
        TINY.supervision_sessions
    )
    assert not User.objects.exclude(email__endswith="@syntetisk.invalid").exists()


def test_same_seed_same_data(tiny):
    prints = []
    for _ in range(2):
        with transaction.atomic():
            call_command("generate_scale_data", scale="tiny", no_progress=True)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]


def test_refuses_a_database_with_synthetic_data(tiny):
    call_command("generate_scale_data", scale="tiny", no_progress=True)
    with pytest.raises(CommandError, match="already holds synthetic data"):
        call_command("generate_scale_data", scale="tiny", no_progress=True)


def test_bench_sessions_open_every_bench_page(tiny, client):
    import io
    import json

    call_command("generate_scale_data", scale="tiny", no_progress=True)
    out = io.StringIO()
    call_command("bench_prepare", stdout=out)
    plan = json.loads(out.getvalue())
    assert {p["persona"] for p in plan["pages"]} <= plan["sessions"].keys()
    for page in plan["pages"]:
        client.cookies["sessionid"] = plan["sessions"][page["persona"]]
        response = client.get(page["path"])
        assert response.status_code == 200, (page, response.status_code)
