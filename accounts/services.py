"""Invitations, role assignments and a person's own details: the writes with rules.

Who may grant which role where is `Scope.can_grant` (accounts/scope.py); these functions check
it again, whatever the view did, so no caller can grant more than its person may.
"""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Invitation, RoleAssignment, User
from accounts.scope import forget_scope, scope_for
from alisvest.emails import send_email


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = Invitation.hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + datetime.timedelta(
        days=settings.INVITATION_EXPIRY_DAYS
    )
    return token


def _send_invitation(invitation: Invitation, token: str) -> None:
    # Sent inside the transaction, not from a task: the token exists only in this process
    # and in the e-mail (never in the database or a queue), and a failed send leaves no
    # invitation behind that nobody received.
    account = User.objects.filter(email__iexact=invitation.email).first()
    language = account.language if account else invitation.language
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "account": account if account and account.has_usable_password() else None,
        "link": settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token]),
    }
    send_email("invitation", context, to=invitation.email, language=language or "nb")


def _active_assignment(email: str, role: str, municipality) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.active()
        .filter(user__email__iexact=email, role=role, municipality=municipality)
        .first()
    )


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    role: str,
    municipality,
    first_name: str = "",
    last_name: str = "",
    language: str = "nb",
    note: str = "",
) -> tuple[Invitation, bool]:
    """Invite a person to a role for a municipality and e-mail them the link.

    Returns the invitation and whether it is new: inviting someone who already has an open
    invitation for the same role and municipality sends that one again with a fresh link.
    """
    if not scope_for(by).can_grant(role, municipality):
        raise PermissionDenied
    email = User.objects.normalize_email(email.strip()).lower()
    if _active_assignment(email, role, municipality):
        raise ValidationError(
            {
                "email": _("%(email)s already has this role in %(municipality)s.")
                % {"email": email, "municipality": municipality}
            }
        )
    fields = {"first_name": first_name, "last_name": last_name, "language": language, "note": note}
    existing = (
        Invitation.objects.open()
        .select_for_update()
        .filter(email__iexact=email, role=role, municipality=municipality)
        .first()
    )
    if existing:
        for name, value in fields.items():
            setattr(existing, name, value)
        _resend(existing)
        return existing, False
    invitation = Invitation(
        email=email, role=role, municipality=municipality, invited_by=by, **fields
    )
    token = _new_token(invitation)
    invitation.save()
    _send_invitation(invitation, token)
    return invitation, True


def _resend(invitation: Invitation) -> None:
    token = _new_token(invitation)
    invitation.times_sent += 1
    invitation.save()
    _send_invitation(invitation, token)


def _check_may_change(invitation: Invitation, by: User) -> None:
    if not scope_for(by).can_grant(invitation.role, invitation.municipality):
        raise PermissionDenied
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation is already %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> None:
    """E-mail a fresh link (valid for the full period again); the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_may_change(invitation, by)
    _resend(invitation)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_may_change(invitation, by)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])


def invitation_account(invitation: Invitation) -> User | None:
    """The account the invitation's e-mail address already has, if any."""
    return User.objects.filter(email__iexact=invitation.email).first()


def invitation_needs_password(invitation: Invitation) -> bool:
    """Whether accepting creates the account or sets its first password (rather than asking
    the person to log in to the account they have)."""
    account = invitation_account(invitation)
    return account is None or not account.has_usable_password()


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Accept an invitation: create the account (or set its first password), or — for a
    person who has an account — grant the role to `user`, who must be logged in as that
    account. The link then no longer works. Returns the person."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    status = invitation.status()
    if status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation can no longer be used (%(status)s).")
            % {"status": Invitation.Status(status).label.lower()},
            code=status,
        )
    account = invitation_account(invitation)
    if account is not None and account.has_usable_password():
        if user is None or user.pk != account.pk:
            raise PermissionDenied("Log in as the invited person to accept.")
        person = account
    else:
        if password is None:
            raise ValidationError(_("Choose a password."), code="password_required")
        person = account or User(email=invitation.email, language=invitation.language)
        person.first_name = first_name or person.first_name or invitation.first_name
        person.last_name = last_name or person.last_name or invitation.last_name
        validate_password(password, person)
        person.set_password(password)
        person.save()
    if not person.is_active:
        raise PermissionDenied("The account is deactivated.")

    # Opening the e-mailed link proves the address: allauth may then trust it (an OpenID
    # Connect login with the same verified address connects to this account).
    EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).update(
        primary=False
    )
    address = EmailAddress.objects.filter(user=person, email__iexact=person.email).first()
    if address is None:
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])

    assignment = _active_assignment(person.email, invitation.role, invitation.municipality)
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=person,
            role=invitation.role,
            municipality=invitation.municipality,
            valid_from=timezone.localdate(),
            created_by=invitation.invited_by,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.role_assignment = assignment
    invitation.save(update_fields=["accepted_at", "accepted_by", "role_assignment"])
    forget_scope(person)
    return person


@transaction.atomic
def role_assignment_end(
    *, assignment: RoleAssignment, by: User, on: datetime.date | None = None
) -> None:
    """End a role on a day (default today; a later day ends it then). The assignment stays,
    with its history: who ended it and when."""
    on = on or timezone.localdate()
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("municipality", "user")
        .get(pk=assignment.pk)
    )
    if not scope_for(by).can_end(assignment):
        raise PermissionDenied
    today = timezone.localdate()
    if assignment.valid_to is not None and assignment.valid_to < today:
        raise ValidationError(
            _("This role already ended on %(date)s.")
            % {"date": date_format(assignment.valid_to, "SHORT_DATE_FORMAT")}
        )
    if on < assignment.valid_from:
        raise ValidationError(
            {
                "valid_to": _("The role cannot end before it began (%(date)s).")
                % {"date": date_format(assignment.valid_from, "SHORT_DATE_FORMAT")}
            }
        )
    assignment.valid_to = on
    assignment._history_user = by
    assignment.save(update_fields=["valid_to"])
    forget_scope(assignment.user)


@transaction.atomic
def profile_update(*, user: User, data: dict) -> None:
    """A person's own name, phone, HPR number and language of e-mails."""
    fields = ["first_name", "last_name", "phone", "hpr_number", "language"]
    for name in fields:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=fields)
