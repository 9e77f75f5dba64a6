from django.core.management.base import BaseCommand, CommandError

from alisvest.demo import PASSWORD, seed_all
from municipalities.models import Region


class Command(BaseCommand):
    help = "Create the demo data and demo users (idempotent), and print the logins."

    def handle(self, *args, **options):
        region = Region.objects.filter(code="vest").first()
        if region is None:
            raise CommandError("Load the municipalities first: manage.py import_municipalities")
        demo = seed_all(region)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {PASSWORD})"))
        for role, email, name in demo.printed:
            self.stdout.write(f"  {role:<22} {email:<40} {name}")
