"""Two-factor authentication is required for advisers and municipal managers (DESIGN.md,
"Security baseline"): until such a person has an authenticator app set up, every page sends
them to set one up. Other roles may use it; they are not made to.

The check runs on every request, not at login, so a role granted later — or a manager role
given to someone already logged in — takes effect on their next click.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.scope import scope_for

# What still works before the authenticator is set up: logging out, allauth's two-factor and
# re-authentication pages, our page that explains it, the language switch and the health check.
EXEMPT_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "accounts:two_factor_required",
    "set_language",
    "healthz",
}
EXEMPT_PREFIXES = ("mfa_",)
NEXT_SESSION_KEY = "two_factor_next"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_PREFIXES):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not scope_for(user).requires_two_factor:
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        target = reverse("accounts:two_factor_required")
        if request.method == "GET" and not request.htmx:
            request.session[NEXT_SESSION_KEY] = request.get_full_path()
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
