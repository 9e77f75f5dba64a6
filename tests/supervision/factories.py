import datetime

import factory

from supervision import services
from supervision.models import (
    GroupMeeting,
    SupervisionGroup,
    SupervisionSession,
    Supervisor,
)
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import MunicipalityFactory, RegionFactory


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    person = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    is_specialist = True
    specialist_year = 2015
    course_completed_on = datetime.date(2021, 10, 15)
    capacity = 2


class SessionFactory(factory.django.DjangoModelFactory):
    """A session row as it stands (no ledger): use `services.session_record` for the rules."""

    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    alis = factory.SubFactory(UserFactory)
    supervisor = factory.SubFactory(UserFactory)
    date = datetime.date(2026, 1, 15)
    minutes = 60
    topics = "Eksempel: vanskelige samtaler"
    private_notes = "Privat: ALIS er sliten etter vaktene."


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionGroup

    name = factory.Sequence(lambda n: f"Veiledningsgruppe {n}")
    region = factory.SubFactory(RegionFactory)
    leader = factory.SubFactory(UserFactory)
    start_date = datetime.date(2025, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMeeting

    group = factory.SubFactory(GroupFactory)
    date = datetime.date(2025, 3, 10)
    minutes = 180
    topics = "Eksempel: multimorbiditet"
    notes = "Gruppenotat: kasus fra legevakt."


def supervisor_a_profile(world, **kwargs):
    return SupervisorFactory(person=world.supervisor_a, municipality=world.muni_a, **kwargs)


def group_with_alis_a(world, **kwargs) -> SupervisionGroup:
    """The group leader's group in the region with ALIS A as a member since 1 Jan 2025 (the
    membership through the service, so the plan's group period exists)."""
    group = GroupFactory(region=world.region, leader=world.group_leader, **kwargs)
    group.municipalities.set([world.muni_a, world.muni_b])
    services.membership_add(
        group=group, alis=world.alis_a, start_date=group.start_date, by=world.adviser
    )
    return group


def signed_session(world, **kwargs) -> SupervisionSession:
    values = {
        "alis": world.alis_a,
        "supervisor": world.supervisor_a,
        "by": world.alis_a,
        "date": datetime.date(2026, 1, 15),
        "minutes": 60,
        "topics": "Eksempel: vanskelige samtaler",
        "private_notes": "Privat: ALIS er sliten etter vaktene.",
    }
    values.update(kwargs)
    session = services.session_record(**values)
    return services.session_sign(session=session, by=session.supervisor)
