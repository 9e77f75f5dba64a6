"""The demo world that `make run` creates: people for every role, in clearly fake addresses.

Each app that has demo content has a `demo.py` with `seed(demo)`; `manage.py seed_demo` calls
them in the order of the app graph (DESIGN.md). Each `seed` is idempotent: it leaves alone
what already exists, so running `make run` again duplicates nothing.
"""

import datetime
import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from accounts.models import Role, RoleAssignment, User

PASSWORD = "alisvest-demo-2026"
APP_ORDER = [
    "municipalities",
    "alis_agreements",
    "education_plans",
    "supervision",
    "courses",
    "partners",
    "reminders",
    "reports",
]


@dataclass
class Demo:
    region: object
    people: dict[str, User] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2021))
    printed: list[tuple[str, str, str]] = field(default_factory=list)

    def person(self, key, email, first, last, *, role=None, municipality=None, **extra):
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, **extra}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if (
            role
            and not RoleAssignment.objects.filter(
                user=user, role=role, municipality=municipality
            ).exists()
        ):
            RoleAssignment.objects.create(
                user=user,
                role=role,
                municipality=municipality,
                region=self.region if role == Role.ADVISER else None,
                valid_from=datetime.date(2020, 6, 1),
            )
        self.people[key] = user
        return user

    def show(self, role_label, user):
        self.printed.append((role_label, user.email, str(user)))


def seed_all(region) -> Demo:
    demo = Demo(region=region)
    with transaction.atomic():
        for label in APP_ORDER:
            if not apps.is_installed(label):
                continue
            try:
                module = importlib.import_module(f"{label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{label}.demo":
                    raise
                continue
            module.seed(demo)
    return demo
