from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people come in by invitation."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """HelseID / ID-porten log in people who already have an account (matched by e-mail)."""

    def is_open_for_signup(self, request, sociallogin):
        return False
