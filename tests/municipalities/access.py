from tests.access import FORBIDDEN, OK, REDIRECT, Access
from tests.municipalities.factories import (
    ContactFactory,
    FollowUpEntryFactory,
    NextActionFactory,
    PartnerFactory,
    PracticeFactory,
    YearlyMappingFactory,
)


def _number(w):
    return {"number": w.muni_a.number}


def _entry(w):
    return {"pk": FollowUpEntryFactory(municipality=w.muni_a, created_by=w.adviser).pk}


def _action(w):
    entry = FollowUpEntryFactory(municipality=w.muni_a, created_by=w.adviser)
    return {"pk": NextActionFactory(entry=entry, owner=w.adviser).pk}


def _contact(w):
    return {"pk": ContactFactory(municipality=w.muni_a).pk}


def _practice(w):
    return {"pk": PracticeFactory(municipality=w.muni_a).pk}


def _partner(w):
    return {"pk": PartnerFactory(region=w.region).pk}


def _partner_contact(w):
    return {"pk": ContactFactory(municipality=None, partner=PartnerFactory(region=w.region)).pk}


def _partner_entry(w):
    partner = PartnerFactory(region=w.region)
    return {"pk": FollowUpEntryFactory(municipality=None, partner=partner).pk}


def _mapping(w):
    return {"pk": YearlyMappingFactory(municipality=w.muni_a).pk}


# Who may do what (DESIGN.md and the lead's decision on issue 2): the follow-up log is the
# office's internal log (advisers of the region only, invisible to managers: 404); managers
# read their municipality's registration and mappings (changing them: 403) and keep its
# contacts and practices up to date.
ADVISER_ONLY = {"adviser": OK}
ADVISER_WRITES_MANAGER_READS = {"adviser": OK, "manager_a": FORBIDDEN}
BOTH = {"adviser": OK, "manager_a": OK}
BOTH_POST = {"adviser": REDIRECT, "manager_a": REDIRECT}

ACCESS = {
    "municipalities:municipality_detail": Access(build=_number, expect=BOTH),
    "municipalities:follow_up_create": Access(build=_number, expect=ADVISER_ONLY),
    "municipalities:follow_up_update": Access(build=_entry, expect=ADVISER_ONLY),
    "municipalities:next_action_done": Access(
        build=_action, expect={"adviser": REDIRECT}, method="post"
    ),
    "municipalities:next_action_reopen": Access(
        build=_action, expect={"adviser": REDIRECT}, method="post"
    ),
    "municipalities:registration_create": Access(
        build=_number, expect=ADVISER_WRITES_MANAGER_READS
    ),
    "municipalities:contact_create": Access(build=_number, expect=BOTH),
    "municipalities:contact_update": Access(build=_contact, expect=BOTH),
    "municipalities:contact_deactivate": Access(build=_contact, expect=BOTH_POST, method="post"),
    "municipalities:practice_create": Access(build=_number, expect=BOTH),
    "municipalities:practice_update": Access(build=_practice, expect=BOTH),
    "municipalities:practice_deactivate": Access(build=_practice, expect=BOTH_POST, method="post"),
    # Partners are the office's relations: advisers only, managers included (404).
    "municipalities:partner_detail": Access(build=_partner, expect=ADVISER_ONLY),
    "municipalities:partner_update": Access(build=_partner, expect=ADVISER_ONLY),
    "municipalities:partner_follow_up_create": Access(build=_partner, expect=ADVISER_ONLY),
    "municipalities:partner_contact_create": Access(build=_partner, expect=ADVISER_ONLY),
    "municipalities:mapping_list": Access(build=_number, expect=BOTH),
    "municipalities:mapping_create": Access(build=_number, expect=ADVISER_WRITES_MANAGER_READS),
    "municipalities:mapping_update": Access(build=_mapping, expect=ADVISER_WRITES_MANAGER_READS),
}
