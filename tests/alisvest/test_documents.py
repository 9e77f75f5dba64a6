import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

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


@pytest.mark.parametrize(
    "language,message",
    [("en", "too large (at most 10\xa0bytes)"), ("nb", "for stor (høyst 10\xa0byte)")],
)
def test_a_file_over_the_limit_is_refused_in_the_users_language(settings, language, message):
    settings.UPLOAD_MAX_BYTES = 10
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("scan.pdf", b"%PDF-" + b"x" * 20))
    assert message in refused.value.messages[0]
