from django.core.management.base import BaseCommand, CommandError

from civic import services
from civic.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a partner system's API token. The token is printed once; only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", required=True, help="comma-separated, e.g. regions:read")
        parser.add_argument("--region", required=True, help="region code the partner is limited to")

    def handle(self, *args, **o):
        try:
            token, raw = services.partner_create(name=o["name"], scopes=o["scopes"].split(","), region_code=o["region"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"Partner {token.name}: scopes {', '.join(token.scopes)}, region {token.region.name}.")
        self.stderr.write("Store this token now; it cannot be shown again:")
        self.stdout.write(raw)
