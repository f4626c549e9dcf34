"""Shared monitoring fixtures: the city's dibao standard, 侨光社区's caseworker and street reviewer, a family on
dibao, partner tokens for each feed, and helpers to send records and run the nightly job."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from civic.api.authentication import PartnerPrincipal
from civic.models import ApiToken
from civic.roles import Role
from monitoring.models import Alert
from monitoring.services import ingest
from relief.models import Entitlement, ReliefPolicy

QIAOGUANG = "440402005001"
GONGBEI = "440402005000"
XIANGZHOU = "440402000000"
OTHER_DISTRICT = "440403000000"


@pytest.fixture
def policy(regions):
    return ReliefPolicy.objects.create(
        state="published",
        region_id="440400000000",
        area="urban",
        effective_from=date(2020, 1, 1),
        name="测试",
        dibao_standard=Decimal("1100"),
    )


@pytest.fixture
def caseworker(staff_factory):
    return staff_factory(Role.CASEWORKER, QIAOGUANG, username="qiaoguang-caseworker")


@pytest.fixture
def reviewer(staff_factory):
    return staff_factory(Role.STREET_REVIEWER, GONGBEI, username="gongbei-reviewer")


def grant(household, programme="dibao", *, amount="1200.00", members=None, account="", payee=None, income="0"):
    """A live benefit as a migrated case (the application procedure is relief's, tested there)."""
    members = list(members if members is not None else household.members.all())
    entitlement = Entitlement.objects.create(
        household=household,
        region_id=household.region_id,
        programme=programme,
        amount=Decimal(amount),
        covered_count=len(members),
        payee=payee or household.head,
        account=account,
        basis_members=len(members),
        basis_income=Decimal(income),
        starts_on=date(2024, 1, 1),
        review_due=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    entitlement.members.set(members)
    return entitlement


@pytest.fixture
def dibao_family(household_factory, policy):
    household = household_factory(QIAOGUANG, size=3, names=["王建国", "李秀兰", "王小明"])
    return household, grant(household)


@pytest.fixture
def partner():
    """partner(feed) → a principal holding that feed's scope, for the city."""

    def make(feed, region="440400000000"):
        raw, key_hash, hint = ApiToken.generate()
        token = ApiToken.objects.create(
            name=f"{feed} partner", key_hash=key_hash, key_hint=hint, scopes=[f"monitoring:{feed}"], region_id=region
        )
        return PartnerPrincipal(token)

    return make


@pytest.fixture
def send(partner):
    """send(feed, records) through the service, as that feed's partner."""
    senders = {}

    def post(feed, records):
        if feed not in senders:
            senders[feed] = partner(feed)
        return ingest.records_receive(sender=senders[feed], feed_kind=feed, records=records)

    return post


def record(resident, reference, *, event="", on=None, amount=None, count=None, id_number=None):
    data = {
        "reference": reference,
        "id_number": id_number or resident.id_number,
        "name": resident.name if resident else "",
        "date": (on or timezone.localdate()).isoformat(),
    }
    if event:
        data["event"] = event
    if amount is not None:
        data["amount"] = amount
    if count is not None:
        data["count"] = count
    return data


@pytest.fixture
def nightly(db, django_capture_on_commit_callbacks):
    """Run a night's job to the end (in-process, as the worker would once it commits) and return it."""
    from monitoring.nightly import nightly_start

    def run(today=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = nightly_start(today=today)
        job.refresh_from_db()
        return job

    return run


def alerts(rule=None):
    queryset = Alert.objects.order_by("pk")
    return list(queryset.filter(rule=rule) if rule else queryset)
