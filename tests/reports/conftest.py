import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    """The figures' titles and the pages in the source language, as the tests spell them."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
