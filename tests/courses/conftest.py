import datetime

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Certificates are written to a throwaway folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def now(time_machine):
    """Monday 23 November 2026, 12:00 in Oslo: the events of 2027 are ahead."""
    moment = datetime.datetime(2026, 11, 23, 11, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    return moment
