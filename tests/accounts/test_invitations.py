"""Invitations: who may invite whom for where, and the link that works once, until it expires."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts import services
from accounts.models import Invitation, Role, RoleAssignment, User
from accounts.scope import scope_for
from tests.accounts.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from tests.municipalities.factories import MunicipalityFactory, RegionFactory

NEW_PASSWORD = "fjordane-legevakt-tirsdag"


def invite(by, email="ny.lege@kommune.example", role=Role.ALIS, municipality=None, **extra):
    invitation, _created = services.invitation_create(
        by=by, email=email, role=role, municipality=municipality, **extra
    )
    return invitation


def link_token(message) -> str:
    return re.search(r"/invitasjon/([\w-]+)/", message.body).group(1)


# Who may invite whom for where

ALLOWED = [
    ("adviser", Role.MANAGER, "a"),
    ("adviser", Role.MANAGER, "b"),
    ("adviser", Role.GROUP_LEADER, "a"),
    ("manager_a", Role.ALIS, "a"),
    ("manager_a", Role.SUPERVISOR, "a"),
    ("manager_a", Role.GROUP_LEADER, "a"),
    ("manager_b", Role.ALIS, "b"),
]
REFUSED = [
    ("adviser", Role.ALIS, "a"),  # the municipality employs its ALIS; its manager invites them
    ("adviser", Role.SUPERVISOR, "a"),
    ("adviser", Role.MANAGER, "elsewhere"),  # a municipality of another region
    ("manager_a", Role.MANAGER, "a"),  # managers are brought in by the office
    ("manager_a", Role.ALIS, "b"),
    ("manager_a", Role.SUPERVISOR, "b"),
    ("manager_b", Role.SUPERVISOR, "a"),
    ("alis_a", Role.ALIS, "a"),
    ("supervisor_a", Role.SUPERVISOR, "a"),
    ("outsider", Role.ALIS, "a"),
]


def _municipality(world, key):
    if key == "elsewhere":
        return MunicipalityFactory(region=RegionFactory(code="nord", name="ALIS Nord"))
    return {"a": world.muni_a, "b": world.muni_b}[key]


@pytest.mark.parametrize("persona,role,where", ALLOWED)
def test_who_may_invite_whom_for_where(world, persona, role, where):
    municipality = _municipality(world, where)
    invitation = invite(world.user(persona), role=role, municipality=municipality)
    assert invitation.pk and invitation.municipality == municipality and invitation.role == role
    assert invitation.invited_by == world.user(persona)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny.lege@kommune.example"]


@pytest.mark.parametrize("persona,role,where", REFUSED)
def test_no_one_invites_beyond_their_scope(world, persona, role, where):
    municipality = _municipality(world, where)
    with pytest.raises(PermissionDenied):
        invite(world.user(persona), role=role, municipality=municipality)
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_ended_manager_role_invites_no_one(world):
    RoleAssignment.objects.filter(user=world.manager_a).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        invite(world.manager_a, municipality=world.muni_a)


# The link


def test_only_the_tokens_hash_is_stored(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    token = link_token(mail.outbox[0])
    assert len(token) >= 40
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)
    assert Invitation.objects.for_token(token) == invitation
    assert Invitation.objects.for_token(token[:-1] + "x") is None


def test_accepting_creates_the_account_and_grants_the_role(world):
    invitation = invite(
        world.manager_a, municipality=world.muni_a, first_name="Nina", last_name="Lege"
    )
    person = services.invitation_accept(
        invitation=invitation, password=NEW_PASSWORD, first_name="Nina", last_name="Lege-Berg"
    )
    assert person.email == "ny.lege@kommune.example"
    assert person.last_name == "Lege-Berg"
    assert person.check_password(NEW_PASSWORD)
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.role, assignment.municipality) == (Role.ALIS, world.muni_a)
    assert assignment.valid_from == timezone.localdate() and assignment.valid_to is None
    assert assignment.created_by == world.manager_a  # "who granted it"
    assert scope_for(person).has_role(Role.ALIS)
    invitation.refresh_from_db()
    assert invitation.status() == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person and invitation.role_assignment == assignment
    # The link proved the address: allauth may trust it (OpenID Connect logins match it).
    assert EmailAddress.objects.get(user=person).verified


def test_the_link_works_once(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, password="another-long-password-1")
    assert refused.value.code == Invitation.Status.ACCEPTED
    assert User.objects.get(email=invitation.email).check_password(NEW_PASSWORD)
    assert RoleAssignment.objects.filter(user__email=invitation.email).count() == 1


def test_the_link_expires_after_the_configured_days(world, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        invitation = invite(world.manager_a, municipality=world.muni_a)
        assert invitation.expires_at == start + datetime.timedelta(days=3)
        clock.shift(datetime.timedelta(days=3) - datetime.timedelta(minutes=1))
        assert invitation.status() == Invitation.Status.PENDING
        clock.shift(datetime.timedelta(minutes=1))
        assert invitation.status() == Invitation.Status.EXPIRED
        with pytest.raises(ValidationError) as refused:
            services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert refused.value.code == Invitation.Status.EXPIRED
    assert not User.objects.filter(email=invitation.email).exists()


def test_the_default_expiry_is_fourteen_days(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)


def test_a_revoked_link_no_longer_works(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    services.invitation_revoke(invitation=invitation, by=world.manager_a)
    invitation.refresh_from_db()
    assert invitation.status() == Invitation.Status.REVOKED
    assert invitation.revoked_by == world.manager_a
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert refused.value.code == Invitation.Status.REVOKED


def test_resending_gives_a_new_link_and_kills_the_old_one(world, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        invitation = invite(world.manager_a, municipality=world.muni_a)
        old = link_token(mail.outbox[0])
        clock.shift(datetime.timedelta(days=20))  # expired
        services.invitation_resend(invitation=invitation, by=world.manager_a)
        new = link_token(mail.outbox[1])
        invitation.refresh_from_db()
        assert old != new
        assert Invitation.objects.for_token(old) is None
        assert Invitation.objects.for_token(new) == invitation
        assert invitation.status() == Invitation.Status.PENDING
        assert invitation.expires_at == start + datetime.timedelta(days=34)
        assert invitation.times_sent == 2


def test_resending_or_revoking_needs_the_right_to_invite(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    for change in (services.invitation_resend, services.invitation_revoke):
        for person in (world.manager_b, world.alis_a, world.adviser):
            with pytest.raises(PermissionDenied):
                change(invitation=invitation, by=person)


def test_an_accepted_invitation_cannot_be_revoked_or_resent(world):
    invitation = invite(world.manager_a, municipality=world.muni_a)
    services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    for change in (services.invitation_resend, services.invitation_revoke):
        with pytest.raises(ValidationError):
            change(invitation=invitation, by=world.manager_a)


def test_inviting_again_sends_the_open_invitation_again(world):
    first = invite(world.manager_a, municipality=world.muni_a)
    again, created = services.invitation_create(
        by=world.manager_a,
        email="NY.LEGE@kommune.example",
        role=Role.ALIS,
        municipality=world.muni_a,
        note="Ny lenke",
    )
    assert not created and again.pk == first.pk
    assert again.note == "Ny lenke"
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2
    assert Invitation.objects.for_token(link_token(mail.outbox[0])) is None


def test_the_same_person_may_be_invited_to_another_role(world):
    invite(world.manager_a, municipality=world.muni_a, role=Role.ALIS)
    invite(world.manager_a, municipality=world.muni_a, role=Role.GROUP_LEADER)
    assert Invitation.objects.open().count() == 2


def test_someone_who_has_the_role_already_is_not_invited(world):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        invite(world.manager_a, email=world.alis_a.email.upper(), municipality=world.muni_a)
    assert refused.value.message_dict["email"] == [
        "alis@kommune-a.example already has this role in Sogndal."
    ]
    assert not mail.outbox


# An existing account


def test_a_person_with_an_account_accepts_as_themselves(world):
    invitation = invite(
        world.manager_a,
        email=world.supervisor_a.email,
        role=Role.GROUP_LEADER,
        municipality=world.muni_a,
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=world.alis_a)
    assert invitation.status() == Invitation.Status.PENDING

    person = services.invitation_accept(invitation=invitation, user=world.supervisor_a)
    assert person == world.supervisor_a
    assert person.check_password(PASSWORD)  # the password is theirs, untouched
    assert set(
        RoleAssignment.objects.active().filter(user=person).values_list("role", flat=True)
    ) == {Role.SUPERVISOR, Role.GROUP_LEADER}


def test_an_account_registered_by_others_gets_its_first_password(world):
    registered = User.objects.create_user("registrert@kommune.example", first_name="Reg")
    assert not registered.has_usable_password()
    invitation = invite(world.manager_a, email=registered.email, municipality=world.muni_a)
    assert services.invitation_needs_password(invitation)
    person = services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert person.pk == registered.pk and person.first_name == "Reg"
    assert person.check_password(NEW_PASSWORD)


def test_an_external_supervisor_gets_the_role_in_the_inviting_municipality(world):
    """A supervisor who works in municipality B supervises an ALIS in A: A's manager invites
    them, nobody contacts support, and the role is A's."""
    external = UserFactory(email="veileder@kommune-b.example")
    RoleAssignmentFactory(user=external, role=Role.SUPERVISOR, municipality=world.muni_b)
    invitation = invite(
        world.manager_a, email=external.email, role=Role.SUPERVISOR, municipality=world.muni_a
    )
    services.invitation_accept(invitation=invitation, user=external)
    roles = RoleAssignment.objects.active().filter(user=external)
    assert set(roles.values_list("municipality__name", flat=True)) == {"Sogndal", "Stavanger"}
    assert roles.get(municipality=world.muni_a).created_by == world.manager_a


def test_weak_passwords_are_refused_on_accepting(world):
    invitation = invite(world.manager_a, municipality=world.muni_a, first_name="Nina")
    for weak in ["kort", "password123", "ny.lege@kommune.example"]:
        with pytest.raises(ValidationError):
            services.invitation_accept(invitation=invitation, password=weak)
    assert invitation.status() == Invitation.Status.PENDING
    assert not User.objects.filter(email=invitation.email).exists()


# The e-mail


def test_the_email_is_in_the_language_chosen_for_a_new_person(world):
    invite(world.adviser, role=Role.MANAGER, municipality=world.muni_a, language="nn")
    message = mail.outbox[0]
    assert message.subject.startswith("[ALIS Vest] Invitasjon til ALIS Vest-portalen")
    assert message.subject.endswith("Kommunal leiar, Sogndal")
    assert "Anja Rådgiver har invitert deg" in message.body
    assert "tofaktorautentisering" in message.body  # managers are told to have an app ready
    html = message.alternatives[0][0]
    assert "Sogndal" in html and "/invitasjon/" in html


def test_a_person_with_an_account_gets_it_in_their_own_language(world):
    world.supervisor_a.language = "en"
    world.supervisor_a.save(update_fields=["language"])
    invite(
        world.manager_a,
        email=world.supervisor_a.email,
        role=Role.GROUP_LEADER,
        municipality=world.muni_a,
        language="nb",
    )
    message = mail.outbox[0]
    assert "Kari Leder has invited you to the ALIS Vest portal as group leader for Sogndal" in (
        message.body
    )
    assert "You already have an account" in message.body


def test_the_email_carries_the_note_and_the_expiry(world):
    invite(world.manager_a, municipality=world.muni_a, note="Velkommen til Sogndal!")
    message = mail.outbox[0]
    assert "Velkommen til Sogndal!" in message.body
    expires = timezone.localtime(Invitation.objects.get().expires_at)
    assert expires.strftime("%d.%m.%Y") in message.body
