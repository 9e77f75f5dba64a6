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
