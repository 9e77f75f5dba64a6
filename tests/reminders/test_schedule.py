"""The schedule is code: beat starts the engine at 07:00 Oslo time, with the task that exists,
and docker-compose's beat keeps its schedule file on a volume."""

from pathlib import Path

import yaml
from django.conf import settings

from alisvest.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_beat_runs_the_engine_every_day_at_seven_oslo_time():
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-daily"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({7}, {0})
    assert schedule.day_of_week == set(range(7))
    assert settings.CELERY_TIMEZONE == "Europe/Oslo"


def test_beats_schedule_file_is_kept_on_a_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["beat"]["command"]
    schedule_file = command[command.index("--schedule") + 1]
    volumes = compose["x-app"]["volumes"] if "x-app" in compose else []
    mounts = [volume.split(":")[1] for volume in volumes]
    assert any(schedule_file.startswith(mount + "/") for mount in mounts), schedule_file
