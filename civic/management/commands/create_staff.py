from django.core.management.base import BaseCommand, CommandError

from civic import services
from civic.errors import ApplicationError
from civic.roles import Role


class Command(BaseCommand):
    help = "Create a staff account bound to a role and a region."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--region", required=True, help="region code, 12 digits or its short form")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, **o):
        try:
            user = services.staff_create(
                username=o["username"],
                password=o["password"],
                role=o["role"],
                region_code=o["region"],
                full_name=o["full_name"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.username}: {user.get_role_display()}, {user.region.name}"))
