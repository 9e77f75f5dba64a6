from celery import shared_task

from alis_agreements import services


@shared_task
def close_expired_agreements() -> int:
    """Daily: record as ended the signed agreements whose period or employment is over."""
    return services.agreements_close_expired()
