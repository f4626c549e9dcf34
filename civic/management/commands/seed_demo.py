from django.core.management.base import BaseCommand

from civic import demo
from civic.roles import Role


class Command(BaseCommand):
    help = "Load the demo city (region tree and one account per role). Safe to run again."

    def handle(self, *args, **options):
        regions = demo.regions_load()
        created = demo.accounts_load()
        self.stdout.write(f"Demo city: {regions} regions; {len(created)} new demo accounts.")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, full_name, role, region in demo.ACCOUNTS:
            self.stdout.write(f"  {username:<16} {Role(role).label} · {full_name} · {region}")
