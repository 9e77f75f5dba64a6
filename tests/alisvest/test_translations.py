"""The catalogues are complete: every string of the portal has a bokmål and a nynorsk text,
and the placeholders match (msgfmt --check-format)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_is_complete_and_well_formed(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\d+ translated messages\.$", result.stderr.strip()), result.stderr
