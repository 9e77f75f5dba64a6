import re

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from accounts.models import Invitation, Role, RoleAssignment, User
from accounts.scope import forget_scope, scope_for

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER
    valid_from = factory.Faker("date_between", start_date="-2y", end_date="-1d")


def ensure_totp(user) -> None:
    """Give a person whose roles require two-factor authentication an authenticator app (a
    TOTP secret), as they would have set up before reaching any page."""
    forget_scope(user)
    if not scope_for(user).requires_two_factor:
        return
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def invitation_with_token(*, by, email, role, municipality, **extra) -> tuple[Invitation, str]:
    """An invitation made through the service, and the token its e-mail carried."""
    from accounts.services import invitation_create

    invitation, _ = invitation_create(
        by=by, email=email, role=role, municipality=municipality, **extra
    )
    token = re.search(r"/invitasjon/([\w-]+)/", mail.outbox[-1].body).group(1)
    return invitation, token
