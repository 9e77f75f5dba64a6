"""Shared fixtures: the personas of DESIGN.md and the services the tests may need.

The personas live in two municipalities of one region: A (where the ALIS, the supervisor and
manager A work) and B (manager B and a second ALIS). The outsider is logged in but holds no
role. ALIS A is employed in a position in A, has an education plan there (manager A is its
education leader) and supervisor A as supervisor; ALIS B likewise in B, with no supervisor.
The group leader (in B) holds the group-leader role; tests that need their group with ALIS A
make it (tests/supervision/factories.py: `group_with_alis_a(world)`). The group leader is not in
PERSONAS, so the access matrix of other apps does not change.
"""

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass

import pytest
from django.conf import settings

from accounts.models import Role
from tests.accounts.factories import RoleAssignmentFactory, UserFactory, ensure_totp
from tests.municipalities.factories import (
    CountyFactory,
    MunicipalityFactory,
    RegionFactory,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
HAS_REDIS = bool(os.environ.get("REDIS_URL"))
HAS_CHROMIUM = shutil.which("chromium") is not None or os.path.exists("/usr/bin/chromium")

PERSONAS = [
    "adviser",
    "manager_a",
    "manager_b",
    "alis_a",
    "alis_b",
    "supervisor_a",
    "outsider",
    "anonymous",
]


def pytest_configure(config):
    # Real hashing costs ~0.3 s a user; the tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Documents the tests store (signed agreements, scans) go to a temporary folder; static
    # files come straight from static/ (no collectstatic, no manifest) in every test.
    media = tempfile.mkdtemp(prefix="alisvest-test-media-")
    config.add_cleanup(lambda: shutil.rmtree(media, ignore_errors=True))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = media
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # Production redirects plain HTTP to HTTPS; the test client and the live server speak HTTP.
    settings.SECURE_SSL_REDIRECT = False


def pytest_runtest_setup(item):
    needs = {
        "postgres": (ON_POSTGRES, "PostgreSQL (set DATABASE_URL)"),
        "redis": (HAS_REDIS, "Redis (set REDIS_URL)"),
        "e2e": (HAS_CHROMIUM, "Chromium at /usr/bin/chromium"),
    }
    for marker, (available, what) in needs.items():
        if item.get_closest_marker(marker) and not available:
            if REQUIRE_SERVICES:
                pytest.fail(f"REQUIRE_SERVICES=1 but this test needs {what}")
            pytest.skip(f"needs {what}")


@dataclass
class World:
    region: object
    muni_a: object
    muni_b: object
    adviser: object
    manager_a: object
    manager_b: object
    alis_a: object
    alis_b: object
    supervisor_a: object
    outsider: object
    position_a: object = None
    employment_a: object = None
    plan_a: object = None
    plan_b: object = None
    group_leader: object = None

    def user(self, persona: str):
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture
def world(db):
    region = RegionFactory()
    rogaland = CountyFactory(number="11", name="Rogaland")
    muni_a = MunicipalityFactory(number="4640", name="Sogndal", region=region)
    muni_b = MunicipalityFactory(number="1103", name="Stavanger", region=region, county=rogaland)
    since = datetime.date(2024, 1, 1)

    def person(email, first, last, role=None, municipality=None, **extra):
        user = UserFactory(email=email, first_name=first, last_name=last, **extra)
        if role:
            RoleAssignmentFactory(
                user=user,
                role=role,
                valid_from=since,
                municipality=municipality,
                region=region if role == Role.ADVISER else None,
            )
        return user

    world = World(
        region=region,
        muni_a=muni_a,
        muni_b=muni_b,
        adviser=person("radgiver@alisvest.example", "Anja", "Rådgiver", Role.ADVISER),
        manager_a=person("leder.a@kommune-a.example", "Kari", "Leder", Role.MANAGER, muni_a),
        manager_b=person("leder.b@kommune-b.example", "Per", "Leder", Role.MANAGER, muni_b),
        alis_a=person(
            "alis@kommune-a.example", "Ola", "Lege", Role.ALIS, muni_a, hpr_number="1234567"
        ),
        supervisor_a=person(
            "veileder@kommune-a.example",
            "Siri",
            "Veileder",
            Role.SUPERVISOR,
            muni_a,
            hpr_number="7654321",
        ),
        alis_b=person(
            "alis@kommune-b.example", "Nora", "Lege", Role.ALIS, muni_b, hpr_number="2345678"
        ),
        outsider=person("utenforstaende@example.no", "Utenfor", "Stående"),
    )
    world.group_leader = person(
        "gruppeleder@kommune-b.example", "Gunn", "Gruppeleder", Role.GROUP_LEADER, muni_b
    )
    _education(world, since)
    return world


def _education(world, since):
    from education_plans.models import EducationPlan, SupervisionRelationship
    from tests.alis_agreements.factories import EmploymentFactory, PositionFactory

    world.position_a = PositionFactory(municipality=world.muni_a, start_date=since)
    world.employment_a = EmploymentFactory(
        alis=world.alis_a, position=world.position_a, start_date=since
    )
    position_b = PositionFactory(municipality=world.muni_b, start_date=since)
    EmploymentFactory(alis=world.alis_b, position=position_b, start_date=since)
    world.plan_a = EducationPlan.objects.create(
        alis=world.alis_a,
        municipality=world.muni_a,
        start_date=since,
        education_leader=world.manager_a,
    )
    world.plan_b = EducationPlan.objects.create(
        alis=world.alis_b, municipality=world.muni_b, start_date=since
    )
    SupervisionRelationship.objects.create(
        alis=world.alis_a, supervisor=world.supervisor_a, start_date=since
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client logged in as that person (None: anonymous).

    Logged in fully, as after the login form: a person whose role requires two-factor
    authentication (advisers, managers) has an authenticator app set up, as they must before
    any page opens. Tests of that requirement itself use `client.force_login`.
    """

    def login(user):
        client.logout()
        if user is not None:
            ensure_totp(user)
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded documents go to a temporary folder, never the working tree's media/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("media"))},
        },
    }


@pytest.fixture(autouse=True)
def _isolated_services(request, settings):
    """Each test starts with an empty cache (allauth's rate limits live there) and, unless it
    asks for a real worker (marker `redis`), Celery runs tasks in-process."""
    from django.core.cache import cache

    from alisvest.celery import app

    cache.clear()
    eager = request.node.get_closest_marker("redis") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
