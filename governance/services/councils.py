"""Councils and their members. A street council belongs to its street; a community, neighbourhood (小区) or
building (楼栋) council to its community."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import conflict, invalid
from civic.models import Region
from civic.models.regions import RegionLevel

from ..models import Council, CouncilLevel, CouncilMember, MemberKind, MemberRole
from .common import past_or_today, require, text

REGION_LEVEL = {
    CouncilLevel.STREET: "street",
    CouncilLevel.COMMUNITY: "community",
    CouncilLevel.NEIGHBOURHOOD: "community",
    CouncilLevel.BUILDING: "community",
}


def council_create(*, actor, region_code, level, name, place="", established_on=None):
    region = Region.objects.filter(code=region_code).first()
    require(actor, region.code if region else "-")
    errors = {}
    if level not in CouncilLevel.values:
        errors["level"] = [_("Choose the council's level.")]
    elif region.level != REGION_LEVEL[level]:
        errors["region"] = [
            _("A %(level)s council belongs to a %(region_level)s.")
            % {"level": CouncilLevel(level).label, "region_level": RegionLevel(REGION_LEVEL[level]).label}
        ]
    if not text(name):
        errors["name"] = [_("Name the council.")]
    established_on = established_on or timezone.localdate()
    past_or_today(established_on, "established_on", errors)
    if errors:
        raise invalid(errors)
    try:
        with transaction.atomic():
            return Council.objects.create(
                region=region,
                level=level,
                name=text(name),
                place=text(place),
                established_on=established_on,
                created_by=actor,
            )
    except IntegrityError:
        raise invalid({"name": [_("This area has a council of this name already.")]}) from None


def member_add(*, actor, council, name, kind, role=MemberRole.MEMBER, resident=None, phone="", joined_on=None):
    require(actor, council.region_id)
    errors = {}
    if resident is not None and not name:
        name = resident.name
    if not text(name):
        errors["name"] = [_("Give the member's name.")]
    if kind not in MemberKind.values:
        errors["kind"] = [_("Choose whom the member represents.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Choose the member's role.")]
    joined_on = joined_on or timezone.localdate()
    past_or_today(joined_on, "joined_on", errors)
    if errors:
        raise invalid(errors)
    return CouncilMember.objects.create(
        council=council,
        name=text(name),
        kind=kind,
        role=role,
        resident=resident,
        phone=text(phone),
        joined_on=joined_on,
    )


def member_leave(*, actor, member, on=None):
    require(actor, member.council.region_id)
    if member.left_on:
        raise conflict(_("This member has left already."), "member_left")
    on = on or timezone.localdate()
    errors = {}
    past_or_today(on, "left_on", errors)
    if on < member.joined_on:
        errors["left_on"] = [_("A member cannot leave before joining.")]
    if errors:
        raise invalid(errors)
    member.left_on = on
    member.save(update_fields=["left_on"])
    return member
