"""Receiving partner feeds: validate a whole batch first (nothing is saved if one record is wrong), store the new
records with one multi-row INSERT that skips references already received, then match them to residents by ID
number in two set-based UPDATEs. Replaying a feed stores nothing twice: (feed, reference) is unique."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, idnumbers
from civic.errors import ApplicationError, invalid
from civic.models import Region, Resident

from ..feeds import FEEDS
from ..models import FeedRecord, MatchStatus

MAX_RECORDS = 1000
RECORD = FeedRecord._meta.db_table
RESIDENT = Resident._meta.db_table


def _clean_record(feed, raw, today):
    """One record as the model's fields, or a dict of {field: message}."""
    errors, clean = {}, {}
    reference = str(raw.get("reference") or "").strip()
    if not reference:
        errors["reference"] = _("Send the record's reference in your system (it makes a resend harmless).")
    elif len(reference) > 64:
        errors["reference"] = _("A reference has at most 64 characters.")
    clean["reference"] = reference
    try:
        clean["id_number"] = idnumbers.parse(raw.get("id_number"), today).number
    except idnumbers.InvalidIdNumber as exc:
        errors["id_number"] = str(exc)
    event = str(raw.get("event") or "").strip() or next(iter(feed.events))
    if event not in feed.events:
        errors["event"] = _("Unknown event %(value)s; this feed knows %(known)s.") % {
            "value": event,
            "known": ", ".join(feed.events),
        }
    clean["event"] = event
    when = raw.get("date")
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when)
        except ValueError:
            when = None
    if not isinstance(when, date):
        errors["date"] = _("Give the date as YYYY-MM-DD.")
    elif when > today:
        errors["date"] = _("The date cannot be in the future.")
    clean["event_date"] = when
    for name, rule, kind in (("amount", feed.amount, "amount"), ("count", feed.count, "count")):
        value = raw.get(name)
        if value in (None, ""):
            if rule == "required":
                errors[name] = _("This feed needs %(field)s on every record.") % {"field": name}
            clean[name] = None
            continue
        if not rule:
            errors[name] = _("This feed does not carry %(field)s.") % {"field": name}
            continue
        if kind == "amount":
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                value = None
            if (
                value is None
                or not value.is_finite()
                or value < 0
                or value >= Decimal("1e10")
                or value != value.quantize(Decimal("0.01"))
            ):
                errors[name] = _("An amount is a number of yuan, 0 or more, with at most two decimals.")
            clean[name] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
                errors[name] = _("A count is a whole number from 0 to 1000.")
            clean[name] = value
    clean["name"] = str(raw.get("name") or "").strip()[:50]
    clean["detail"] = str(raw.get("detail") or "").strip()[:200]
    return clean, errors


def records_receive(*, sender, feed_kind, records):
    """Store a batch of a partner's records for `feed_kind` and match them. `sender` is the partner's principal
    (its token is stored with each record; its region stands for an unmatched record's area). Returns counts:
    received, new, repeated, matched and unmatched (of the new ones), and the references not matched."""
    feed = FEEDS[feed_kind]
    if not access.can(sender, f"monitoring.feed.{feed_kind}"):
        raise ApplicationError(
            _("This token may not send %(feed)s records.") % {"feed": feed.label}, code="permission_denied", status=403
        )
    if not records:
        raise invalid({"records": [_("Send at least one record.")]})
    if len(records) > MAX_RECORDS:
        raise invalid({"records": [_("Send at most %(max)d records at a time.") % {"max": MAX_RECORDS}]})
    today = timezone.localdate()
    errors, cleaned, seen = {}, [], {}
    for index, raw in enumerate(records):
        clean, problems = _clean_record(feed, raw if isinstance(raw, dict) else {}, today)
        if clean["reference"] and clean["reference"] in seen:
            problems["reference"] = _("The same reference as record %(index)d of this batch.") % {
                "index": seen[clean["reference"]]
            }
        seen.setdefault(clean["reference"], index)
        for name, message in problems.items():
            errors[f"records[{index}].{name}"] = [message]
        cleaned.append(clean)
    if errors:
        raise invalid(errors)

    token = getattr(sender, "token", None)
    # An unmatched record belongs to the sender's area until someone reviews it.
    region = getattr(sender, "region", None) or Region.objects.filter(parent=None).order_by("code").first()
    region_id = region.pk
    now = timezone.now()
    references = [c["reference"] for c in cleaned]
    with transaction.atomic():
        known = set(
            FeedRecord.objects.filter(feed=feed_kind, reference__in=references).values_list("reference", flat=True)
        )
        fresh = [
            FeedRecord(feed=feed_kind, sender=token, received_at=now, region_id=region_id, **c)
            for c in cleaned
            if c["reference"] not in known
        ]
        # Another request with the same references may have committed in between: skip them, never fail.
        FeedRecord.objects.bulk_create(fresh, ignore_conflicts=True)
        matched, unmatched = match_pending(feed_kind=feed_kind, references=[r.reference for r in fresh])
    return {
        "received": len(cleaned),
        "new": len(fresh),
        "repeated": len(cleaned) - len(fresh),
        "matched": matched,
        "unmatched": len(unmatched),
        "unmatched_references": unmatched,
    }


def match_pending(*, feed_kind=None, references=None, include_unmatched=False):
    """Match records still pending (and, for the nightly run, those unmatched before: the resident may have been
    registered since) to residents by ID number, set-based. Returns (matched, references left unmatched)."""
    states = [MatchStatus.PENDING] + ([MatchStatus.UNMATCHED] if include_unmatched else [])
    where = [f"f.match IN ({', '.join(['%s'] * len(states))})"]
    params = list(states)
    if feed_kind is not None:
        where.append("f.feed = %s")
        params.append(feed_kind)
    if references is not None:
        if not references:
            return 0, []
        where.append(f"f.reference IN ({', '.join(['%s'] * len(references))})")
        params += references
    condition = " AND ".join(where)
    found = f"(SELECT r.id FROM {RESIDENT} r WHERE r.id_number = f.id_number)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {RECORD} AS f SET match = %s, resident_id = {found}, "
            f"region_id = COALESCE((SELECT r.region_id FROM {RESIDENT} r WHERE r.id_number = f.id_number), "
            f"f.region_id) WHERE {condition} AND EXISTS {found}",
            [MatchStatus.MATCHED, *params],
        )
        matched = cursor.rowcount
        cursor.execute(f"UPDATE {RECORD} AS f SET match = %s WHERE {condition}", [MatchStatus.UNMATCHED, *params])
    left = []
    if references is not None:
        left = list(
            FeedRecord.objects.filter(feed=feed_kind, reference__in=references, match=MatchStatus.UNMATCHED)
            .order_by("pk")
            .values_list("reference", flat=True)
        )
    return matched, left


@transaction.atomic
def record_match(*, actor, record, id_number):
    """A reviewer matches an unmatched record by hand, to a resident of their area (the partner sent an old or
    mistyped number)."""
    _require_review(actor, record)
    try:
        number = idnumbers.parse(id_number).number
    except idnumbers.InvalidIdNumber as exc:
        raise invalid({"id_number": [str(exc)]}) from None
    resident = access.scope_queryset(actor, Resident.objects.all()).filter(id_number=number).first()
    if resident is None:
        raise invalid({"id_number": [_("No resident of your area has this ID number.")]})
    FeedRecord.objects.filter(pk=record.pk).update(
        match=MatchStatus.MATCHED, resident=resident, region_id=resident.region_id
    )
    record.refresh_from_db()
    return record


@transaction.atomic
def record_set_aside(*, actor, record, reason):
    """A record that concerns nobody here (a visitor, a resident of another city) is set aside with a reason."""
    _require_review(actor, record)
    if not (reason or "").strip():
        raise invalid({"reason": [_("Say why the record is set aside.")]})
    FeedRecord.objects.filter(pk=record.pk).update(match=MatchStatus.SET_ASIDE, set_aside_reason=reason.strip())
    record.refresh_from_db()
    return record


def _require_review(actor, record):
    if not access.can(actor, "monitoring.work") or not access.in_scope(actor, record.region_id):
        raise ApplicationError(_("You may not review this record."), code="forbidden", status=403)
    if record.match != MatchStatus.UNMATCHED:
        raise ApplicationError(_("Only unmatched records are reviewed."), code="not_unmatched", status=409)
