#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  # load settings now, so a bad environment is reported plainly
    except ImproperlyConfigured as exc:
        # Django would otherwise carry on and fail later with "Models aren't loaded yet".
        sys.exit(
            f"Civic cannot start: {exc}\nSet the variables listed in README.md, or DEBUG=true on a development machine."
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
