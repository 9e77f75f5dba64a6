from accounts.models import Role, RoleAssignment
from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.accounts.factories import invitation_with_token


def _alis_role(w):
    """ALIS A's role in municipality A: theirs, their manager's to end, the adviser's to see."""
    return {"pk": RoleAssignment.objects.get(user=w.alis_a, role=Role.ALIS).pk}


def _invitation(w):
    invitation, _token = invitation_with_token(
        by=w.manager_a, email="ny.veileder@example.no", role=Role.SUPERVISOR, municipality=w.muni_a
    )
    return {"pk": invitation.pk}


def _token(w):
    _invitation, token = invitation_with_token(
        by=w.manager_a, email="ny.veileder@example.no", role=Role.SUPERVISOR, municipality=w.muni_a
    )
    return {"token": token}


# Advisers see every role in their region and end any municipal one; a manager sees and ends
# the roles they grant in their municipality; a person sees (not ends) their own. An
# invitation to a supervisor is manager A's to resend or revoke; the adviser sees it in the
# region's list but may not change it (advisers do not grant that role): 403.
ACCESS = {
    "accounts:role_assignment_detail": Access(
        build=_alis_role, expect={"adviser": OK, "manager_a": OK, "alis_a": OK}
    ),
    "accounts:role_assignment_end": Access(
        build=_alis_role, expect={"adviser": OK, "manager_a": OK, "alis_a": FORBIDDEN}
    ),
    "accounts:invitation_resend": Access(
        build=_invitation,
        expect={"adviser": FORBIDDEN, "manager_a": REDIRECT},
        method="post",
    ),
    "accounts:invitation_revoke": Access(
        build=_invitation,
        expect={"adviser": FORBIDDEN, "manager_a": REDIRECT},
        method="post",
    ),
    # The e-mailed link is its own proof: anyone holding it gets the page (a logged-in
    # stranger is told it is for someone else).
    "accounts:invitation_accept": Access(build=_token, public=True, default=OK),
}
