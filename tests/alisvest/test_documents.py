import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils import translation
from django.views.static import serve as static_serve

from alisvest.documents import document_response, validate_upload


def test_a_real_pdf_is_accepted():
    validate_upload(SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ..."))


@pytest.mark.parametrize(
    "name,content",
    [
        ("scan.exe", b"MZ..."),
        ("scan.pdf", b"<html><script>alert(1)</script>"),
        ("scan.png", b"%PDF-1.4"),
        ("noext", b"%PDF-1.4"),
    ],
)
def test_wrong_type_or_disguised_content_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "language,message",
    [("en", "too large (at most 10\xa0bytes)"), ("nb", "for stor (høyst 10\xa0byte)")],
)
def test_a_file_over_the_limit_is_refused_in_the_users_language(settings, language, message):
    settings.UPLOAD_MAX_BYTES = 10
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("scan.pdf", b"%PDF-" + b"x" * 20))
    assert message in refused.value.messages[0]


# Stored files reach a browser only through a scoped view and document_response.

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = [
    "accounts",
    "alisvest",
    "municipalities",
    "alis_agreements",
    "education_plans",
    "supervision",
    "courses",
    "reminders",
    "reports",
]


@pytest.fixture
def stored(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    name = default_storage.save("agreements/signed-scan.pdf", ContentFile(b"%PDF-1.4 secret"))
    return name


def _patterns(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns)
        else:
            yield p


def test_no_url_serves_files_from_disk():
    for pattern in _patterns(get_resolver().url_patterns):
        assert pattern.callback is not static_serve, f"{pattern.pattern} serves files from disk"


@pytest.mark.django_db
def test_a_stored_file_has_no_public_url(stored, world, client_for):
    client = client_for(world.adviser)
    for path in [f"/media/{stored}", f"/{stored}", f"/{settings.MEDIA_URL.strip('/')}/{stored}"]:
        path = path.replace("//", "/")
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404, path


def _file_field_names() -> set[str]:
    return {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }


def test_no_template_or_view_links_a_stored_file_by_its_url():
    """`record.scan.url` would point at MEDIA_URL, which nothing serves (and must not)."""
    names = _file_field_names() | {"file", "scan", "document", "attachment", "pdf"}
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.url\b")
    sources = list((ROOT / "templates").rglob("*.html"))
    for app in PROJECT_APPS:
        sources += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"stored files linked by URL: {offenders}"


@pytest.mark.django_db
def test_document_response_is_a_private_download(stored):
    response = document_response(default_storage.open(stored), filename="Avtale Ola Lege.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="avtale-ola-lege.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


@pytest.mark.django_db
def test_only_pdfs_and_pictures_are_shown_inline(stored):
    pdf = document_response(default_storage.open(stored), filename="a.pdf", inline=True)
    assert pdf["Content-Disposition"].startswith("inline")
    name = default_storage.save("imports/list.csv", ContentFile(b"<script>alert(1)</script>"))
    csv = document_response(default_storage.open(name), filename="list.csv", inline=True)
    assert csv["Content-Disposition"].startswith("attachment")
    assert csv["X-Content-Type-Options"] == "nosniff"
