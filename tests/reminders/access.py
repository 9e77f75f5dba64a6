from tests.access import OK, REDIRECT, Access
from tests.reminders.factories import NotificationFactory, WheelTaskFactory


def _notification(w):
    return {"pk": NotificationFactory(recipient=w.adviser).pk}


def _kind(w):
    return {"code": "next_action_due"}


def _task(w):
    return {"pk": WheelTaskFactory(region=w.region, owners=[w.adviser]).pk}


def _occurrence(w):
    return {**_task(w), "year": 2026}


# A notification is its recipient's alone (others: 404, never a hint that it exists). The kinds'
# settings and the annual wheel are the office's: the region's advisers only; everyone else,
# managers included, gets a 404.
ADVISER_ONLY = {"adviser": OK}
ADVISER_POSTS = {"adviser": REDIRECT}

ACCESS = {
    "reminders:notification_read": Access(build=_notification, expect=ADVISER_POSTS, method="post"),
    "reminders:kind_update": Access(build=_kind, expect=ADVISER_ONLY),
    "reminders:wheel_task_update": Access(build=_task, expect=ADVISER_ONLY),
    "reminders:wheel_task_history": Access(build=_task, expect=ADVISER_ONLY),
    "reminders:wheel_occurrence_done": Access(
        build=_occurrence, expect=ADVISER_POSTS, method="post"
    ),
    "reminders:wheel_occurrence_reopen": Access(
        build=_occurrence, expect=ADVISER_POSTS, method="post"
    ),
}
