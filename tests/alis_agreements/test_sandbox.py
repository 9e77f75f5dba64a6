"""The sandbox for the advisers' agreement templates: only the merge fields, as plain values;
no tag that reads files, settings or the context at large; errors shown to the writer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alis_agreements import sandbox, services
from alis_agreements.models import AgreementTemplate
from tests.alis_agreements.factories import AgreementFactory, AgreementMeasureFactory


def render(body: str) -> str:
    return sandbox.render_body(body, sandbox.sample_fields())


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{% static 'x' %}",
        "{% load i18n %}",
        '{% include "base.html" %}',
        '{% extends "base.html" %}',
        '{% ssi "/etc/passwd" %}',
        "{% debug %}",
        "{% url 'home' %}",
        "{% csrf_token %}",
        "{% now 'Y' %}",
        "{% lorem 100000 w %}",
        "{% autoescape off %}{{ alis_name }}{% endautoescape %}",
        "{% block x %}{% endblock %}",
        "{{ alis_name|safe }}",
        "{{ measures|pprint }}",
        "{{ alis_name|center:'999999999' }}",
    ],
)
def test_tags_and_filters_that_reach_beyond_the_fields_are_refused(body):
    errors = sandbox.check_body(body)
    assert errors and "cannot be used" in errors[0]
    with pytest.raises(sandbox.SandboxError):
        render(body)


@pytest.mark.parametrize(
    "body",
    [
        "{{ settings.SECRET_KEY }}",
        "{{ request.user.password }}",
        "{{ user.email }}",
        "{{ agreement.employment.alis.password }}",
    ],
)
def test_names_outside_the_merge_fields_render_nothing_and_are_reported(body, settings):
    assert render(body).strip() == ""
    assert settings.SECRET_KEY not in render(body)
    assert "Unknown merge field" in sandbox.check_body(body)[0]


def test_attributes_starting_with_an_underscore_are_a_syntax_error():
    errors = sandbox.check_body("{{ alis_name.__class__.__mro__ }}")
    assert errors and "underscores" in errors[0]


def test_syntax_errors_name_their_line():
    errors = sandbox.check_body("<p>ok</p>\n<p>{% if alis_name %}</p>\n")
    assert errors == ["Line 2: {% if %} is never closed."]


def test_loops_have_a_budget():
    body = "{% for a in measures %}" * 7 + "x" + "{% endfor %}" * 7
    errors = sandbox.check_body(body)
    assert errors and "repeats itself too often" in errors[0]


def test_the_default_template_checks_clean_and_renders_every_group(db):
    body = AgreementTemplate.objects.get(is_default=True).current_version().body
    assert sandbox.check_body(body) == []
    html = render(body)
    for text in ["EKSEMPELTEKST", "Standardelementer", "Tilleggselementer", "kommunen", "Ola Lege"]:
        assert text in html


def test_field_values_are_escaped():
    fields = {**sandbox.sample_fields(), "alis_name": "<script>alert(1)</script>"}
    assert "<script>" not in sandbox.render_body("{{ alis_name }}", fields)


def test_an_agreements_merge_fields_are_plain_values(world):
    agreement = AgreementFactory(employment=world.employment_a)
    AgreementMeasureFactory(agreement=agreement, amount=Decimal(12000))
    fields = services._merge_fields(agreement)

    assert set(fields) == sandbox.FIELD_NAMES
    plain = (str, int, Decimal, bool, datetime.date, type(None))
    for name, value in fields.items():
        if isinstance(value, list):
            for item in value:
                assert type(item) is dict
                assert all(isinstance(v, plain) for v in item.values()), name
        else:
            assert isinstance(value, plain), (name, type(value))
    assert fields["alis_name"] == "Ola Lege"
    assert fields["alis_hpr_number"] == "1234567"
    assert fields["municipality"] == "Sogndal"
    assert fields["percentage"] == 100
    assert fields["standard_total"] == 12000


def test_a_template_with_errors_is_not_saved(world):
    template = AgreementTemplate.objects.get(is_default=True)
    with pytest.raises(ValidationError) as error:
        services.template_version_create(
            template=template, by=world.adviser, body="{% include 'x.html' %}"
        )
    assert "body" in error.value.message_dict
    assert template.versions.count() == 1


def test_a_new_template_version_keeps_the_old_one(world):
    template = AgreementTemplate.objects.get(is_default=True)
    old = template.current_version()
    new = services.template_version_create(
        template=template, by=world.adviser, body="<h1>Avtale for {{ alis_name }}</h1>"
    )
    old.refresh_from_db()
    assert (new.number, template.current_version()) == (2, new)
    assert "EKSEMPELTEKST" in old.body


def test_only_advisers_write_templates(world):
    from django.core.exceptions import PermissionDenied

    template = AgreementTemplate.objects.get(is_default=True)
    with pytest.raises(PermissionDenied):
        services.template_version_create(template=template, by=world.manager_a, body="x")
