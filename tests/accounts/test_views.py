"""The pages: people and roles, invitations, the invitation link, my account, the home page."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, RoleAssignment, User
from accounts.scope import scope_for
from tests.accounts.factories import (
    PASSWORD,
    RoleAssignmentFactory,
    UserFactory,
    ensure_totp,
    invitation_with_token,
)
from tests.municipalities.factories import MunicipalityFactory, RegionFactory
from tests.queries import assert_constant_queries

NEW_PASSWORD = "fjordane-legevakt-tirsdag"
ROLES_URL = reverse("accounts:role_assignment_list")
INVITATIONS_URL = reverse("accounts:invitation_list")


def emails_listed(response) -> set[str]:
    return {a.user.email for a in response.context["page_obj"]}


# The role assignments page


def test_an_adviser_sees_the_roles_of_the_region(world, client_for):
    response = client_for(world.adviser).get(ROLES_URL)
    assert response.status_code == 200
    assert emails_listed(response) == {
        world.adviser.email,
        world.manager_a.email,
        world.manager_b.email,
        world.alis_a.email,
        world.alis_b.email,
        world.supervisor_a.email,
        world.group_leader.email,
    }


def test_a_manager_sees_the_roles_they_grant_in_their_municipality_and_their_own(world, client_for):
    response = client_for(world.manager_a).get(ROLES_URL)
    assert emails_listed(response) == {
        world.manager_a.email,
        world.alis_a.email,
        world.supervisor_a.email,
    }


@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "outsider"])
def test_the_page_does_not_exist_for_other_roles(world, client_for, persona):
    assert client_for(world.user(persona)).get(ROLES_URL).status_code == 404
    assert client_for(world.user(persona)).get(INVITATIONS_URL).status_code == 404
    url = reverse("accounts:invitation_create")
    assert client_for(world.user(persona)).get(url).status_code == 404


def test_filters_by_role_municipality_state_and_name(world, client_for):
    client = client_for(world.adviser)
    RoleAssignment.objects.filter(user=world.alis_b).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    by_role = client.get(ROLES_URL, {"role": Role.ALIS})
    assert emails_listed(by_role) == {world.alis_a.email}  # ALIS B's role has ended
    ended = client.get(ROLES_URL, {"role": Role.ALIS, "state": "ended"})
    assert emails_listed(ended) == {world.alis_b.email}
    every = client.get(ROLES_URL, {"role": Role.ALIS, "state": ""})
    assert emails_listed(every) == {world.alis_a.email, world.alis_b.email}
    in_b = client.get(ROLES_URL, {"municipality": world.muni_b.pk})
    assert emails_listed(in_b) == {world.manager_b.email, world.group_leader.email}
    by_name = client.get(ROLES_URL, {"q": "siri vei"})
    assert emails_listed(by_name) == {world.supervisor_a.email}


def test_a_manager_cannot_filter_to_another_municipality(world, client_for):
    response = client_for(world.manager_a).get(ROLES_URL, {"municipality": world.muni_b.pk})
    assert response.context["filter"].errors["municipality"]
    assert world.manager_b.email not in emails_listed(response)


def test_the_list_is_sortable_and_paged(world, client_for):
    for n in range(55):
        RoleAssignmentFactory(
            user=UserFactory(last_name=f"Å{n:02}"), role=Role.ALIS, municipality=world.muni_a
        )
    client = client_for(world.adviser)
    first = client.get(ROLES_URL, {"o": "-name"})
    assert len(first.context["page_obj"]) == 50
    assert first.context["page_obj"][0].user.last_name == "Å54"
    second = client.get(ROLES_URL, {"o": "-name", "page": 2})
    assert len(second.context["page_obj"]) == 62 - 50


def test_the_role_list_runs_the_same_queries_for_ten_times_the_people(world, client_for):
    def grow():
        for n in range(30):
            granter = UserFactory()
            RoleAssignmentFactory(
                user=UserFactory(),
                role=[Role.ALIS, Role.SUPERVISOR, Role.MANAGER][n % 3],
                municipality=[world.muni_a, world.muni_b][n % 2],
                created_by=granter,
            )

    assert_constant_queries(client_for(world.adviser), ROLES_URL, grow)


def test_an_htmx_filter_gets_only_the_table(world, client_for):
    response = client_for(world.adviser).get(
        ROLES_URL, {"q": "Lege"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="assignment-table"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="assignment-table">')
    assert "<html" not in body


# Ending a role


def alis_a_role(world):
    return RoleAssignment.objects.get(user=world.alis_a, role=Role.ALIS)


def test_a_manager_ends_an_alis_role_and_it_is_kept_in_history(world, client_for):
    assignment = alis_a_role(world)
    url = reverse("accounts:role_assignment_end", args=[assignment.pk])
    client = client_for(world.manager_a)
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(url, {"valid_to": today.isoformat()})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == today
    latest = assignment.history.latest()
    assert latest.history_user == world.manager_a and latest.valid_to == today

    detail = client.get(reverse("accounts:role_assignment_detail", args=[assignment.pk]))
    history = detail.context["history"]
    assert history[0].who == world.manager_a
    assert [c.new for c in history[0].changes] == [today.strftime("%d.%m.%Y")]

    # From tomorrow ALIS A no longer holds the role.
    with time_machine.travel(today + datetime.timedelta(days=1, hours=12)):
        alis = User.objects.get(pk=world.alis_a.pk)
        assert not scope_for(alis).has_role(Role.ALIS)


def test_a_role_cannot_end_before_it_began(world, client_for):
    assignment = alis_a_role(world)
    url = reverse("accounts:role_assignment_end", args=[assignment.pk])
    response = client_for(world.adviser).post(url, {"valid_to": "2023-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_to"]
    assignment.refresh_from_db()
    assert assignment.valid_to is None


def test_an_ended_role_cannot_be_ended_again(world):
    assignment = alis_a_role(world)
    services.role_assignment_end(
        assignment=assignment, by=world.manager_a, on=timezone.localdate() - datetime.timedelta(1)
    )
    with pytest.raises(services.ValidationError):
        services.role_assignment_end(assignment=assignment, by=world.manager_a)


def test_nobody_ends_their_own_role_or_an_advisers(world):
    assert not scope_for(world.manager_a).can_end(RoleAssignment.objects.get(user=world.manager_a))
    assert not scope_for(world.adviser).can_end(RoleAssignment.objects.get(user=world.adviser))
    assert not scope_for(world.manager_a).can_end(RoleAssignment.objects.get(user=world.adviser))


def test_a_manager_cannot_end_another_managers_role(world, client_for):
    colleague = RoleAssignmentFactory(role=Role.MANAGER, municipality=world.muni_a)
    url = reverse("accounts:role_assignment_end", args=[colleague.pk])
    assert client_for(world.manager_a).get(url).status_code == 404  # not theirs to see
    assert client_for(world.adviser).get(url).status_code == 200


# Invitations: the pages


def test_a_manager_invites_an_alis_from_the_form(world, client_for):
    client = client_for(world.manager_a)
    form_page = client.get(reverse("accounts:invitation_create"))
    form = form_page.context["form"]
    assert {c for c, _ in form.fields["role"].choices} == {
        Role.ALIS,
        Role.SUPERVISOR,
        Role.GROUP_LEADER,
    }
    assert list(form.fields["municipality"].queryset) == [world.muni_a]
    assert form.fields["municipality"].initial == world.muni_a.pk
    response = client.post(
        reverse("accounts:invitation_create"),
        {
            "email": "ny.lege@kommune.example",
            "first_name": "Nina",
            "last_name": "Lege",
            "role": Role.ALIS,
            "municipality": world.muni_a.pk,
            "language": "nb",
            "note": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == INVITATIONS_URL
    assert Invitation.objects.get().invited_by == world.manager_a
    assert mail.outbox[0].to == ["ny.lege@kommune.example"]


def test_the_form_refuses_a_role_the_person_does_not_grant(world, client_for):
    response = client_for(world.adviser).post(
        reverse("accounts:invitation_create"),
        {
            "email": "ny.lege@kommune.example",
            "role": Role.ALIS,
            "municipality": world.muni_a.pk,
            "language": "nb",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_form_refuses_a_municipality_outside_the_scope(world, client_for):
    response = client_for(world.manager_a).post(
        reverse("accounts:invitation_create"),
        {
            "email": "ny.lege@kommune.example",
            "role": Role.ALIS,
            "municipality": world.muni_b.pk,
            "language": "nb",
        },
    )
    assert "municipality" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_invitation_list_shows_status_and_offers_resend_and_revoke(world, client_for):
    pending, _ = invitation_with_token(
        by=world.manager_a, email="a@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    accepted, _ = invitation_with_token(
        by=world.manager_a, email="b@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    services.invitation_accept(invitation=accepted, password=NEW_PASSWORD)
    client = client_for(world.manager_a)
    open_list = client.get(INVITATIONS_URL)
    assert [i.email for i in open_list.context["page_obj"]] == ["a@example.no"]
    assert open_list.context["page_obj"][0].can_change
    every = client.get(INVITATIONS_URL, {"status": ""})
    assert {i.email: i.current_status for i in every.context["page_obj"]} == {
        "a@example.no": "pending",
        "b@example.no": "accepted",
    }
    # The adviser sees the region's invitations, but a supervisor's is the manager's to change.
    adviser_list = client_for(world.adviser).get(INVITATIONS_URL)
    assert not adviser_list.context["page_obj"][0].can_change
    assert client_for(world.manager_b).get(INVITATIONS_URL).context["page_obj"].paginator.count == 0


def test_resend_and_revoke_from_the_list(world, client_for):
    invitation, old_token = invitation_with_token(
        by=world.manager_a, email="a@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    client = client_for(world.manager_a)
    client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 2
    assert Invitation.objects.for_token(old_token) is None
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status() == Invitation.Status.REVOKED
    response = client.post(
        reverse("accounts:invitation_resend", args=[invitation.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert len(mail.outbox) == 2
    assert "This invitation is already revoked." in [str(m) for m in response.context["messages"]]


def test_the_invitation_list_runs_the_same_queries_for_ten_times_the_invitations(world, client_for):
    def grow():
        for n in range(20):
            invitation_with_token(
                by=world.manager_a,
                email=f"person{n}@example.no",
                role=Role.ALIS,
                municipality=world.muni_a,
            )

    invitation_with_token(
        by=world.manager_a, email="first@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    assert_constant_queries(client_for(world.adviser), INVITATIONS_URL, grow)


# The link in the e-mail


def accept_url(token):
    return reverse("accounts:invitation_accept", args=[token])


def test_a_new_person_sets_a_password_and_lands_on_their_home_page(world, client):
    _invitation, token = invitation_with_token(
        by=world.manager_a,
        email="ny.lege@kommune.example",
        role=Role.ALIS,
        municipality=world.muni_a,
        first_name="Nina",
    )
    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert page.context["form"].initial["first_name"] == "Nina"
    weak = client.post(
        accept_url(token),
        {"first_name": "Nina", "last_name": "Lege", "password1": "kort", "password2": "kort"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["password2"]
    response = client.post(
        accept_url(token),
        {
            "first_name": "Nina",
            "last_name": "Lege",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person = User.objects.get(email="ny.lege@kommune.example")
    assert client.session["_auth_user_id"] == str(person.pk)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert [a.role for a in home.context["roles"]] == [Role.ALIS]
    # The link worked once.
    again = client.get(accept_url(token))
    assert again.status_code == 410 and again.context["status"] == "accepted"


def test_a_new_manager_goes_on_to_set_up_two_factor(world, client):
    _invitation, token = invitation_with_token(
        by=world.adviser,
        email="leder@kommune.example",
        role=Role.MANAGER,
        municipality=world.muni_a,
    )
    data = {"first_name": "Lise", "last_name": "Leder", "password1": NEW_PASSWORD}
    client.post(accept_url(token), {**data, "password2": NEW_PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_required")
    # Just authenticated by the link and the new password: allauth does not ask again.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200


def test_a_person_with_an_account_logs_in_to_accept(world, client):
    invitation, token = invitation_with_token(
        by=world.manager_a,
        email=world.supervisor_a.email,
        role=Role.GROUP_LEADER,
        municipality=world.muni_a,
    )
    page = client.get(accept_url(token))
    assert page.status_code == 200
    login_url = page.context["login_url"]
    assert login_url == reverse("account_login") + "?next=" + accept_url(token)
    assert "form" not in page.context  # no password to set: it is theirs

    login = client.post(login_url, {"login": world.supervisor_a.email, "password": PASSWORD})
    assert login["Location"] == accept_url(token)
    confirm = client.get(accept_url(token))
    assert confirm.status_code == 200
    assert "accounts/invitation_confirm.html" in [t.name for t in confirm.templates]
    response = client.post(accept_url(token))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.supervisor_a
    assert (
        RoleAssignment.objects.active()
        .filter(user=world.supervisor_a, role=Role.GROUP_LEADER, municipality=world.muni_a)
        .exists()
    )


def test_someone_else_logged_in_is_told_the_link_is_not_theirs(world, client_for):
    invitation, token = invitation_with_token(
        by=world.manager_a, email="ny@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    client = client_for(world.alis_a)
    page = client.get(accept_url(token))
    assert "accounts/invitation_wrong_person.html" in [t.name for t in page.templates]
    client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    invitation.refresh_from_db()
    assert invitation.status() == Invitation.Status.PENDING


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted", "unknown"])
def test_a_dead_link_says_why(world, client, state):
    invitation, token = invitation_with_token(
        by=world.manager_a, email="ny@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    if state == "revoked":
        services.invitation_revoke(invitation=invitation, by=world.manager_a)
    elif state == "accepted":
        services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    elif state == "unknown":
        token = token[::-1]
    when = timezone.now() + datetime.timedelta(days=15 if state == "expired" else 0)
    with time_machine.travel(when):
        response = client.get(accept_url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == (404 if state == "unknown" else 410)
    assert response.context["status"] == state
    headline = {
        "expired": "The invitation has expired",
        "revoked": "The invitation was withdrawn",
        "accepted": "The invitation is already accepted",
        "unknown": "The invitation link does not work",
    }[state]
    assert headline in response.content.decode()
    if state == "expired":
        assert world.manager_a.email in response.content.decode()  # whom to ask for a new one


# My account and the home page


def test_my_account_lists_my_roles_and_saves_my_details(world, client_for):
    RoleAssignmentFactory(
        user=world.supervisor_a,
        role=Role.GROUP_LEADER,
        municipality=world.muni_b,
        valid_from=datetime.date(2022, 1, 1),
        valid_to=datetime.date(2023, 1, 1),
    )
    client = client_for(world.supervisor_a)
    page = client.get(reverse("accounts:my_account"))
    assert [a.role for a in page.context["assignments"]] == [Role.SUPERVISOR, Role.GROUP_LEADER]
    response = client.post(
        reverse("accounts:my_account"),
        {
            "first_name": "Siri",
            "last_name": "Veileder",
            "phone": "+47 900 00 000",
            "hpr_number": "7654321",
            "language": "nn",
        },
    )
    assert response.status_code == 302
    world.supervisor_a.refresh_from_db()
    assert world.supervisor_a.language == "nn" and world.supervisor_a.phone == "+47 900 00 000"


def test_a_bad_hpr_number_is_refused(world, client_for):
    response = client_for(world.alis_a).post(
        reverse("accounts:my_account"),
        {
            "first_name": "Ola",
            "last_name": "Lege",
            "phone": "",
            "hpr_number": "12",
            "language": "nb",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["hpr_number"]


def test_the_home_page_lists_every_role_of_a_person_with_several(world, client_for):
    RoleAssignmentFactory(
        user=world.manager_a,
        role=Role.SUPERVISOR,
        municipality=world.muni_a,
        valid_from="2024-01-01",
    )
    RoleAssignmentFactory(
        user=world.manager_a, role=Role.MANAGER, municipality=world.muni_b, valid_from="2024-01-01"
    )
    response = client_for(world.manager_a).get(reverse("home"))
    roles = [(a.role, a.municipality.name) for a in response.context["roles"]]
    assert roles == [
        (Role.MANAGER, "Sogndal"),
        (Role.MANAGER, "Stavanger"),
        (Role.SUPERVISOR, "Sogndal"),
    ]
    assert response.context["sections"]  # the access section, for a manager


def test_a_person_without_a_role_is_told_how_to_get_one(world, client_for):
    response = client_for(world.outsider).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "You have no role in the portal yet" in body
    assert "invited by the ALIS Vest office" in body


def test_a_person_whose_role_ended_is_told_so(world, client_for):
    RoleAssignment.objects.filter(user=world.alis_b).update(valid_to=datetime.date(2025, 6, 30))
    response = client_for(world.alis_b).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your role as ALIS for Stavanger ended on 30.06.2025." in response.content.decode()


def test_advisers_and_managers_get_the_access_section(world, client_for):
    invitation_with_token(
        by=world.manager_a, email="a@example.no", role=Role.ALIS, municipality=world.muni_a
    )
    ensure_totp(world.manager_a)
    body = client_for(world.manager_a).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "1 invitation is waiting to be accepted." in body.content.decode()
    alis_home = client_for(world.alis_a).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "People and access" not in alis_home.content.decode()


def test_invitations_from_another_region_stay_there(world, client_for):
    elsewhere = MunicipalityFactory(region=RegionFactory(code="nord", name="ALIS Nord"))
    RoleAssignmentFactory(user=world.outsider, role=Role.MANAGER, municipality=elsewhere)
    invitation_with_token(
        by=world.outsider, email="x@example.no", role=Role.ALIS, municipality=elsewhere
    )
    assert client_for(world.adviser).get(INVITATIONS_URL).context["page_obj"].paginator.count == 0


def test_when_the_email_cannot_be_sent_nothing_is_saved(world, client_for, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = client_for(world.manager_a).post(
        reverse("accounts:invitation_create"),
        {
            "email": "ny.lege@kommune.example",
            "role": Role.ALIS,
            "municipality": world.muni_a.pk,
            "language": "en",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The e-mail could not be sent, so nothing was saved." in str(
        response.context["form"].non_field_errors()
    )
    assert not Invitation.objects.exists()


def test_the_admin_login_goes_through_the_portals_login(db, client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
