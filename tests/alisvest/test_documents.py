import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alisvest.documents import validate_upload


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


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        validate_upload(SimpleUploadedFile("scan.pdf", b"%PDF-" + b"x" * 20))
