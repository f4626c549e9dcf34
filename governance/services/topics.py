"""Topics (议题): received from residents, the residents' committee, a hotline or a member; accepted for a meeting or
declined with a reason. A hotline's reference makes its request one topic however often it is sent."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.audit import actor_parts
from civic.errors import conflict, invalid

from ..models import Topic, TopicCategory, TopicSource, TopicStatus
from .common import past_or_today, require, text


def topic_create(
    *, actor, council, title, source, category, proposer, description="", received_on=None, external_ref=""
):
    """Returns (topic, created). Staff who record council business, or a hotline system (governance.intake,
    whose topics the API always files as hotline topics)."""
    require(actor, council.region_id, ("governance.record", "governance.intake"))
    errors = {}
    if not council.is_active:
        errors["council"] = [_("This council no longer meets.")]
    if not text(title):
        errors["title"] = [_("Give the topic a title.")]
    if source not in TopicSource.values:
        errors["source"] = [_("Choose where the topic came from.")]
    if category not in TopicCategory.values:
        errors["category"] = [_("Choose the topic's category.")]
    if not text(proposer):
        errors["proposer"] = [_("Name who proposed the topic.")]
    received_on = received_on or timezone.localdate()
    past_or_today(received_on, "received_on", errors)
    if errors:
        raise invalid(errors)
    account, _label = actor_parts(actor)
    external_ref = text(external_ref)
    if external_ref:
        existing = Topic.objects.filter(source=source, external_ref=external_ref).first()
        if existing is not None:
            if existing.council_id != council.pk:
                raise conflict(_("This reference was sent already, for another council."), "reference_reused")
            return existing, False
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                council=council,
                region_id=council.region_id,
                title=text(title),
                description=text(description),
                source=source,
                category=category,
                proposer=text(proposer),
                external_ref=external_ref,
                received_on=received_on,
                created_by=account,
                created_by_token=getattr(actor, "token", None) if account is None else None,
            )
    except IntegrityError:  # the same reference sent twice at once: the first one made it
        return Topic.objects.get(source=source, external_ref=external_ref), False
    return topic, True


def _locked(actor, topic, allowed):
    require(actor, topic.region_id)
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status not in allowed:
        raise conflict(
            _("This topic is “%(status)s”: this step is not open.") % {"status": locked.get_status_display()},
            "invalid_status",
        )
    return locked


@transaction.atomic
def topic_accept(*, actor, topic):
    topic = _locked(actor, topic, {TopicStatus.PROPOSED})
    topic.status = TopicStatus.ACCEPTED
    topic.save(update_fields=["status"])
    return topic


@transaction.atomic
def topic_decline(*, actor, topic, reason):
    if not text(reason):
        raise invalid({"reason": [_("Give the reason: the proposer is told why.")]})
    topic = _locked(actor, topic, {TopicStatus.PROPOSED})
    topic.status, topic.decline_reason = TopicStatus.DECLINED, text(reason)
    topic.save(update_fields=["status", "decline_reason"])
    return topic
