"""Screenshots of each role's home page, at desktop and phone widths, for the README.

Run against a server with the demo data (`make run`, or `manage.py seed_demo` on the database
the server uses), from the project folder, with the same environment as the server:

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000

It logs each demo person in by a session of their own (the demo advisers and managers are given
an authenticator app first if they have none, as their first login would) and writes
docs/screenshots/<role>-<width>.png.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alisvest.settings")
django.setup()

from django.test import Client  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from accounts.models import User  # noqa: E402
from tests.accounts.factories import ensure_totp  # noqa: E402

OUT = Path(__file__).resolve().parent
PEOPLE = {
    "adviser": "radgiver@alisvest.example",
    "manager": "kommuneoverlege@laerdal.example",
    "alis": "alis@laerdal.example",
    "supervisor": "veileder@laerdal.example",
    "group-leader": "gruppeleder@sogndal.example",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def sessions() -> dict[str, str]:
    """A logged-in session per role (made before the browser starts: Playwright's loop would
    make the database calls async)."""
    found = {}
    for role, email in PEOPLE.items():
        user = User.objects.get(email=email)
        ensure_totp(user)
        client = Client()
        client.force_login(user)
        found[role] = client.cookies["sessionid"].value
    return found


def main(base: str):
    cookies = sessions()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for role, session in cookies.items():
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="nb-NO"
                )
                context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
                page = context.new_page()
                page.goto(base + "/")
                page.screenshot(path=OUT / f"{role}-{label}.png", full_page=label == "phone")
                context.close()
                print(f"{role}-{label}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
