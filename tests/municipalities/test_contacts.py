"""Contacts and practices: kept up to date by the office and by the municipality itself."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from municipalities.models import Contact, Practice
from municipalities.services import (
    contact_create,
    contact_deactivate,
    practice_create,
    practice_deactivate,
)
from tests.municipalities.factories import ContactFactory, PracticeFactory


def detail_url(m):
    return reverse("municipalities:municipality_detail", args=[m.number])


@pytest.mark.parametrize("persona", ["adviser", "manager_a"])
def test_advisers_and_the_municipalitys_managers_add_contacts(world, persona):
    contact = contact_create(
        municipality=world.muni_a,
        by=world.user(persona),
        data={"name": "Kari Nordmann", "function": "chief_medical_officer", "email": "k@n.no"},
    )
    assert contact.is_active and contact.municipality == world.muni_a


@pytest.mark.parametrize("persona", ["manager_b", "alis_a", "outsider"])
def test_others_cannot_add_contacts(world, persona):
    with pytest.raises(PermissionDenied):
        contact_create(
            municipality=world.muni_a,
            by=world.user(persona),
            data={"name": "X", "function": "other"},
        )


def test_deactivating_keeps_the_contact_and_its_history(world):
    contact = ContactFactory(municipality=world.muni_a)
    contact_deactivate(contact=contact, by=world.manager_a)
    contact.refresh_from_db()
    assert not contact.is_active
    assert contact.history.count() == 2


def test_practices_are_added_and_deactivated(world):
    practice = practice_create(
        municipality=world.muni_a,
        by=world.adviser,
        data={"name": "Sogndal legesenter", "ownership": "private"},
    )
    practice_deactivate(practice=practice, by=world.adviser)
    practice.refresh_from_db()
    assert not practice.is_active


@pytest.mark.parametrize("persona", ["adviser", "manager_a"])
def test_adding_a_contact_from_the_municipality_page(world, client_for, persona):
    client = client_for(world.user(persona))
    url = reverse("municipalities:contact_create", args=[world.muni_a.number])
    assert url in client.get(detail_url(world.muni_a)).content.decode()
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "name": "Ingrid Haugland",
            "function": "health_leader",
            "title": "Kommunalsjef",
            "email": "ingrid@sogndal.example",
            "phone": "57 62 00 00",
        },
    )

    assert response.status_code == 302 and response["Location"].startswith(detail_url(world.muni_a))
    assert Contact.objects.get().name == "Ingrid Haugland"


def test_a_bad_e_mail_is_shown_beside_its_field(world, client_for):
    url = reverse("municipalities:contact_create", args=[world.muni_a.number])
    response = client_for(world.adviser).post(
        url, {"name": "X", "function": "other", "email": "not-an-address"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Contact.objects.exists()


def test_editing_a_contact_can_reactivate_it(world, client_for):
    contact = ContactFactory(municipality=world.muni_a, is_active=False, name="Gammel")
    url = reverse("municipalities:contact_update", args=[contact.pk])

    response = client_for(world.manager_a).post(
        url,
        {"name": "Ny", "function": "other", "is_active": "on", "email": "", "phone": ""},
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.is_active) == ("Ny", True)


def test_deactivate_from_the_page(world, client_for):
    contact = ContactFactory(municipality=world.muni_a)
    url = reverse("municipalities:contact_deactivate", args=[contact.pk])
    client = client_for(world.manager_a)
    assert url in client.get(detail_url(world.muni_a)).content.decode()

    response = client.post(url)

    assert response.status_code == 302
    contact.refresh_from_db()
    assert not contact.is_active
    html = client.get(detail_url(world.muni_a)).content.decode()
    assert "Inactive" in html or "Inaktiv" in html


def test_practice_pages(world, client_for):
    client = client_for(world.adviser)
    create = reverse("municipalities:practice_create", args=[world.muni_a.number])
    response = client.post(create, {"name": "Sogndal legekontor", "ownership": "municipal"})
    assert response.status_code == 302
    practice = Practice.objects.get()

    response = client.post(
        reverse("municipalities:practice_update", args=[practice.pk]),
        {
            "name": "Sogndal legekontor",
            "ownership": "municipal",
            "address": "Gravensteinsgata 8",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.address == "Gravensteinsgata 8" and practice.is_active

    deactivate = reverse("municipalities:practice_deactivate", args=[practice.pk])
    assert client.post(deactivate).status_code == 302
    practice.refresh_from_db()
    assert not practice.is_active


def test_practice_of_another_municipality_is_not_found_for_a_manager(world, client_for):
    practice = PracticeFactory(municipality=world.muni_b)
    url = reverse("municipalities:practice_update", args=[practice.pk])
    assert client_for(world.manager_a).get(url).status_code == 404


def test_contact_of_another_municipality_is_not_found_for_a_manager(world, client_for):
    contact = ContactFactory(municipality=world.muni_b)
    client = client_for(world.manager_a)
    update = reverse("municipalities:contact_update", args=[contact.pk])
    deactivate = reverse("municipalities:contact_deactivate", args=[contact.pk])
    assert client.get(update).status_code == 404
    assert client.post(deactivate).status_code == 404
    contact.refresh_from_db()
    assert contact.is_active
