import shutil
import subprocess

import pytest
from django.utils import translation

from alisvest.pdf import html_to_pdf, pdf_response, render_pdf


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_a_pdf_has_the_norwegian_letters_and_page_numbers(tmp_path):
    with translation.override("en"):
        pdf = render_pdf("pdf/base.html", {})
    assert "Page 1 of 1" in pdf_text(pdf, tmp_path)
    html = "<html><body><h1>Årsrapport for Bømlo, Ærøy og Øygarden</h1></body></html>"
    assert "Årsrapport for Bømlo, Ærøy og Øygarden" in pdf_text(html_to_pdf(html), tmp_path)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_a_pdf_never_fetches_local_files_or_network_urls(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    html = (
        f'<html><body><p>x</p><img src="file://{secret}">'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<img src="http://169.254.169.254/latest/meta-data/"></body></html>'
    )
    assert "TOPSECRET" not in pdf_text(html_to_pdf(html), tmp_path)


def test_pdf_response_is_inline_and_not_cached():
    response = pdf_response(b"%PDF-1.7", "Avtale Ola Nordmann.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="avtale-ola-nordmann.pdf"'
    assert "no-store" in response["Cache-Control"]
