"""Publishing relief policies (the dibao standard and the local options), for the partner API.

A policy is effective-dated: once its start date has come it is never changed, so that every amount worked
out under it can be explained later; the bureau publishes a new policy with a later date instead. A policy
not yet in force may still be corrected.

Guards: the relief.policy capability (403), the region inside the caller's subtree (404, as if it did not
exist). The rules are the model's own (full_clean, with its clean()) plus those below; every refusal names
its field: `topups.0.value` for a top-up's."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit
from civic.errors import ApplicationError
from civic.models import FieldChange, Region, RegionLevel, User
from relief.models import PolicyTopUp, ReliefPolicy
from relief.programmes import TopUpCategory, TopUpKind

POLICY_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
# What a caller sets; the region is given by its code, the top-ups as a list.
POLICY_FIELDS = tuple(
    f.name for f in ReliefPolicy._meta.concrete_fields if f.name not in {"id", "region", "created_at", "created_by"}
)
TOPUP_FIELDS = ("category", "min_age", "kind", "value")
MAX_TOPUP_PERCENT = Decimal("200")


def _today():
    return timezone.localdate()


def _invalid(errors):
    return ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)


def _add(errors, field, message):
    messages = errors.setdefault(field, [])
    if str(message) not in messages:
        messages.append(str(message))


def _merge(errors, exc, prefix=""):
    """A Django ValidationError's messages under this API's field names."""
    for field, messages in exc.message_dict.items():
        name = "non_field_errors" if field == NON_FIELD_ERRORS else field
        for message in messages:
            _add(errors, f"{prefix}{name}", message)


def _require(actor):
    if not access.can(actor, "relief.policy"):
        raise ApplicationError(_("You may not publish relief policies."), code="forbidden", status=403)


def _region(actor, code):
    """The region a policy is for: inside the caller's subtree (else 404), a province, city or district."""
    region = Region.objects.filter(code=code).first()
    if region is None or not access.in_scope(actor, region.code):
        message = _("There is no region with this code in your area.")
        raise ApplicationError(message, code="not_found", fields={"region": [message]}, status=404)
    if region.level not in POLICY_LEVELS:
        raise _invalid({"region": [_("A policy is set for a province, a city or a district.")]})
    return region


def _rule_errors(policy):
    """The rules the model's fields and constraints do not name a field for."""
    errors = {}
    if policy.dibao_standard is not None and policy.dibao_standard <= 0:
        _add(errors, "dibao_standard", _("The dibao standard must be more than zero."))
    for name in POLICY_FIELDS:
        value = getattr(policy, name)
        if name != "dibao_standard" and isinstance(value, Decimal) and value < 0:
            _add(errors, name, _("This cannot be negative."))
    duplicate = (
        ReliefPolicy.objects.filter(region_id=policy.region_id, area=policy.area, effective_from=policy.effective_from)
        .exclude(pk=policy.pk)
        .exists()
    )
    if duplicate:
        _add(errors, "effective_from", _duplicate_message(policy))
    return errors


def _duplicate_message(policy):
    return _("This region already has a policy for these households starting on %(date)s.") % {
        "date": policy.effective_from.isoformat()
    }


def _topup_errors(topup):
    errors = {}
    if topup.value is not None and topup.value < 0:
        _add(errors, "value", _("A top-up cannot be negative."))
    if topup.kind == TopUpKind.PERCENT and topup.value is not None and topup.value > MAX_TOPUP_PERCENT:
        _add(errors, "value", _("A percentage top-up is at most %(max)s%% of the standard.") % {"max": 200})
    if topup.category == TopUpCategory.ELDERLY and topup.min_age is None:
        _add(errors, "min_age", _("Give the age the elderly band starts at."))
    return errors


def _validate(policy, topups):
    """Every error at once: the policy's fields, then each top-up's as topups.<i>.<field>."""
    errors = _rule_errors(policy)
    try:
        # Fields already refused are left out, so a constraint on them does not repeat the message unnamed.
        policy.full_clean(exclude=list(errors))
    except ValidationError as exc:
        _merge(errors, exc)
    for i, topup in enumerate(topups):
        own = _topup_errors(topup)
        try:
            topup.full_clean(exclude=["policy", *own])
        except ValidationError as exc:
            _merge(own, exc)
        for field, messages in own.items():
            for message in messages:
                _add(errors, f"topups.{i}.{field}", message)
    if errors:
        raise _invalid(errors)


def _build_topups(items):
    return [PolicyTopUp(**{name: item.get(name) for name in TOPUP_FIELDS}) for item in items]


def _save(actor, policy, topups, *, created, before=None):
    """Save the policy and its top-ups, with their history; a duplicate that slipped in since the check is
    refused like the checked one."""
    pk = policy.pk
    try:
        with transaction.atomic():
            policy.save()
            if topups is not None:
                policy.topups.all().delete()
                for topup in topups:
                    topup.policy = policy
                PolicyTopUp.objects.bulk_create(topups)
                for topup in topups:
                    audit.record_changes(
                        actor=actor,
                        instance=topup,
                        fields=TOPUP_FIELDS,
                        action=FieldChange.Action.CREATED,
                        region_id=policy.region_id,
                    )
            audit.record_changes(
                actor=actor,
                instance=policy,
                fields=("region", *POLICY_FIELDS),
                before=before,
                action=FieldChange.Action.CREATED if created else FieldChange.Action.CHANGED,
            )
    except IntegrityError:
        policy.pk = pk  # a new policy was not saved after all
        same_day = ReliefPolicy.objects.filter(
            region_id=policy.region_id, area=policy.area, effective_from=policy.effective_from
        )
        if not same_day.exclude(pk=pk).exists():
            raise
        raise _invalid({"effective_from": [_duplicate_message(policy)]}) from None
    return policy


def policy_publish(*, actor, region_code, topups=(), **values):
    """Create a policy for `region_code` with `values` (names of POLICY_FIELDS; those left out take the
    model's defaults) and its top-ups (dicts of TOPUP_FIELDS). Returns the saved policy."""
    _require(actor)
    region = _region(actor, region_code)
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = ReliefPolicy(region=region, **values)
    if isinstance(actor, User):  # a partner system has no account: the history names it
        policy.created_by = actor
    topups = _build_topups(topups)
    _validate(policy, topups)
    return _save(actor, policy, topups, created=True)


def policy_update(*, actor, policy, region_code=None, topups=None, **changes):
    """Change a policy that is not yet in force. `changes` are POLICY_FIELDS; `topups`, when given, replace
    all of its top-ups. A policy whose start date has come is refused with 409 policy_in_force."""
    _require(actor)
    if not access.in_scope(actor, policy.region_id):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    with transaction.atomic():
        policy = ReliefPolicy.objects.select_for_update().get(pk=policy.pk)
        if policy.effective_from <= _today():
            message = _(
                "This policy has been in force since %(date)s and cannot be changed: publish a new policy "
                "with a later start date instead."
            ) % {"date": policy.effective_from.isoformat()}
            raise ApplicationError(message, code="policy_in_force", status=409)
        before = audit.snapshot(policy, ("region", *POLICY_FIELDS))
        if region_code is not None and region_code != policy.region_id:
            policy.region = _region(actor, region_code)
        for name, value in changes.items():
            setattr(policy, name, value)
        new_topups = _build_topups(topups) if topups is not None else None
        _validate(policy, new_topups if new_topups is not None else list(policy.topups.all()))
        return _save(actor, policy, new_topups, created=False, before=before)
