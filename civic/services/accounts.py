"""Staff accounts and partner tokens."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civic.api.scopes import SCOPES, unknown_scopes
from civic.errors import ApplicationError
from civic.models import ApiToken, Region, RegionLevel, User, normalise_region_code
from civic.roles import ROLE_LEVEL, Role


def region_get(*, code):
    try:
        return Region.objects.get(code=normalise_region_code(code))
    except (ValueError, Region.DoesNotExist):
        raise ApplicationError(
            _("No region has the code %(code)s.") % {"code": code}, code="unknown_region", fields={"region": [code]}
        ) from None


@transaction.atomic
def staff_create(*, username, password, role, region_code, full_name=""):
    if role not in Role.values:
        raise ApplicationError(
            _("Unknown role %(role)s; choose one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)},
            code="unknown_role",
            fields={"role": [role]},
        )
    region = region_get(code=region_code)
    level = ROLE_LEVEL[Role(role)]
    if level is not None and region.level != level:
        raise ApplicationError(
            _("A %(role)s works at %(level)s level, but %(region)s is a %(actual)s.")
            % {
                "role": Role(role).label,
                "level": RegionLevel(level).label,
                "region": region.name,
                "actual": region.get_level_display(),
            },
            code="wrong_region_level",
            fields={"region": [region.code]},
        )
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            _("The username %(username)s is taken.") % {"username": username},
            code="username_taken",
            fields={"username": [username]},
        )
    user = User(username=username, full_name=full_name, role=role, region=region)
    # City managers maintain regions, tokens and schedules in the admin site.
    user.is_staff = role == Role.CITY_MANAGER
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="weak_password", fields={"password": exc.messages}
        ) from None
    user.set_password(password)
    user.save()
    if user.is_staff:
        _grant_admin_permissions(user)
    return user


def _grant_admin_permissions(user):
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(
        content_type__app_label__in=["civic", "django_celery_beat"],
        content_type__model__in=["region", "apitoken", "periodictask", "crontabschedule", "intervalschedule"],
    )
    user.user_permissions.add(*perms)


@transaction.atomic
def partner_create(*, name, scopes, region_code):
    """Create a partner token. Returns (token, raw) — the raw token is shown once and never stored."""
    scopes = sorted({s.strip() for s in scopes if s.strip()})
    unknown = unknown_scopes(scopes)
    if not scopes or unknown:
        raise ApplicationError(
            _("Unknown scopes: %(unknown)s. Known scopes: %(known)s.")
            % {"unknown": ", ".join(unknown) or "-", "known": ", ".join(sorted(SCOPES))},
            code="unknown_scope",
            fields={"scopes": unknown},
        )
    region = region_get(code=region_code)
    raw, key_hash, hint = ApiToken.generate()
    token = ApiToken.objects.create(name=name, key_hash=key_hash, key_hint=hint, scopes=scopes, region=region)
    return token, raw
