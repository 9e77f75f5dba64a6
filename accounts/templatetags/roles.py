from django import template

from accounts.models import in_sentence

register = template.Library()


@register.filter(name="in_sentence")
def in_sentence_filter(label) -> str:
    """A role's name inside a sentence: "som kommunal leder", but "som ALIS"."""
    return in_sentence(label)
