"""For `make bench`: pick a person of each role in the synthetic data, give each a session, and
list the pages to measure with the session that opens them, as JSON.

The sessions are made directly (the synthetic people have no passwords); people whose role
requires two-factor authentication get a TOTP authenticator first, as they would have.
"""

import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from alisvest.scale import EMAIL_DOMAIN
from education_plans.models import EducationPlan
from municipalities.models import Municipality, Region
from supervision.models import SupervisionSession

BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def give_totp(user) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


class Command(BaseCommand):
    help = "Sessions and page list for the benchmark (synthetic data only)."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="vest")

    def handle(self, *args, region: str, **options):
        region = Region.objects.filter(code=region).first()
        if region is None or not User.objects.filter(email__endswith=EMAIL_DOMAIN).exists():
            raise CommandError("Run generate_scale_data first.")
        holders = RoleAssignment.objects.active().filter(user__email__endswith=EMAIL_DOMAIN)
        adviser = holders.filter(role=Role.ADVISER, region=region).first().user
        busiest = (
            Municipality.objects.filter(region=region)
            .annotate(n=Count("positions__employments"))
            .order_by("-n", "number")
            .first()
        )
        manager = holders.filter(role=Role.MANAGER, municipality=busiest).first().user
        followed = (
            Municipality.objects.filter(region=region)
            .annotate(n=Count("follow_ups"))
            .order_by("-n", "number")
            .first()
        )
        # The ALIS with the longest supervision log in the region, and their supervisor.
        alis = (
            User.objects.filter(
                role_assignments__role=Role.ALIS,
                role_assignments__municipality__region=region,
                email__endswith=EMAIL_DOMAIN,
            )
            .annotate(n=Count("supervision_sessions", distinct=True))
            .order_by("-n", "email")
            .first()
        )
        plan = EducationPlan.objects.get(alis=alis)
        session = SupervisionSession.objects.filter(alis=alis).order_by("-date").first()
        for user in (adviser, manager):
            give_totp(user)
        people = {
            "adviser": adviser,
            "manager": manager,
            "alis": alis,
            "supervisor": session.supervisor,
        }
        pages = [
            ("floor: about page", "adviser", reverse("about")),
            ("adviser home", "adviser", reverse("home")),
            ("municipality list", "adviser", reverse("municipalities:municipality_list")),
            (
                "municipality page (adviser)",
                "adviser",
                reverse("municipalities:municipality_detail", args=[followed.number]),
            ),
            ("my actions", "adviser", reverse("municipalities:my_actions")),
            ("overview (adviser)", "adviser", reverse("reports:dashboard")),
            ("manager home", "manager", reverse("home")),
            (
                "municipality page (manager)",
                "manager",
                reverse("municipalities:municipality_detail", args=[busiest.number]),
            ),
            ("position list (manager)", "manager", reverse("alis_agreements:position_list")),
            ("agreement list (adviser)", "adviser", reverse("alis_agreements:agreement_list")),
            ("plan list (adviser)", "adviser", reverse("education_plans:plan_list")),
            ("ALIS home", "alis", reverse("home")),
            (
                "progress page (ALIS)",
                "alis",
                reverse("education_plans:plan_progress", args=[plan.pk]),
            ),
            (
                "supervision log (ALIS)",
                "alis",
                reverse("supervision:alis_supervision", args=[alis.pk]),
            ),
            ("course list (ALIS)", "alis", reverse("courses:event_list")),
            ("supervisor home", "supervisor", reverse("home")),
            ("supervisees (supervisor)", "supervisor", reverse("supervision:my_supervisees")),
        ]
        result = {
            "sessions": {key: session_for(user) for key, user in people.items()},
            "pages": [{"name": n, "persona": p, "path": path} for n, p, path in pages],
        }
        self.stdout.write(json.dumps(result))
