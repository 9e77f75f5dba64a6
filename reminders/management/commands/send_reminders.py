import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders import services


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: {value!r} is not a date like 2026-08-31") from exc


class Command(BaseCommand):
    help = (
        "Run the reminder engine here, without a Celery worker: record what is due and send "
        "each person's digest e-mail. Safe to run again: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_date, help="Run as on this day (YYYY-MM-DD); default today."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what is due and change nothing."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        on = date or timezone.localdate()
        if dry_run:
            self._preview(on)
            return
        result = services.reminders_run(on=on, queue=False)
        if result.failed:
            self.stderr.write(
                self.style.ERROR(f"These kinds failed (see the log): {', '.join(result.failed)}")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{on:%d.%m.%Y}: {result.due} reminders due, {result.recorded} new, "
                f"{result.withdrawn} withdrawn; {result.digests} digest e-mails sent."
            )
        )

    def _preview(self, on):
        preview = services.reminders_preview(on=on)
        total = sum(len(items) for items in preview.values())
        new = sum(not recorded for items in preview.values() for _r, recorded in items)
        self.stdout.write(
            f"Dry run for {on:%d.%m.%Y}: {total} reminders due for {len(preview)} people, "
            f"{new} not recorded yet. Nothing is recorded or sent."
        )
        for person, items in preview.items():
            self.stdout.write(f"\n{person} <{person.email}> [{person.language}]")
            for reminder, recorded in items:
                due = reminder.due
                state = "recorded" if recorded else "new"
                self.stdout.write(
                    f"  [{state:>8}] {due.kind}: {due.title} — due {due.due_date:%d.%m.%Y}, "
                    f"reminder of {reminder.remind_on:%d.%m.%Y}"
                )
