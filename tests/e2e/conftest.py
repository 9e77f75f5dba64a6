"""Browser journeys: Playwright driving Debian's Chromium against the live server.

Every test here is marked `e2e` (skipped without Chromium, failing under REQUIRE_SERVICES=1)
and runs on a transactional database so the live server sees its data. `a11y(page)` runs
axe-core on the page; `page` fails the test on any browser console error, which includes a
Content-Security-Policy violation.
"""

import importlib
import os
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from tests.accounts.factories import ensure_totp

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery-staple"  # tests.accounts.factories.PASSWORD


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def agreement_defaults(transactional_db):
    """The measure types and the default template come from a data migration, and an earlier
    transactional test may have flushed them: put them back the way the migration does."""
    from django.apps import apps

    migration = importlib.import_module(
        "alis_agreements.migrations.0003_measure_types_and_default_template"
    )
    migration.create(apps, None)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}


@pytest.fixture
def page(page, live_server):
    """A page whose relative URLs go to the live server, failing on console errors."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    page.base = live_server.url
    page.console_errors = errors
    yield page
    assert not errors, f"Browser console errors: {errors}"


def go(page, path: str):
    page.goto(page.base + path)


def log_in(page, user, *, totp_secret: str | None = None):
    """Log in through allauth's form, and its TOTP step when the person has an authenticator.

    Advisers and managers must have one before any page opens (accounts.middleware): one is
    set up for them if they have none, and its secret is used when none is given.
    """
    if totp_secret is None:
        ensure_totp(user)
        totp_secret = totp_secret_of(user)
    go(page, "/konto/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    if totp_secret:
        page.wait_for_url("**/2fa/**")
        page.get_by_label("Kode").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(page.base + "/")


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now."""
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def give_totp(user) -> str:
    """Set up an authenticator app for the person (replacing any) and return its secret."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def a11y(page, *, impacts=("serious", "critical")):
    """axe-core on the current page: no violation of the given impacts (WCAG 2.1 AA rules).

    The script is evaluated through the DevTools protocol, so the page's CSP (no inline
    scripts) stays on and is exercised by the same test.
    """
    # A colour half-way through a transition (a button just swapped in under the mouse) would
    # fail the contrast rule now and then: let finite animations end first.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null)))"""
    )
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)
