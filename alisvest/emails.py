"""E-mails from templates, in the recipient's language.

`templates/emails/<name>_subject.txt`, `<name>_body.txt` and `<name>_body.html` (hc's layout).
Sending goes through Django's e-mail backend (console by default, SMTP via EMAIL_URL).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(name: str, context: dict, *, language: str = "nb") -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(name: str, context: dict, *, to: str, language: str = "nb") -> None:
    message = render_email(name, context, language=language)
    message.to = [to]
    message.send()


def send_to_user(name: str, context: dict, *, user) -> None:
    """Send to a person, in the language they chose."""
    send_email(
        name,
        {"recipient": user, **context},
        to=user.email,
        language=getattr(user, "language", "") or "nb",
    )
