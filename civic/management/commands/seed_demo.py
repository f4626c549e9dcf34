import time

from django.core.management.base import BaseCommand, CommandError

from civic import demo, demo_calendar, demo_population, figures
from civic.models import Household
from civic.roles import Role


class Command(BaseCommand):
    help = (
        "Load the demo city (region tree and one account per role). Safe to run again. "
        "With --households N, also add N generated households of residents (each run adds N more)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=0,
            metavar="N",
            help="Also add N generated households with their residents, for benchmarks at scale.",
        )
        parser.add_argument(
            "--min-households",
            type=int,
            default=0,
            metavar="N",
            help="Add generated households only until the demo city has N in all (what `make run` uses).",
        )

    def handle(self, *args, **options):
        households = options["households"]
        if households < 0 or options["min_households"] < 0:
            raise CommandError("--households and --min-households must be 0 or more.")
        households += max(0, options["min_households"] - Household.objects.count())
        regions = demo.regions_load()
        created = demo.accounts_load()
        self.stdout.write(f"Demo city: {regions} regions; {len(created)} new demo accounts.")
        calendar_days = demo_calendar.calendar_load()
        self.stdout.write(f"Working-day calendar: {calendar_days} days of the 2026 holiday notice.")
        # The population first: the apps' demo data (benefits, payments) is given to its households.
        if households:
            started = time.monotonic()
            added, residents = demo_population.households_add(households)
            seconds = time.monotonic() - started
            self.stdout.write(
                f"Demo population: added {added} households with {residents} residents in {seconds:.1f} s."
            )
        for loader in demo.app_loaders():
            self.stdout.write(f"Demo {loader()}.")
        # The dashboards read figures kept ready: compute them for the thirteen months of the trend.
        started = time.monotonic()
        refreshed = figures.refresh_all()
        self.stdout.write(
            f"Dashboard figures: {sum(refreshed.values())} rows from {len(refreshed)} sources "
            f"in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, full_name, role, region in demo.ACCOUNTS:
            self.stdout.write(f"  {username:<16} {Role(role).label} · {full_name} · {region}")
