from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from accounts.scope import forget_scope, scope_for


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people come in by invitation."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """HelseID / ID-porten log in people who already have an account (matched by e-mail)."""

    def is_open_for_signup(self, request, sociallogin):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Advisers and managers must keep their authenticator app (accounts.middleware); others
    may switch two-factor off again."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP:
            forget_scope(authenticator.user)
            if scope_for(authenticator.user).requires_two_factor:
                return False
        return super().can_delete_authenticator(authenticator)
