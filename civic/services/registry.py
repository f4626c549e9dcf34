"""Writes of the registry: households, their members, moves between households, deaths. Every write checks the
access module, runs in one transaction and leaves field-history rows."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit, idnumbers
from civic.errors import ApplicationError
from civic.models import FieldChange, Household, HouseholdMembership, Region, Relationship, Resident
from civic.signals import resident_died

logger = logging.getLogger(__name__)

HOUSEHOLD_FIELDS = ("region", "address", "is_rural", "head")
MEMBER_FIELDS = (
    "id_number",
    "name",
    "sex",
    "birth_date",
    "phone",
    "hukou_type",
    "disability_category",
    "disability_grade",
    "serious_illness",
    "illness_note",
    "work_ability",
    "relationship",
)


def _forbidden():
    return ApplicationError(
        _("You may not change households in this community."), code="forbidden", fields={"region": []}, status=403
    )


def _community(actor, code):
    region = Region.objects.filter(code=code, level="community").first()
    if region is None:
        raise ApplicationError(
            _("Choose a community or village; %(code)s is not one.") % {"code": code},
            code="invalid",
            fields={"region": [_("Choose a community or village.")]},
        )
    if not access.can(actor, "registry.edit") or not access.in_scope(actor, region.code):
        raise _forbidden()
    return region


def duplicate_message(actor, existing):
    """Where an ID number is already registered: the place when the actor may see it, else only the fact."""
    if access.in_scope(actor, existing.region_id) and existing.household_id:
        return _("This ID number is already registered: %(name)s, household %(number)s (%(community)s).") % {
            "name": existing.name,
            "number": existing.household.number,
            "community": existing.region.name,
        }
    return _("This ID number is already registered in another community.")


def clean_member(actor, data, *, resident=None):
    """Validate one member's fields; returns a new dict with the ID number normalised and the birth date
    and sex derived from it. Raises ApplicationError naming the field."""
    data = dict(data)
    try:
        parsed = idnumbers.parse(data.get("id_number"))
    except idnumbers.InvalidIdNumber as exc:
        raise ApplicationError(str(exc), code="invalid_id_number", fields={"id_number": [str(exc)]}) from None
    existing = Resident.objects.select_related("household", "region").filter(id_number=parsed.number).first()
    if existing is not None and existing != resident:
        message = duplicate_message(actor, existing)
        raise ApplicationError(message, code="duplicate_id_number", fields={"id_number": [message]})
    data.update(id_number=parsed.number, birth_date=parsed.birth_date, sex=parsed.sex)
    if not (data.get("name") or "").strip():
        raise ApplicationError(_("Enter the name."), code="invalid", fields={"name": [_("Enter the name.")]})
    data["name"] = data["name"].strip()
    category, grade = data.get("disability_category") or "", data.get("disability_grade")
    if bool(category) != (grade is not None):
        message = _("Give both the disability category and the grade (1–4), or neither.")
        raise ApplicationError(message, code="invalid", fields={"disability_grade": [message]})
    if grade is not None and not 1 <= int(grade) <= 4:
        message = _("The disability grade is 1, 2, 3 or 4.")
        raise ApplicationError(message, code="invalid", fields={"disability_grade": [message]})
    data["disability_category"] = category
    return data


def _clean_members(actor, members, residents=None, other_relationships=()):
    """Validate a list of members with errors keyed members.<i>.<field>. `other_relationships` are
    those of current members left unchanged, so the one-head rule holds for the final household."""
    errors, cleaned, seen, code = {}, [], {}, None
    for i, member in enumerate(members):
        try:
            item = clean_member(actor, member, resident=(residents or {}).get(member.get("pk")))
        except ApplicationError as exc:
            errors.update({f"members.{i}.{field}": messages for field, messages in exc.fields.items()})
            code = code or exc.code
            continue
        if item["id_number"] in seen:
            errors[f"members.{i}.id_number"] = [_("The same ID number is entered twice in this household.")]
            code = code or "duplicate_id_number"
        seen[item["id_number"]] = i
        cleaned.append(item)
    relationships = [m.get("relationship") for m in members] + list(other_relationships)
    heads = relationships.count(Relationship.HEAD)
    if heads != 1:
        errors["members"] = [_("A household has exactly one head; %(count)d are marked.") % {"count": heads}]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code=code or "invalid", fields=errors)
    return cleaned


def _registered_meanwhile():
    # The unique index caught an ID number registered by someone else since validation.
    message = _("One of these ID numbers was registered by someone else just now. Check and try again.")
    return ApplicationError(message, code="duplicate_id_number", fields={"id_number": [message]})


def _fields(data):
    return {k: v for k, v in data.items() if k in MEMBER_FIELDS}


@transaction.atomic
def household_create(*, actor, region_code, address, members, is_rural=None, action=FieldChange.Action.CREATED):
    region = _community(actor, region_code)
    if not (address or "").strip():
        raise ApplicationError(_("Enter the address."), code="invalid", fields={"address": [_("Enter the address.")]})
    cleaned = _clean_members(actor, members)
    now = timezone.now()
    household = Household.objects.create(
        region=region, address=address.strip(), is_rural=region.is_rural if is_rural is None else is_rural
    )
    try:
        with transaction.atomic():
            residents = [Resident.objects.create(**_fields(m), household=household, region=region) for m in cleaned]
    except IntegrityError:
        raise _registered_meanwhile() from None
    HouseholdMembership.objects.bulk_create(
        [
            HouseholdMembership(resident=r, household=household, relationship=r.relationship, started_at=now)
            for r in residents
        ]
    )
    household.head = next(r for r in residents if r.relationship == Relationship.HEAD)
    household.save(update_fields=["head", "updated_at"])
    audit.record_changes(actor=actor, instance=household, fields=HOUSEHOLD_FIELDS, action=action)
    for resident in residents:
        audit.record_changes(actor=actor, instance=resident, fields=MEMBER_FIELDS, action=action)
    return household


@transaction.atomic
def household_update(*, actor, household, region_code, address, is_rural, members=()):
    """Change the household's own fields and, in the same step, its members' fields.

    `members` is a list of dicts: with "pk" to change a current member, without it to add a new one.
    Members not listed keep their values. The final household must have exactly one head."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _community(actor, household.region_id)
    region = _community(actor, region_code)
    if not (address or "").strip():
        raise ApplicationError(_("Enter the address."), code="invalid", fields={"address": [_("Enter the address.")]})
    current = {r.pk: r for r in household.members.select_for_update().order_by("pk")}
    listed = {m["pk"] for m in members if m.get("pk")}
    if listed - set(current):
        raise ApplicationError(_("A member listed is not in this household."), code="invalid")
    unchanged = [r.relationship for pk, r in current.items() if pk not in listed]
    cleaned = _clean_members(actor, members, residents=current, other_relationships=unchanged)

    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    household.region, household.address, household.is_rural = region, address.strip(), is_rural
    now = timezone.now()
    head = next((r for pk, r in current.items() if pk not in listed and r.relationship == Relationship.HEAD), None)
    try:
        with transaction.atomic():
            for member, data in zip(members, cleaned, strict=True):
                resident = current.get(member.get("pk"))
                if resident is None:
                    resident = Resident.objects.create(**_fields(data), household=household, region=region)
                    HouseholdMembership.objects.create(
                        resident=resident, household=household, relationship=resident.relationship, started_at=now
                    )
                    audit.record_changes(
                        actor=actor, instance=resident, fields=MEMBER_FIELDS, action=FieldChange.Action.CREATED
                    )
                else:
                    old = audit.snapshot(resident, MEMBER_FIELDS)
                    for name, value in _fields(data).items():
                        setattr(resident, name, value)
                    resident.save()
                    if old["relationship"] != resident.relationship:
                        HouseholdMembership.objects.filter(resident=resident, ended_at__isnull=True).update(
                            relationship=resident.relationship
                        )
                    audit.record_changes(actor=actor, instance=resident, fields=MEMBER_FIELDS, before=old)
                if resident.relationship == Relationship.HEAD:
                    head = resident
    except IntegrityError:
        raise _registered_meanwhile() from None
    household.head = head
    household.save()
    if before["region"] != region.code:
        # The whole household moved to another community: its members' scope follows, in the history too.
        for resident in household.members.all():
            old = audit.snapshot(resident, ["region"])
            resident.region = region
            resident.save(update_fields=["region", "updated_at"])
            audit.record_changes(actor=actor, instance=resident, fields=["region"], before=old)
    audit.record_changes(actor=actor, instance=household, fields=HOUSEHOLD_FIELDS, before=before)
    return household


@transaction.atomic
def resident_add(*, actor, household, member):
    """Register a new person as a member of an existing household (a birth, a marriage, a newcomer).

    `member` is a dict of MEMBER_FIELDS; the ID number gives the birth date and sex. A new head is
    accepted only when the household has none."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    region = _community(actor, household.region_id)
    data = clean_member(actor, member)
    if data.get("relationship") == Relationship.HEAD and household.head_id is not None:
        message = _("That household already has a head; choose another relationship.")
        raise ApplicationError(message, code="invalid", fields={"relationship": [message]})
    try:
        with transaction.atomic():
            resident = Resident.objects.create(**_fields(data), household=household, region=region)
    except IntegrityError:
        raise _registered_meanwhile() from None
    HouseholdMembership.objects.create(
        resident=resident, household=household, relationship=resident.relationship, started_at=timezone.now()
    )
    if resident.relationship == Relationship.HEAD:
        household.head = resident
        household.save(update_fields=["head", "updated_at"])
    audit.record_changes(actor=actor, instance=resident, fields=MEMBER_FIELDS, action=FieldChange.Action.CREATED)
    return resident


def _member_dict(resident):
    return {name: getattr(resident, name) for name in MEMBER_FIELDS}


@transaction.atomic
def resident_move(*, actor, resident, to_household, relationship, reason=""):
    """Move a person to another household; the old membership is closed, the history kept."""
    source_id = Resident.objects.filter(pk=resident.pk).values_list("household_id", flat=True).get()
    # Lock households before residents, in primary-key order, as household_update does: no deadlocks.
    locked = Household.objects.select_for_update().filter(pk__in={source_id, to_household.pk} - {None}).order_by("pk")
    households = {h.pk: h for h in locked}
    resident = Resident.objects.select_for_update(of=("self",)).get(pk=resident.pk)
    if resident.household_id != source_id:
        raise ApplicationError(
            _("This person's household changed meanwhile; reload the page and try again."), code="conflict", status=409
        )
    source, target = households.get(source_id), households[to_household.pk]
    if source is not None:
        _community(actor, source.region_id)
    _community(actor, target.region_id)
    if source is not None and source.pk == target.pk:
        raise ApplicationError(
            _("This person already lives in that household."), code="invalid", fields={"household": []}
        )
    if relationship == Relationship.HEAD and target.head_id is not None:
        message = _("That household already has a head; choose another relationship.")
        raise ApplicationError(message, code="invalid", fields={"relationship": [message]})
    if source is not None and source.head_id == resident.pk and source.members.exclude(pk=resident.pk).exists():
        message = _("Make another member head of the household before moving the head out.")
        raise ApplicationError(message, code="head_must_stay", fields={"household": [message]})
    now = timezone.now()
    HouseholdMembership.objects.filter(resident=resident, ended_at__isnull=True).update(
        ended_at=now, end_reason=reason[:200]
    )
    HouseholdMembership.objects.create(resident=resident, household=target, relationship=relationship, started_at=now)
    old = audit.snapshot(resident, MEMBER_FIELDS)
    resident.household, resident.relationship, resident.region_id = target, relationship, target.region_id
    resident.save(update_fields=["household", "relationship", "region", "updated_at"])
    if source is not None and source.head_id == resident.pk:
        source.head = None
        source.save(update_fields=["head", "updated_at"])
    if relationship == Relationship.HEAD:
        target.head = resident
        target.save(update_fields=["head", "updated_at"])
    audit.record_move(actor=actor, resident=resident, before_household=source, after_household=target)
    audit.record_changes(actor=actor, instance=resident, fields=MEMBER_FIELDS, before=old)
    return resident


def _send_resident_died(resident, died_on):
    # After commit, so a receiver never acts on a death that was rolled back. A failing receiver must not turn a
    # recorded death into an error page: it is logged with its traceback, and the others still run.
    for receiver, result in resident_died.send_robust(sender=Resident, resident=resident, died_on=died_on):
        if isinstance(result, Exception):
            logger.error("resident_died receiver %r failed for resident %s", receiver, resident.pk, exc_info=result)


@transaction.atomic
def resident_record_death(*, actor, resident, died_on):
    """Record that a resident died on `died_on`. The domain apps are told once the death is committed
    (civic.signals.resident_died): relief, for one, brings the household's benefit review forward."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if not access.can(actor, "registry.edit") or not access.in_scope(actor, resident.region_id):
        raise ApplicationError(
            _("You may not change residents of this community."), code="forbidden", fields={"died_on": []}, status=403
        )
    if resident.died_on is not None:
        message = _("The death of %(name)s is already recorded (%(date)s).") % {
            "name": resident.name,
            "date": resident.died_on.isoformat(),
        }
        raise ApplicationError(message, code="already_recorded", fields={"died_on": [message]}, status=409)
    if died_on is None:
        message = _("Enter the date of death.")
        raise ApplicationError(message, code="invalid", fields={"died_on": [message]})
    if died_on > timezone.localdate():
        message = _("The date of death cannot be in the future.")
        raise ApplicationError(message, code="invalid", fields={"died_on": [message]})
    if died_on < resident.birth_date:
        message = _("The date of death cannot be before the date of birth.")
        raise ApplicationError(message, code="invalid", fields={"died_on": [message]})
    before = audit.snapshot(resident, ["died_on"])
    resident.died_on = died_on
    resident.save(update_fields=["died_on", "updated_at"])
    audit.record_changes(actor=actor, instance=resident, fields=["died_on"], before=before)
    transaction.on_commit(lambda: _send_resident_died(resident, died_on))
    return resident
