"""`next` from a form: a path on this site, or the fallback — never a 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from alisvest.redirects import safe_next
from tests.education_plans.factories import LearningActivityFactory

FALLBACK = "/fallback/"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/kommuner/4640/?tab=1#followup-h", "/kommuner/4640/?tab=1#followup-h"),
        ("", FALLBACK),
        ("https://evil.example/", FALLBACK),
        ("//evil.example/", FALLBACK),
        # A bare word would be read by redirect() as a URL name: NoReverseMatch, a 500.
        ("home", FALLBACK),
        ("før\x00etter", FALLBACK),
        ("/x\r\nSet-Cookie: a=b", FALLBACK),
        ("/\x00", FALLBACK),
    ],
)
def test_safe_next(next_url, expected):
    request = RequestFactory().post("/", {"next": next_url})
    assert safe_next(request, FALLBACK) == expected


def test_safe_next_reads_the_query_string_too():
    request = RequestFactory().get("/", {"next": "/varsler/"})
    assert safe_next(request, FALLBACK) == "/varsler/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["før\x00etter", "activity_list"])
def test_confirming_with_a_hostile_next_goes_to_the_activity(world, client_for, next_url):
    activity = LearningActivityFactory(alis=world.alis_a, status="done")
    client = client_for(world.supervisor_a)
    url = reverse("education_plans:activity_confirm", args=[activity.pk])
    response = client.post(url, {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("education_plans:activity_detail", args=[activity.pk])
    activity.refresh_from_db()
    assert activity.confirmed_by == world.supervisor_a
