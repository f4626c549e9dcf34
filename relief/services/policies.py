"""Relief policies (the dibao standard and the local options): drafted, simulated, published by someone else.

A policy is effective-dated and starts on the first of a month. A draft may be corrected at will; any change
clears its simulation. Publishing needs a simulation of the current draft and a second person (four eyes);
a published policy is never changed, so that every amount worked out under it can be explained later: the
bureau drafts a new one with a later date instead. Publishing starts the recompute of every entitlement the
policy governs (relief.money.recompute) once its start date has come: at once when it lies in the past or is
today, with back-pay for months already paid; otherwise on the day, by the daily job.

Guards: the relief.policy capability (403), the region inside the caller's subtree (404, as if it did not
exist). The rules are the model's own (full_clean, with its clean()) plus those below; every refusal names
its field: `topups.0.value` for a top-up's."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit, jobs
from civic.errors import ApplicationError
from civic.models import FieldChange, Region, RegionLevel, User
from relief.models import PolicyState, PolicyTopUp, ReliefPolicy
from relief.money import recompute
from relief.money.sql import MONTHLY_CASH
from relief.programmes import TopUpCategory, TopUpKind

POLICY_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
# What a caller sets; the region is given by its code, the top-ups as a list.
WORKFLOW_FIELDS = {
    "id",
    "region",
    "created_at",
    "created_by",
    "created_by_label",
    "state",
    "simulation",
    "simulated_at",
    "published_by",
    "published_at",
    "applied_at",
}
POLICY_FIELDS = tuple(f.name for f in ReliefPolicy._meta.concrete_fields if f.name not in WORKFLOW_FIELDS)
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
    if policy.effective_from is not None:
        if policy.effective_from.day != 1:
            _add(errors, "effective_from", _("A standard starts on the first day of a month."))
        published = ReliefPolicy.objects.filter(
            region_id=policy.region_id, area=policy.area, state=PolicyState.PUBLISHED
        ).exclude(pk=policy.pk)
        if published.filter(effective_from=policy.effective_from).exists():
            _add(errors, "effective_from", _duplicate_message(policy))
        else:
            latest = published.filter(effective_from__gt=policy.effective_from).order_by("-effective_from").first()
            if latest is not None:
                _add(
                    errors,
                    "effective_from",
                    _("A new policy must start after the latest published one for these households (%(date)s).")
                    % {"date": latest.effective_from.isoformat()},
                )
    programmes = policy.price_programmes
    if not isinstance(programmes, list) or not set(programmes) <= set(MONTHLY_CASH):
        _add(errors, "price_programmes", _("Choose among the monthly cash programmes: dibao and 特困."))
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


def policy_draft(*, actor, region_code, topups=(), **values):
    """Draft a policy for `region_code` with `values` (names of POLICY_FIELDS; those left out take the
    model's defaults) and its top-ups (dicts of TOPUP_FIELDS). Returns the saved draft."""
    _require(actor)
    region = _region(actor, region_code)
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = ReliefPolicy(
        region=region, state=PolicyState.DRAFT, created_by_label=audit.actor_parts(actor)[1], **values
    )
    if isinstance(actor, User):  # a partner system has no account: the history names it
        policy.created_by = actor
    topups = _build_topups(topups)
    _validate(policy, topups)
    return _save(actor, policy, topups, created=True)


def policy_update(*, actor, policy, region_code=None, topups=None, **changes):
    """Change a draft. `changes` are POLICY_FIELDS; `topups`, when given, replace all of its top-ups. The
    draft's simulation is cleared. A published policy is refused with 409 policy_published."""
    _require(actor)
    if not access.in_scope(actor, policy.region_id):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    with transaction.atomic():
        policy = ReliefPolicy.objects.select_for_update().get(pk=policy.pk)
        if policy.state != PolicyState.DRAFT:
            raise _published(policy)
        policy.simulation, policy.simulated_at = None, None
        before = audit.snapshot(policy, ("region", *POLICY_FIELDS))
        if region_code is not None and region_code != policy.region_id:
            policy.region = _region(actor, region_code)
        for name, value in changes.items():
            setattr(policy, name, value)
        new_topups = _build_topups(topups) if topups is not None else None
        _validate(policy, new_topups if new_topups is not None else list(policy.topups.all()))
        return _save(actor, policy, new_topups, created=False, before=before)


# ------------------------------------------------------------------------------ simulate and publish


def _published(policy):
    message = _("This policy was published and cannot be changed: draft a new policy with a later start date instead.")
    return ApplicationError(message, code="policy_published", status=409)


def _draft_in_scope(actor, policy):
    _require(actor)
    if not access.in_scope(actor, policy.region_id):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    policy = ReliefPolicy.objects.select_for_update().select_related("region").get(pk=policy.pk)
    if policy.state != PolicyState.DRAFT:
        raise _published(policy)
    return policy


@transaction.atomic
def policy_simulate(*, actor, policy):
    """Work out what publishing the draft would do (per district: entitlements, old and new monthly totals,
    back-pay) and keep it on the draft. Nothing else is written."""
    policy = _draft_in_scope(actor, policy)
    _validate(policy, list(policy.topups.all()))
    policy.simulation = recompute.simulate(policy)
    policy.simulated_at = timezone.now()
    policy.save(update_fields=["simulation", "simulated_at"])
    return policy


@transaction.atomic
def policy_publish(*, actor, policy):
    """Publish a simulated draft: a staff member other than the one who drafted it. When its start date has
    come, the recompute job starts at once (returned); otherwise the daily job starts it on the day."""
    policy = _draft_in_scope(actor, policy)
    if not isinstance(actor, User):
        raise ApplicationError(_("A policy is published by a member of staff."), code="forbidden", status=403)
    if policy.simulated_at is None:
        raise ApplicationError(
            _("Simulate the draft first, to see what it changes, then publish it."), code="not_simulated", status=409
        )
    access.ensure_different_people(policy.created_by, actor, step=_("publish it"))
    _validate(policy, list(policy.topups.all()))
    before = audit.snapshot(policy, ("state",))
    policy.state = PolicyState.PUBLISHED
    policy.published_by = actor
    policy.published_at = timezone.now()
    try:
        with transaction.atomic():
            policy.save(update_fields=["state", "published_by", "published_at"])
    except IntegrityError:
        raise _invalid({"effective_from": [_duplicate_message(policy)]}) from None
    audit.record_changes(actor=actor, instance=policy, fields=("state",), before=before)
    job = None
    if policy.effective_from <= _today():
        job = recompute_start(policy, actor=actor)
    return policy, job


def recompute_start(policy, *, actor=None):
    from relief import tasks

    return jobs.job_start(
        kind="relief.recompute",
        key=f"relief.recompute:{policy.pk}",
        region=policy.region,
        task=tasks.recompute_standard,
        params={"policy": policy.pk},
        actor=actor,
    )


def policies_apply_due(today=None):
    """The daily job: start the recompute of every published policy whose start date has come and that has not
    been applied yet. One already running is left to finish."""
    today = today or _today()
    started = 0
    due = ReliefPolicy.objects.filter(state=PolicyState.PUBLISHED, applied_at__isnull=True, effective_from__lte=today)
    for policy in due.select_related("region"):
        try:
            recompute_start(policy)
            started += 1
        except ApplicationError:
            continue  # running already
    return started
