import datetime

from education_plans.models import SupervisionRelationship
from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.supervision.factories import (
    MeetingFactory,
    SessionFactory,
    group_with_alis_a,
    signed_session,
    supervisor_a_profile,
)


def _profile(w):
    return {"pk": supervisor_a_profile(w).pk}


def _alis_a(w):
    return {"pk": w.alis_a.pk}


def _relationship(w):
    return {"pk": SupervisionRelationship.objects.get(alis=w.alis_a, supervisor=w.supervisor_a).pk}


def _pending(w):
    session = SessionFactory(
        alis=w.alis_a,
        supervisor=w.supervisor_a,
        recorded_by=w.alis_a,
        date=datetime.date(2026, 1, 5),
    )
    return {"pk": session.pk}


def _signed(w):
    return {"pk": signed_session(w).pk}


def _group(w):
    return {"pk": group_with_alis_a(w).pk}


def _membership(w):
    return {"pk": group_with_alis_a(w).memberships.get().pk}


def _meeting(w):
    return {"pk": MeetingFactory(group=group_with_alis_a(w)).pk}


# Who sees ALIS A's supervision: ALIS A, the region's adviser, manager A (ALIS A's
# municipality) and supervisor A (ALIS A's supervisor). The others get 404.
SEES = {"adviser": OK, "manager_a": OK, "alis_a": OK, "supervisor_a": OK}
# Writes of the parties of a session (ALIS A and supervisor A); the office and the
# municipality read but may not change them.
PARTIES = {"alis_a": OK, "supervisor_a": OK, "adviser": FORBIDDEN, "manager_a": FORBIDDEN}
PARTIES_POST = {
    "alis_a": REDIRECT,
    "supervisor_a": REDIRECT,
    "adviser": FORBIDDEN,
    "manager_a": FORBIDDEN,
}
# Assigning supervisors: the municipality's manager and the region's adviser.
MANAGERS = {"adviser": OK, "manager_a": OK, "alis_a": FORBIDDEN, "supervisor_a": FORBIDDEN}
# Groups: advisers change them; the leader (not a matrix persona, see test_groups.py) takes
# attendance; members, and those who see a member's records, read.
ADVISER_WRITES = {
    "adviser": OK,
    "manager_a": FORBIDDEN,
    "alis_a": FORBIDDEN,
    "supervisor_a": FORBIDDEN,
}
LEADER_WRITES = {
    "adviser": FORBIDDEN,
    "manager_a": FORBIDDEN,
    "alis_a": FORBIDDEN,
    "supervisor_a": FORBIDDEN,
}

ACCESS = {
    "supervision:supervisor_detail": Access(build=_profile, expect={**SEES, "alis_a": 404}),
    "supervision:supervisor_update": Access(build=_profile, expect={**SEES, "alis_a": 404}),
    "supervision:alis_supervision": Access(build=_alis_a, expect=SEES),
    "supervision:session_create": Access(build=_alis_a, expect=PARTIES),
    "supervision:session_export": Access(build=_alis_a, expect=SEES),
    "supervision:relationship_create": Access(build=_alis_a, expect=MANAGERS),
    "supervision:relationship_change": Access(build=_relationship, expect=MANAGERS),
    "supervision:relationship_end": Access(build=_relationship, expect=MANAGERS),
    "supervision:session_detail": Access(build=_pending, expect=SEES),
    "supervision:session_update": Access(build=_pending, expect=PARTIES),
    "supervision:session_correct": Access(build=_signed, expect=PARTIES),
    "supervision:session_delete": Access(build=_pending, expect=PARTIES_POST, method="post"),
    "supervision:session_sign": Access(
        build=_pending,
        expect={
            "supervisor_a": REDIRECT,
            "alis_a": FORBIDDEN,
            "adviser": FORBIDDEN,
            "manager_a": FORBIDDEN,
        },
        method="post",
    ),
    "supervision:group_detail": Access(build=_group, expect=SEES),
    "supervision:group_update": Access(build=_group, expect=ADVISER_WRITES),
    "supervision:membership_create": Access(build=_group, expect=ADVISER_WRITES),
    "supervision:membership_update": Access(build=_membership, expect=ADVISER_WRITES),
    "supervision:membership_delete": Access(
        build=_membership, expect={**ADVISER_WRITES, "adviser": REDIRECT}, method="post"
    ),
    "supervision:meeting_create": Access(build=_group, expect=LEADER_WRITES),
    "supervision:meeting_detail": Access(build=_meeting, expect=SEES),
    "supervision:meeting_update": Access(build=_meeting, expect=LEADER_WRITES),
    "supervision:meeting_delete": Access(build=_meeting, expect=LEADER_WRITES, method="post"),
}
