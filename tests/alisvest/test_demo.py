"""`make run` creates the demo world: a login for every role, and nothing twice."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
    }


def test_seed_demo_twice_changes_nothing_and_every_role_can_log_in():
    call_command("import_municipalities", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = row_counts()

    call_command("seed_demo", stdout=io.StringIO())

    changed = {k: (v, row_counts()[k]) for k, v in first.items() if row_counts()[k] != v}
    assert not changed, f"seed_demo made these twice: {changed}"
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    printed = out.getvalue()
    for role in Role.values:
        holders = RoleAssignment.objects.filter(role=role).values_list("user__email", flat=True)
        assert any(email in printed for email in holders), f"no demo login printed for {role}"
