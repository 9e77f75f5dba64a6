"""The security baseline (DESIGN.md): `check --deploy` clean under production settings, a
Content-Security-Policy on every page, rate-limited login, validated passwords, sessions that
end after two hours idle."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]

# What a production host sets (README, .env.example): nothing else is needed for a clean check.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.alisvest.no",
    "CSRF_TRUSTED_ORIGINS": "https://portal.alisvest.no",
    "SITE_URL": "https://portal.alisvest.no",
}
# Set by a developer's shell, CI or the browser tests (tests/e2e/conftest.py sets
# DJANGO_ALLOW_ASYNC_UNSAFE in this process), never by production: they must not leak in.
UNSET = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_COOKIES",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def manage(*args: str, extra_env: dict | None = None, drop=()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(PRODUCTION_ENV, **(extra_env or {}))
    for name in drop:
        env.pop(name)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_an_insecure_setting():
    """The test above would pass vacuously if the check saw nothing: switching HSTS off is
    reported."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", extra_env={"SECURE_HSTS_SECONDS": "0"}
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    missing = manage("check", drop=["SECRET_KEY"])
    assert missing.returncode != 0
    assert "SECRET_KEY" in missing.stderr
    empty = manage("check", extra_env={"SECRET_KEY": " "})
    assert empty.returncode != 0
    assert "SECRET_KEY is empty" in empty.stderr


# Content-Security-Policy


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/konto/login/", "/konto/password/reset/"])
def test_public_pages_carry_a_strict_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_of_logged_in_people_carry_the_policy_too(world, client_for):
    for user in [world.adviser, world.manager_a, world.alis_a, world.outsider]:
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200
        assert "script-src 'self'" in response["Content-Security-Policy"]


# Login


@pytest.mark.django_db
def test_login_with_the_right_password_works(client):
    user = UserFactory(email="lege@kommune.example")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_is_rate_limited_after_five_failures(client):
    user = UserFactory(email="lege@kommune.example")
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": user.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    # The sixth try is refused even with the right password: a guesser learns nothing.
    response = client.post(
        url, {"login": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_the_limit_is_per_account_too(client):
    """Another address (another IP) does not get five fresh tries at the same account."""
    user = UserFactory(email="lege@kommune.example")
    url = reverse("account_login")
    for n in range(5):
        client.post(url, {"login": user.email, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    client.post(url, {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert "_auth_user_id" not in client.session


# Passwords


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["kort1", "password123", "12345678901234", "kari.nordmann2024"],
    ids=["too-short", "common", "numeric", "like-the-email"],
)
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(email="kari.nordmann2024@kommune.example", first_name="Kari")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_a_long_unusual_password_is_accepted():
    user = UserFactory.build(email="kari@kommune.example")
    validate_password("fjordane-legevakt-tirsdag", user)


# Sessions


@pytest.mark.django_db
def test_a_session_ends_after_two_hours_without_a_request(client):
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200

        # Working through the day: each request starts the two hours again.
        for _ in range(3):
            clock.shift(datetime.timedelta(hours=1, minutes=55))
            assert client.get(reverse("home")).status_code == 200

        clock.shift(datetime.timedelta(hours=2, minutes=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
