from celery import shared_task

from reports import services
from reports.models import GeneratedReport


@shared_task
def render_annual_report(generated_id: int) -> str:
    """Make one requested PDF of an annual report (a retry leaves a made one as it is)."""
    generated = GeneratedReport.objects.select_related("report__region", "requested_by").get(
        pk=generated_id
    )
    return services.generated_report_render(generated=generated).status
