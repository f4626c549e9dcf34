"""Field history and ID-number reveals. Services call these inside their own transaction."""

from django.contrib.contenttypes.models import ContentType

from civic import idnumbers
from civic.models import FieldChange, IdReveal, User

SYSTEM = "system"


def actor_parts(actor):
    """The actor as (staff account or None, label). Partners and batch jobs have no account."""
    if isinstance(actor, User):
        return actor, f"{actor} ({actor.username})"
    if actor is not None and getattr(actor, "is_authenticated", False):
        return None, f"partner: {actor}"
    return None, SYSTEM


def _text(instance, name):
    value = getattr(instance, name if not instance._meta.get_field(name).is_relation else f"{name}_id")
    if value is None:
        return ""
    if name == "id_number":
        return idnumbers.mask(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def snapshot(instance, fields):
    return {name: _text(instance, name) for name in fields}


def record_changes(*, actor, instance, fields, before=None, action=FieldChange.Action.CHANGED, region_id=None):
    """Write one history row per field whose value differs from `before` (every non-empty field when
    `before` is None, i.e. a new record). Returns the number of rows written."""
    after = snapshot(instance, fields)
    account, label = actor_parts(actor)
    content_type = ContentType.objects.get_for_model(instance)
    region_id = region_id or getattr(instance, "region_id", "") or ""
    rows = [
        FieldChange(
            content_type=content_type,
            object_id=instance.pk,
            region_id=region_id,
            action=action,
            field=name,
            before=(before or {}).get(name, ""),
            after=value,
            actor=account,
            actor_label=label,
        )
        for name, value in after.items()
        if (before is None and value != "") or (before is not None and before.get(name) != value)
    ]
    FieldChange.objects.bulk_create(rows)
    return len(rows)


def record_move(*, actor, resident, before_household, after_household):
    account, label = actor_parts(actor)
    FieldChange.objects.create(
        content_type=ContentType.objects.get_for_model(resident),
        object_id=resident.pk,
        region_id=resident.region_id or "",
        action=FieldChange.Action.MOVED,
        field="household",
        before=before_household.number if before_household else "",
        after=after_household.number,
        actor=account,
        actor_label=label,
    )


def record_reveals(*, actor, residents, channel):
    account, label = actor_parts(actor)
    IdReveal.objects.bulk_create(
        [IdReveal(resident=r, actor=account, actor_label=label, channel=channel) for r in residents]
    )
