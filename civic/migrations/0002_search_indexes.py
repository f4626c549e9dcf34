"""PostgreSQL-only search index: trigram matching on household addresses, on UPPER(address) because
that is what Django's icontains compares (substring search over a million rows). SQLite, the embedded
default, searches without it."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS civic_household_address_trgm ON civic_household "
    "USING gin (UPPER(address) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS civic_household_address_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("civic", "0001_initial")]
    operations = [migrations.RunPython(run(CREATE), run(DROP))]
