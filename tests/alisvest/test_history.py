import pytest
from django.utils import translation

from alisvest.history import change_history
from tests.municipalities.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_changes_name_the_field_and_both_values_newest_first(world):
    contact = ContactFactory(municipality=world.muni_a, name="Kari", phone="111")
    contact.name = "Kari Nordmann"
    contact.save()
    contact.phone = "222"
    contact.save()
    with translation.override("en"):
        history = change_history(contact)
        assert [c.kind for c in history] == ["Changed", "Changed", "Created"]
        assert [(f.label, f.old, f.new) for f in history[0].changes] == [("phone", "111", "222")]
        assert history[2].changes == []


def test_hidden_fields_show_a_change_but_not_the_text(world):
    contact = ContactFactory(municipality=world.muni_a, phone="111")
    contact.phone = "secret"
    contact.save()
    change = change_history(contact, hidden=("phone",))[0].changes[0]
    assert "secret" not in (change.old + change.new)


def test_dates_times_and_yes_no_read_as_people_write_them(world):
    import datetime

    from django.utils import timezone

    from tests.municipalities.factories import NextActionFactory

    action = NextActionFactory(owner=world.adviser, due_date=datetime.date(2026, 12, 1))
    action.due_date = datetime.date(2026, 12, 24)
    action.done_at = timezone.make_aware(datetime.datetime(2026, 12, 2, 23, 30))
    action.save()
    contact = ContactFactory(municipality=world.muni_a)
    contact.is_active = False
    contact.save()
    with translation.override("nb"):
        changes = sorted((f.old, f.new) for f in change_history(action)[0].changes)
        assert changes == [("01.12.2026", "24.12.2026"), ("–", "02.12.2026 23:30")]
        active = change_history(contact)[0].changes[0]
        assert (active.old, active.new) == ("ja", "nei")


def test_a_timeline_merges_records_and_keeps_deleted_ones(world):
    from alisvest.history import timeline
    from municipalities.models import Contact

    kept = ContactFactory(municipality=world.muni_a, name="Kari", phone="111")
    gone = ContactFactory(municipality=world.muni_a, name="Per")
    kept.phone = "222"
    kept.save()
    gone.delete()
    with translation.override("en"):
        changes = timeline(
            (Contact.history.filter(municipality_id=world.muni_a.pk), lambda row: row.name)
        )
    assert [(c.subject, c.kind) for c in changes] == [
        ("Per", "Deleted"),
        ("Kari", "Changed"),
        ("Per", "Created"),
        ("Kari", "Created"),
    ]
    assert [(f.old, f.new) for f in changes[1].changes] == [("111", "222")]
