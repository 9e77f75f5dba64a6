"""Two-factor authentication is required for advisers and managers, optional for the others."""

import datetime
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.accounts.factories import PASSWORD, RoleAssignmentFactory, UserFactory

REQUIRED = reverse("accounts:two_factor_required")


def logged_in(client, user):
    client.force_login(user)  # no authenticator: what a person has right after their invitation
    return client


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("persona", ["adviser", "manager_a"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("municipalities:municipality_list"),
        reverse("accounts:my_account"),
        reverse("accounts:role_assignment_list"),
        "/admin/",
    ],
)
def test_advisers_and_managers_without_an_authenticator_are_sent_to_set_one_up(
    world, client, persona, url
):
    response = logged_in(client, world.user(persona)).get(url)
    assert response.status_code == 302
    assert response["Location"] == REQUIRED


def test_a_form_post_is_refused_too(world, client):
    response = logged_in(client, world.manager_a).post(
        reverse("accounts:invitation_create"), {"email": "x@example.no"}
    )
    assert response.status_code == 302 and response["Location"] == REQUIRED


def test_an_htmx_request_is_redirected_by_htmx(world, client):
    response = logged_in(client, world.adviser).get(
        reverse("municipalities:municipality_list"), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == REQUIRED


@pytest.mark.parametrize(
    "url",
    [REQUIRED, reverse("mfa_index"), reverse("account_reauthenticate"), "/static/css/portal.css"],
)
def test_the_two_factor_pages_logout_and_static_files_still_work(world, client, url):
    response = logged_in(client, world.manager_a).get(url)
    assert response.status_code == 200


def test_logging_out_still_works(world, client):
    client = logged_in(client, world.manager_a)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_page_explains_and_leads_to_the_authenticator_setup(world, client):
    response = logged_in(client, world.manager_a).get(REQUIRED, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "As a municipal manager" in body
    assert reverse("mfa_activate_totp") in body


@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "outsider"])
def test_it_is_optional_for_the_other_roles(world, client, persona):
    client = logged_in(client, world.user(persona))
    assert client.get(reverse("home")).status_code == 200
    # The explanation page does not hold them either.
    assert client.get(REQUIRED)["Location"] == reverse("home")


def test_a_role_granted_later_brings_the_requirement(world, client):
    client = logged_in(client, world.supervisor_a)
    assert client.get(reverse("home")).status_code == 200
    RoleAssignmentFactory(
        user=world.supervisor_a,
        role=Role.MANAGER,
        municipality=world.muni_a,
        valid_from=timezone.localdate(),
    )
    assert client.get(reverse("home"))["Location"] == REQUIRED


def test_a_role_beginning_tomorrow_brings_it_tomorrow(world, client, time_machine):
    evening = timezone.make_aware(datetime.datetime(2026, 11, 23, 23, 0))
    time_machine.move_to(evening, tick=False)
    RoleAssignmentFactory(
        user=world.supervisor_a,
        role=Role.MANAGER,
        municipality=world.muni_a,
        valid_from=datetime.date(2026, 11, 24),
    )
    client = logged_in(client, world.supervisor_a)
    assert client.get(reverse("home")).status_code == 200
    time_machine.move_to(evening + datetime.timedelta(hours=1, minutes=30), tick=False)
    assert client.get(reverse("home"))["Location"] == REQUIRED


def test_staff_admin_needs_it_too(db, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert logged_in(client, admin).get("/admin/")["Location"] == REQUIRED


def test_with_an_authenticator_everything_opens_and_the_person_goes_on(world, client):
    client = logged_in(client, world.adviser)
    client.get(reverse("accounts:role_assignment_list") + "?role=alis")
    TOTP.activate(world.adviser, generate_totp_secret())
    assert client.get(reverse("home")).status_code == 200
    # From the recovery codes page, "Continue" leads to where they were going.
    response = client.get(reverse("accounts:two_factor_done"))
    assert response["Location"] == reverse("accounts:role_assignment_list") + "?role=alis"


def test_the_whole_setup_after_logging_in(world, client):
    """Log in with the password, set up the app (allauth asks for the password once more, as
    for any change to two-factor), see the recovery codes, continue to the page."""
    login = client.post(
        reverse("account_login"), {"login": world.manager_a.email, "password": PASSWORD}
    )
    assert login.status_code == 302
    assert client.get(reverse("home"))["Location"] == REQUIRED

    activate_url = reverse("mfa_activate_totp")
    response = client.get(activate_url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(activate_url)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(activate_url, {"code": code_for(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert len(codes.context["unused_codes"]) == 10
    assert reverse("accounts:two_factor_done") in codes.content.decode()
    assert client.get(reverse("accounts:two_factor_done"))["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert Authenticator.objects.filter(user=world.manager_a).count() == 2  # TOTP and codes


def test_advisers_and_managers_cannot_switch_it_off(world, client_for):
    client = client_for(world.manager_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Authenticator.objects.filter(user=world.manager_a, type=Authenticator.Type.TOTP).exists()


def test_others_may_switch_it_off(world, client):
    TOTP.activate(world.alis_a, generate_totp_secret())
    client.force_login(world.alis_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(
        user=world.alis_a, type=Authenticator.Type.TOTP
    ).exists()
