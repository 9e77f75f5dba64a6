"""Uploaded and generated documents: checked on the way in, served only through scoped views.

Nothing under MEDIA_ROOT has a public URL. A view fetches the owning record through
`visible_to(user)` and returns `document_response(record.file, ...)`.
"""

import hashlib
import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

# What a file must start with to be what its name says.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".csv": (),
}
SCANS = (".pdf", ".png", ".jpg", ".jpeg")


def validate_upload(file, *, allowed=SCANS) -> None:
    """Refuse a file that is too large, of a type not allowed, or not what its name says."""
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in allowed:
        raise ValidationError(
            _("Only these file types are accepted: %(types)s.")
            % {"types": ", ".join(s.lstrip(".").upper() for s in allowed)}
        )
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(size)s).")
            % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    signatures = SIGNATURES.get(suffix, ())
    if signatures:
        head = file.read(16)
        file.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("The file's content is not a %(type)s file.")
                % {"type": suffix.lstrip(".").upper()}
            )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_file(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name)


# Shown in the browser when asked; anything else (a spreadsheet, a CSV, a stored file of an
# unexpected type) is always a download, so no stored file is ever rendered as a page of ours.
INLINE_SAFE = (".pdf", ".png", ".jpg", ".jpeg")


def document_response(field_file, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a stored document to a person who may see it (the caller checked the scope).

    This is the only way a stored file reaches a browser: MEDIA_ROOT has no URL."""
    suffix = Path(field_file.name).suffix.lower()
    stem = slugify(Path(filename).stem) or "document"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not (inline and suffix in INLINE_SAFE),
        filename=f"{stem}{suffix}",
        content_type=mimetypes.guess_type(field_file.name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
