import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(client):
    """The tests read messages in English, the source language: services run with English
    active and the test client asks for English pages. (Agreement PDFs are Norwegian always.)"""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
