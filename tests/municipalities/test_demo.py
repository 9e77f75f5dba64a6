import io

import pytest
from django.core.management import call_command

from municipalities.models import FollowUpEntry, Municipality, NextAction

pytestmark = pytest.mark.django_db


def test_demo_data_shows_the_follow_up_log_and_is_made_once():
    call_command("import_municipalities", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    counts = (FollowUpEntry.objects.count(), NextAction.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (FollowUpEntry.objects.count(), NextAction.objects.count()) == counts
    lærdal = Municipality.objects.get(number="4642")
    actions = NextAction.objects.filter(entry__municipality=lærdal)
    assert actions.open().exists() and actions.filter(done_at__isnull=False).exists()
    assert actions.overdue().exists()
