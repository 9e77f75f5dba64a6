from celery import shared_task
from django.contrib.auth import get_user_model

from courses import services
from courses.models import CourseEvent


@shared_task
def send_notice(registration_id: int, kind: str, certificate_id: int | None = None) -> bool:
    """One e-mail about a registration (confirmed, waiting, promoted, cancelled, certificate);
    safe to retry: a notice already sent is not sent again."""
    return services.notice_send(
        registration_id=registration_id, kind=kind, certificate_id=certificate_id
    )


@shared_task
def issue_certificates(event_id: int, by_id: int) -> int:
    """Certificates for everyone who attended the event and has none yet."""
    event = CourseEvent.objects.select_related("course").get(pk=event_id)
    by = get_user_model().objects.get(pk=by_id)
    return len(services.certificates_issue(event=event, by=by))
