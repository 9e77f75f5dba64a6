import pytest

pytestmark = pytest.mark.django_db


def test_the_about_page_credits_the_sources(world, client_for):
    page = client_for(world.outsider).get("/om/").content.decode()
    assert "Kartverket" in page and "SSB" in page


def test_the_about_page_needs_a_login(client):
    assert client.get("/om/").status_code == 302


def test_health_check_answers_without_a_login(client):
    assert client.get("/healthz").content == b"ok"
