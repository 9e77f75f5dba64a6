"""The one WeasyPrint helper: HTML templates in templates/pdf/ become A4 PDFs.

WeasyPrint would fetch any URL a document names (file:///etc/passwd, an intranet address), and
some documents are written by people (agreement templates). So a PDF fetches nothing: its CSS is
inlined by pdf/base.html, its fonts come from the system (fontconfig) and its pictures are
inline SVG or data: URLs. Any other URL is refused.
"""

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def html_to_pdf(html: str) -> bytes:
    # Imported late: WeasyPrint takes a second to import and most requests need none.
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    return HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template that extends `pdf/base.html` to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    stem = slugify(Path(filename).stem) or "document"
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stem}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    # A preview changes with every edit: never serve one from a cache.
    response["Cache-Control"] = "private, no-store"
    return response
