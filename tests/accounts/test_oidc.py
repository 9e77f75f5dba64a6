"""OpenID Connect (HelseID or ID-porten), switched on by settings alone and tested against a
stubbed provider: its discovery document, token and userinfo answers are canned HTTP responses
(`responses`), so no test reaches the network.

The rule: a login whose provider vouches for an e-mail address (`email_verified`) opens the
account with that address; any other login is refused with a page that says how to get in.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
import responses
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts import services
from accounts.models import Role, User
from tests.accounts.factories import PASSWORD, invitation_with_token

ROOT = Path(__file__).resolve().parents[2]
SERVER = "https://helseid-sts.test.example"
CLIENT_ID = "alisvest-portal"
CONFIG = {
    "issuer": SERVER,
    "authorization_endpoint": f"{SERVER}/connect/authorize",
    "token_endpoint": f"{SERVER}/connect/token",
    "userinfo_endpoint": f"{SERVER}/connect/userinfo",
    "jwks_uri": f"{SERVER}/.well-known/openid-configuration/jwks",
    "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
}


def providers(output: str) -> dict:
    line = next(x for x in output.splitlines() if x.startswith("PROVIDERS="))
    return json.loads(line.removeprefix("PROVIDERS="))


def test_setting_the_server_url_switches_the_provider_on():
    """settings.py reads OIDC_* from the environment: nothing else is needed."""
    code = "from django.conf import settings; import json; " + (
        "print('PROVIDERS=' + json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    env = {**os.environ, "SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "alisvest.settings"}
    off = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env={k: v for k, v in env.items() if not k.startswith("OIDC_")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert providers(off.stdout) == {}
    on = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env={
            **env,
            "OIDC_SERVER_URL": SERVER,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_PROVIDER_ID": "helseid",
            "OIDC_PROVIDER_NAME": "HelseID",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    app = providers(on.stdout)["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "helseid" and app["name"] == "HelseID"
    assert app["client_id"] == CLIENT_ID and app["settings"]["server_url"] == SERVER


@pytest.fixture
def helseid(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "helseid",
                    "name": "HelseID",
                    "client_id": CLIENT_ID,
                    "secret": "s3cret",
                    "settings": {
                        "server_url": SERVER,
                        "token_auth_method": "client_secret_post",
                        "scope": ["openid", "profile", "email"],
                    },
                }
            ],
        }
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as provider:
        provider.get(f"{SERVER}/.well-known/openid-configuration", json=CONFIG)
        yield provider


def answer_as(provider, claims: dict):
    """The provider's token and userinfo answers for a person with these claims."""
    now = int(time.time())
    id_token = jwt.encode(
        {"iss": SERVER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims},
        "provider-signing-key-for-the-test-only",
        algorithm="HS256",
    )
    provider.post(
        CONFIG["token_endpoint"],
        json={
            "access_token": "access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        },
    )
    provider.get(CONFIG["userinfo_endpoint"], json=claims)


def log_in_with_helseid(client, provider):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "helseid"}))
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert (
        f"{authorize.scheme}://{authorize.netloc}{authorize.path}"
        == CONFIG["authorization_endpoint"]
    )
    query = parse_qs(authorize.query)
    assert query["client_id"] == [CLIENT_ID] and "code_challenge" in query
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "helseid"})
    response = client.get(callback, {"code": "one-time-code", "state": query["state"][0]})
    token_call = next(c for c in provider.calls if c.request.url == CONFIG["token_endpoint"])
    assert "code=one-time-code" in token_call.request.body
    return response


@pytest.fixture
def invited_alis(world):
    """A doctor who came in by invitation: the link verified their address."""
    invitation, _token = invitation_with_token(
        by=world.manager_a,
        email="nina.lege@kommune-a.example",
        role=Role.ALIS,
        municipality=world.muni_a,
    )
    return services.invitation_accept(invitation=invitation, password="fjordane-legevakt-tirsdag")


def test_the_login_page_offers_helseid(helseid, client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert "HelseID" in body
    assert reverse("openid_connect_login", kwargs={"provider_id": "helseid"}) in body


def test_a_known_verified_email_logs_in(helseid, client, invited_alis):
    answer_as(
        helseid,
        {"sub": "helseid-4711", "email": "Nina.Lege@kommune-a.example", "email_verified": True},
    )
    response = log_in_with_helseid(client, helseid)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(invited_alis.pk)
    # Connected: the next login is recognised by the provider's subject, and the password the
    # person chose still works.
    account = SocialAccount.objects.get(user=invited_alis)
    assert (account.provider, account.uid) == ("helseid", "helseid-4711")
    invited_alis.refresh_from_db()
    assert invited_alis.check_password("fjordane-legevakt-tirsdag")
    assert client.get(reverse("home")).status_code == 200


def test_an_unknown_email_is_refused_with_a_clear_page(helseid, client, world):
    answer_as(helseid, {"sub": "helseid-999", "email": "ukjent@example.no", "email_verified": True})
    response = log_in_with_helseid(client, helseid)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="ukjent@example.no").exists()
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_does_not_open_an_account(helseid, client, invited_alis):
    answer_as(helseid, {"sub": "helseid-4711", "email": invited_alis.email})
    response = log_in_with_helseid(client, helseid)
    assert "_auth_user_id" not in client.session
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_a_login_without_an_email_is_refused(helseid, client, world):
    """ID-porten releases no e-mail address at all: such a login finds no account."""
    answer_as(helseid, {"sub": "idporten-1", "pid": "01017012345"})
    response = log_in_with_helseid(client, helseid)
    assert "_auth_user_id" not in client.session
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_a_manager_logging_in_with_helseid_still_needs_their_authenticator(helseid, client, world):
    TOTP.activate(world.manager_a, generate_totp_secret())
    EmailAddress.objects.create(
        user=world.manager_a, email=world.manager_a.email, verified=True, primary=True
    )
    answer_as(helseid, {"sub": "helseid-1", "email": world.manager_a.email, "email_verified": True})
    response = log_in_with_helseid(client, helseid)
    assert response.status_code == 302 and "/2fa/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_no_test_here_reaches_the_network(helseid):
    """responses refuses any request it has no answer for."""
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("https://helseid-sts.nhn.no/.well-known/openid-configuration", timeout=1)


def test_the_password_login_keeps_working_beside_it(helseid, client, world):
    response = client.post(
        reverse("account_login"), {"login": world.alis_a.email, "password": PASSWORD}
    )
    assert response.status_code == 302
