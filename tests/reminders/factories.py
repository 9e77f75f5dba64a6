import datetime

import factory

from reminders.models import DigestPreference, Notification, WheelTask
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import RegionFactory


class WheelTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WheelTask
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Søknadsfrist tilskudd {n}")
    description = "Send påminnelse til kommunene."
    month = 8
    day = 31
    lead_days = factory.LazyFunction(lambda: [30, 7, 0])

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.owners.set(extracted)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = "next_action_due"
    object_key = factory.Sequence(lambda n: f"municipalities.nextaction:{n}")
    recipient = factory.SubFactory(UserFactory)
    due_date = datetime.date(2026, 9, 10)
    remind_on = datetime.date(2026, 9, 3)
    recorded_on = datetime.date(2026, 9, 3)
    title = factory.Sequence(lambda n: f"Sogndal: Send avtalemal {n}")
    url = "/kommuner/4640/"


class DigestPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestPreference

    user = factory.SubFactory(UserFactory)
    frequency = "daily"
