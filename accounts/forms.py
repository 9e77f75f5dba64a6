from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordMixin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import MUNICIPAL_ROLES, Invitation, User, in_sentence
from accounts.scope import ADVISER_GRANTS, MANAGER_GRANTS, scope_for
from municipalities.models import Municipality

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class InvitationForm(forms.ModelForm):
    """Whom to invite, to which role, for which municipality. The choices are what the
    person may grant; the service checks the pair again."""

    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "role", "municipality", "language", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope = scope_for(user)
        roles = (ADVISER_GRANTS if scope.region_ids else frozenset()) | (
            MANAGER_GRANTS if scope.managed_municipality_ids else frozenset()
        )
        self.fields["role"].choices = [(r.value, r.label) for r in MUNICIPAL_ROLES if r in roles]
        municipalities = Municipality.objects.visible_to(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        if len(scope.managed_municipality_ids) == 1 and not scope.region_ids:
            self.fields["municipality"].initial = next(iter(scope.managed_municipality_ids))
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "email",
            Row(
                Column("first_name", css_class="col-sm-6"),
                Column("last_name", css_class="col-sm-6"),
            ),
            Row(Column("role", css_class="col-sm-6"), Column("municipality", css_class="col-sm-6")),
            Field("language", css_class="w-auto"),
            "note",
            Submit("submit", _("Send the invitation")),
        )

    def clean(self):
        cleaned = super().clean()
        role, municipality = cleaned.get("role"), cleaned.get("municipality")
        if role and municipality and not self.scope.can_grant(role, municipality):
            label = dict(self.fields["role"].choices).get(role, role)
            self.add_error(
                "role",
                _("You cannot invite a %(role)s for %(municipality)s.")
                % {"role": in_sentence(label), "municipality": municipality},
            )
        return cleaned


class AcceptInvitationForm(SetPasswordMixin, forms.Form):
    """A new person's name and first password (checked by the password validators)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The password again")
    )

    def __init__(self, *args, invitation, account=None, **kwargs):
        self.invitation = invitation
        self.account = account
        initial = {
            "first_name": (account and account.first_name) or invitation.first_name,
            "last_name": (account and account.last_name) or invitation.last_name,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("first_name", css_class="col-sm-6"),
                Column("last_name", css_class="col-sm-6"),
            ),
            "password1",
            "password2",
            Submit("submit", _("Create my account")),
        )

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        person = User(
            email=self.invitation.email,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        self.validate_password_for_user(person)
        return cleaned


class EndAssignmentForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day in the role"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        initial=timezone.localdate,
        help_text=_("Today ends the role now; a later day ends it then."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("valid_to", css_class="w-auto"),
            Submit("submit", _("End the role"), css_class="btn-danger"),
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "hpr_number", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("first_name", css_class="col-sm-6"),
                Column("last_name", css_class="col-sm-6"),
            ),
            Row(Column("phone", css_class="col-sm-6"), Column("hpr_number", css_class="col-sm-6")),
            Field("language", css_class="w-auto"),
            Submit("submit", _("Save")),
        )
