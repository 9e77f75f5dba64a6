from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role, RoleAssignment, User, hpr_validator
from alis_agreements.models import (
    GRANT_ELEMENTS,
    AgreementTemplate,
    Element,
    EmploymentForm,
    EndReason,
    GrantScheme,
    GrantTable,
    Leave,
    MeasureType,
    Position,
    PositionType,
    TemplateKind,
    TemplateVersion,
    percentage_validators,
)
from alis_agreements.services import MeasureData, RateData
from alisvest.documents import SCANS
from municipalities.forms import date_field
from municipalities.models import Municipality, Practice


def _plain(value):
    """80 rather than 80.00 in a form's initial value."""
    if isinstance(value, Decimal):
        return (
            value.to_integral_value() if value == value.to_integral_value() else value.normalize()
        )
    return value


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


def _percentage_field(**kwargs):
    return forms.DecimalField(
        label=kwargs.pop("label", _("Position percentage")),
        max_digits=5,
        decimal_places=2,
        validators=percentage_validators,
        widget=forms.NumberInput(attrs={"step": "any", "min": 1, "max": 100}),
        **kwargs,
    )


# Positions


class PositionForm(forms.ModelForm):
    start_date = date_field(label=_("Start date"), required=False)
    end_date = date_field(label=_("End date"), required=False)

    class Meta:
        model = Position
        fields = [
            "municipality",
            "title",
            "practice",
            "employment_form",
            "position_type",
            "list_size",
            "status",
            "start_date",
            "end_date",
        ]
        help_texts = {"list_size": _("Patients on the list, if the position has one.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.editable_by(user).order_by("name")
        if self.instance.pk:
            del self.fields["municipality"]
            practices = Practice.objects.filter(municipality=self.instance.municipality)
        else:
            self.fields["municipality"].queryset = municipalities
            only = list(municipalities[:2])
            if len(only) == 1:  # a manager of one municipality: nothing to choose
                self.fields["municipality"].initial = only[0].pk
            practices = Practice.objects.filter(municipality__in=municipalities)
        self.fields["practice"].queryset = practices.filter(is_active=True).select_related(
            "municipality"
        )
        self.fields["practice"].label_from_instance = lambda p: f"{p.name} ({p.municipality})"
        self.helper = _helper(
            *(["municipality"] if "municipality" in self.fields else []),
            Row(Column("title", css_class="col-md-7"), Column("practice", css_class="col-md-5")),
            Row(
                Column("employment_form", css_class="col-sm-6 col-md-4"),
                Column("position_type", css_class="col-sm-6 col-md-4"),
                Column("list_size", css_class="col-sm-6 col-md-4"),
            ),
            Row(
                Column("status", css_class="col-sm-6 col-md-4"),
                Column("start_date", css_class="col-sm-6 col-md-4"),
                Column("end_date", css_class="col-sm-6 col-md-4"),
            ),
        )

    def clean(self):
        data = super().clean()
        practice, municipality = data.get("practice"), data.get("municipality")
        municipality = municipality or getattr(self.instance, "municipality", None)
        if practice and municipality and practice.municipality_id != municipality.pk:
            self.add_error("practice", _("The practice is in another municipality."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data

    def position_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "municipality"}


# Employments and ALIS


def alis_choices(user):
    """The ALIS a person can employ: those holding the ALIS role in a municipality they edit."""
    municipalities = Municipality.objects.editable_by(user)
    holders = RoleAssignment.objects.filter(role=Role.ALIS, municipality__in=municipalities)
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


class EmploymentRecordForm(forms.Form):
    alis = forms.ModelChoiceField(
        label=_("ALIS"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("– a new ALIS (fill in below) –"),
        help_text=_("ALIS already registered in your municipalities."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    hpr_number = forms.CharField(
        label=_("HPR number"), max_length=9, required=False, validators=[hpr_validator]
    )
    start_date = date_field(label=_("From"))
    end_date = date_field(label=_("To"), required=False, help_text=_("Empty: ongoing."))
    percentage = _percentage_field(initial=100)
    via_temp_agency = forms.BooleanField(label=_("Through a temp agency"), required=False)

    def __init__(self, *args, user=None, employment=None, **kwargs):
        if employment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "start_date": employment.start_date,
                    "end_date": employment.end_date,
                    "percentage": _plain(employment.percentage),
                    "via_temp_agency": employment.via_temp_agency,
                },
            )
        super().__init__(*args, **kwargs)
        self.editing = employment is not None
        period = [
            Row(
                Column("start_date", css_class="col-sm-6 col-md-4"),
                Column("end_date", css_class="col-sm-6 col-md-4"),
                Column("percentage", css_class="col-sm-6 col-md-4"),
            ),
            "via_temp_agency",
        ]
        if self.editing:
            for name in ("alis", "first_name", "last_name", "email", "hpr_number"):
                del self.fields[name]
            self.helper = _helper(*period)
            return
        self.fields["alis"].queryset = alis_choices(user)
        self.fields["alis"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.email} ({u.hpr_number or u.email})"
        )
        self.helper = _helper(
            Fieldset(_("Who"), "alis"),
            Fieldset(
                _("A new ALIS"),
                HTML(
                    '<p class="small text-body-secondary">'
                    + str(
                        _(
                            "Registers the doctor as ALIS in the municipality. They get no "
                            "password: they can be invited to the portal later."
                        )
                    )
                    + "</p>"
                ),
                Row(
                    Column("first_name", css_class="col-md-6"),
                    Column("last_name", css_class="col-md-6"),
                ),
                Row(
                    Column("email", css_class="col-md-7"),
                    Column("hpr_number", css_class="col-md-5"),
                ),
                css_class="new-alis",
            ),
            Fieldset(_("The employment"), *period),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        if self.editing or data.get("alis"):
            return data
        for name in ("first_name", "last_name", "email"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Choose an ALIS above, or fill this in for a new one."))
        return data

    @property
    def new_alis(self) -> dict | None:
        if self.editing or self.cleaned_data.get("alis"):
            return None
        return {k: self.cleaned_data[k] for k in ("email", "first_name", "last_name", "hpr_number")}

    def employment_data(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("start_date", "end_date", "percentage", "via_temp_agency")
        }


class LeaveForm(forms.ModelForm):
    start_date = date_field(label=_("From"))
    end_date = date_field(label=_("To"))

    class Meta:
        model = Leave
        fields = ["kind", "start_date", "end_date", "percentage", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(
                Column("kind", css_class="col-md-6"),
                Column("percentage", css_class="col-md-6"),
            ),
            Row(
                Column("start_date", css_class="col-sm-6"),
                Column("end_date", css_class="col-sm-6"),
            ),
            "note",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


# Agreements


class AgreementForm(forms.Form):
    template_version = forms.ModelChoiceField(
        label=_("Template"),
        queryset=TemplateVersion.objects.none(),
        empty_label=None,
        help_text=_("The newest version of each of the office's templates."),
    )
    percentage = _percentage_field()
    start_date = date_field(
        label=_("From"), help_text=_("Valid from signing: no grant before the signing date.")
    )
    end_date = date_field(
        label=_("To"),
        help_text=_(
            "At most five years full-time equivalent: longer for part time and leave. The "
            "agreement ends with the employment at the latest."
        ),
    )
    contact_name = forms.CharField(label=_("The municipality's contact person"), max_length=150)
    contact_title = forms.CharField(label=_("Title"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = [
            t.current_version()
            for t in AgreementTemplate.objects.filter(
                kind=TemplateKind.ALIS_AGREEMENT
            ).prefetch_related("versions")
        ]
        ids = [v.pk for v in current if v]
        initial = self.initial.get("template_version")
        if initial is not None:
            ids.append(getattr(initial, "pk", initial))
        self.fields["template_version"].queryset = TemplateVersion.objects.filter(
            pk__in=ids
        ).select_related("template")
        self.fields["template_version"].label_from_instance = lambda v: (
            f"{v.template.name} ({_('version')} {v.number})"
        )
        self.helper = _helper(
            "template_version",
            Row(
                Column("start_date", css_class="col-sm-6 col-md-4"),
                Column("end_date", css_class="col-sm-6 col-md-4"),
                Column("percentage", css_class="col-sm-6 col-md-4"),
            ),
            Row(
                Column("contact_name", css_class="col-md-6"),
                Column("contact_title", css_class="col-md-6"),
            ),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class MeasureForm(forms.Form):
    measure_type = forms.ModelChoiceField(
        label=_("Measure"), queryset=MeasureType.objects.none(), empty_label=_("– choose –")
    )
    element = forms.ChoiceField(label=_("Element group"), choices=Element.choices)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=10, decimal_places=2, min_value=0.01, required=False
    )
    amount = forms.DecimalField(
        label=_("Amount per year (kr)"),
        max_digits=12,
        decimal_places=0,
        min_value=0,
        required=False,
    )
    note = forms.CharField(
        label=pgettext_lazy("measure in an agreement", "Details"), max_length=300, required=False
    )

    def __init__(self, *args, measure_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_type"].queryset = measure_types
        self.helper = _helper(
            Row(
                Column("measure_type", css_class="col-md-4"),
                Column("element", css_class="col-md-3"),
                Column("quantity", css_class="col-6 col-md-2"),
                Column("amount", css_class="col-6 col-md-3"),
            ),
            Row(Column("note", css_class="col-md-9"), Column("DELETE", css_class="col-md-3")),
        )
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        kind = data.get("measure_type")
        if kind is None or data.get("DELETE"):
            return data
        if kind.is_quantity and data.get("quantity") is None:
            self.add_error("quantity", _("Give the quantity (%(unit)s).") % {"unit": kind.unit})
        if not kind.is_quantity and data.get("amount") is None:
            self.add_error("amount", _("Give the amount per year."))
        return data


class BaseMeasureFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        self.measure_types = kwargs.pop("measure_types")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "measure_types": self.measure_types}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            measure_types=self.measure_types,
        )
        self.add_fields(form, None)
        return form

    def measures(self) -> list[MeasureData]:
        return [
            MeasureData(
                measure_type=f.cleaned_data["measure_type"],
                element=f.cleaned_data["element"],
                quantity=f.cleaned_data.get("quantity"),
                amount=f.cleaned_data.get("amount"),
                note=f.cleaned_data.get("note", ""),
            )
            for f in self.forms
            if f.cleaned_data.get("measure_type") and not f.cleaned_data.get("DELETE")
        ]


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=1, can_delete=True
)


def measure_formset(data=None, *, agreement=None, prefix="measures"):
    types = MeasureType.objects.filter(is_active=True)
    initial = []
    if agreement is not None:
        used = [m.measure_type_id for m in agreement.measures.all()]
        types = MeasureType.objects.filter(Q(is_active=True) | Q(pk__in=used))
        initial = [
            {
                "measure_type": m.measure_type_id,
                "element": m.element,
                "quantity": _plain(m.quantity),
                "amount": _plain(m.amount),
                "note": m.note,
            }
            for m in agreement.measures.all()
        ]
    return MeasureFormSet(data, initial=initial, prefix=prefix, measure_types=types)


class SignForm(forms.Form):
    signed_on = date_field(
        label=_("Signed on"),
        initial=timezone.localdate,
        help_text=_("The day the last party signed: the agreement is valid from this day."),
    )
    scan = forms.FileField(
        label=_("Signed copy (scan)"),
        required=False,
        help_text=_("PDF, PNG or JPEG. It can also be uploaded later."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SCANS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("signed_on", css_class="w-auto"), "scan")


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed copy (scan)"),
        help_text=_("PDF, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SCANS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("scan")


class EndForm(forms.Form):
    ended_on = date_field(label=_("Ended on"), initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[(r.value, r.label) for r in EndReason if r != EndReason.REPLACED],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("ended_on", css_class="col-sm-6"), Column("reason", css_class="col-sm-6")),
            "note",
        )


# Templates and measure types


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 28, "class": "template-body", "spellcheck": "false"}),
        help_text=_(
            "HTML with merge fields such as {{ alis_name }} and tags such as {% if %} and "
            "{% for %}. Use the preview to see the PDF."
        ),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    kind = forms.ChoiceField(
        choices=TemplateKind.choices,
        initial=TemplateKind.ALIS_AGREEMENT,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, new_template=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new_template:
            del self.fields["name"]
            del self.fields["description"]
            del self.fields["kind"]
        self.helper = _helper(*self.fields)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if AgreementTemplate.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A template has this name already."))
        return name


class MeasureTypeForm(forms.ModelForm):
    class Meta:
        model = MeasureType
        fields = [
            "name",
            "element",
            "measured_in",
            "unit",
            "default_value",
            "description",
            "order",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("name", css_class="col-md-7"), Column("element", css_class="col-md-5")),
            Row(
                Column("measured_in", css_class="col-sm-6 col-md-4"),
                Column("unit", css_class="col-sm-6 col-md-4"),
                Column("default_value", css_class="col-sm-6 col-md-4"),
            ),
            "description",
            Row(Column("order", css_class="col-sm-4"), Column("is_active", css_class="col-sm-8")),
        )

    def clean(self):
        data = super().clean()
        if data.get("measured_in") == MeasureType.MeasuredIn.QUANTITY and not data.get("unit"):
            self.add_error("unit", _("A quantity needs a unit, e.g. “hours per month”."))
        return data


# Grants


class GrantSchemeForm(forms.ModelForm):
    class Meta:
        model = GrantScheme
        fields = ["name", "description", "municipalities"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "municipalities": forms.SelectMultiple(attrs={"size": 12}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.advised_by(user).order_by(
            "name"
        )
        self.helper = _helper("name", "description", "municipalities")


CENTRALITY_CHOICES = [(i, str(i)) for i in range(1, 7)]


class GrantTableForm(forms.ModelForm):
    special_centrality_classes = forms.TypedMultipleChoiceField(
        label=_("Centrality classes with special recruitment challenges"),
        choices=CENTRALITY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-inline"}),
        help_text=_("Municipalities in these classes may have additional elements funded."),
    )

    class Meta:
        model = GrantTable
        fields = [
            "year",
            "special_centrality_classes",
            "excludes_temp_agency",
            "municipal_share",
            "is_example",
            "source",
        ]
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]
        self.helper = _helper(
            *([Field("year", css_class="w-auto")] if "year" in self.fields else []),
            Div("special_centrality_classes", css_class="centrality-choices"),
            Row(
                Column("municipal_share", css_class="col-md-4"),
                Column("excludes_temp_agency", "is_example", css_class="col-md-8 pt-md-4"),
            ),
            "source",
        )


class GrantRateForm(forms.Form):
    element = forms.ChoiceField(
        label=_("Element group"), choices=[(e.value, e.label) for e in GRANT_ELEMENTS]
    )
    label = forms.CharField(label=_("What it is for"), max_length=120)
    position_type = forms.ChoiceField(
        label=_("Position type"),
        choices=[("", _("Any"))] + PositionType.choices,
        required=False,
    )
    employment_form = forms.ChoiceField(
        label=_("Employment form"),
        choices=[("", _("Any"))] + EmploymentForm.choices,
        required=False,
    )
    min_percentage = forms.DecimalField(
        label=_("From position %"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
    )
    amount = forms.DecimalField(
        label=_("Amount per ALIS-year (kr)"), max_digits=12, decimal_places=0, min_value=0
    )
    prorate_by_percentage = forms.BooleanField(
        label=_("In proportion to the position percentage"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(
                Column("element", css_class="col-md-3"),
                Column("label", css_class="col-md-3"),
                Column("position_type", css_class="col-md-3"),
                Column("employment_form", css_class="col-md-3"),
            ),
            Row(
                Column("min_percentage", css_class="col-6 col-md-3"),
                Column("amount", css_class="col-6 col-md-3"),
                Column("prorate_by_percentage", css_class="col-md-4 pt-md-4"),
                Column("DELETE", css_class="col-md-2 pt-md-4"),
            ),
        )
        self.helper.disable_csrf = True


class BaseRateFormSet(forms.BaseFormSet):
    def rates(self) -> list[RateData]:
        return [
            RateData(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


RateFormSet = forms.formset_factory(
    GrantRateForm, formset=BaseRateFormSet, extra=1, can_delete=True
)


def rate_formset(data=None, *, table=None):
    initial = []
    if table is not None:
        initial = [
            {
                "element": r.element,
                "label": r.label,
                "position_type": r.position_type,
                "employment_form": r.employment_form,
                "min_percentage": _plain(r.min_percentage),
                "amount": r.amount,
                "prorate_by_percentage": r.prorate_by_percentage,
            }
            for r in table.rates.all()
        ]
    return RateFormSet(data, initial=initial, prefix="rates")


class GrantSummaryForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user).order_by(
            "name"
        )
        self.fields["municipality"].to_field_name = "number"
