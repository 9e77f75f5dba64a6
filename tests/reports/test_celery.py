"""The annual report's PDF made by a real Celery worker on Redis: the request commits, the
worker renders and keeps the file, and the page's row stops polling."""

import pytest
from django.utils import timezone

from reports import services
from reports.models import AnnualReport, GeneratedReport
from tests.reminders.test_celery import wait_for, worker  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_worker_makes_the_requested_pdf(world, worker):  # noqa: F811
    report = AnnualReport.objects.create(
        region=world.region, year=timezone.localdate().year - 1, staff="Ansatte"
    )
    generated = services.generated_report_request(report=report, by=world.adviser)

    def done():
        generated.refresh_from_db()
        return generated.status == GeneratedReport.Status.DONE

    assert wait_for(done, timeout=90)
    assert generated.progress == 100 and len(generated.sha256) == 64
    assert generated.file.read().startswith(b"%PDF-")
