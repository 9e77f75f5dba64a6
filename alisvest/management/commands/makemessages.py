from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching.

    msgmerge otherwise guesses a translation for a new string from a similar old one and marks
    it fuzzy; fuzzy entries are not compiled, so the page silently falls back to English. A new
    string should arrive empty, where the completeness test catches it.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
