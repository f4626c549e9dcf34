"""Shapes of the charity API: social organisations with their funds, fund ledgers, projects with their activities,
pairings (结对帮扶), and referrals of families from relief. Input serializers check shapes only (charity.services
enforces the rules). Money is a string with two decimals ("12.00"), never a number.

Partners read organisations, funds, projects and pairings; a family appears there by its household file number
at most, never by the name or the ID number of anyone in it. Referrals are for staff only."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from charity import selectors
from charity.models import (
    EntryKind,
    Fund,
    FundEntry,
    Grade,
    Organisation,
    OrganisationKind,
    Pairing,
    PairingStatus,
    PairingTarget,
    Project,
    ProjectActivity,
    ProjectCategory,
    ProjectStatus,
    Referral,
    ReferralChannel,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
)
from civic import selectors as civic_selectors
from civic.api.fields import NamedChoiceField
from civic.api.registry_serializers import OutputSerializer
from civic.models import Household
from relief import selectors as relief_selectors
from relief.models import Application

MONEY = {"max_digits": 14, "decimal_places": 2}
HOUSEHOLD_NUMBER = gettext_lazy("The household's file number (community code and sequence); never a name.")


# --------------------------------------------------------------------------------------------------- enums


def CharityChoiceField(choices_class, **kwargs):
    return NamedChoiceField("Charity", choices_class, **kwargs)


# -------------------------------------------------------------------------------------------- organisations


class CharityFundSummaryOutputSerializer(OutputSerializer):
    balance = serializers.DecimalField(help_text=gettext_lazy("What the fund holds now, in yuan."), **MONEY)

    class Meta:
        model = Fund
        fields = ["id", "name", "balance"]


class CharityOrganisationOutputSerializer(OutputSerializer):
    """A social organisation: its type, its evaluation grade and how long the grade holds."""

    kind = CharityChoiceField(OrganisationKind)
    grade = CharityChoiceField(
        Grade, allow_blank=True, help_text=gettext_lazy("The evaluation grade, 1A to 5A; blank if none.")
    )
    grade_valid = serializers.SerializerMethodField(
        help_text=gettext_lazy("The organisation has a grade and today lies within its validity.")
    )
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of its region."))
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "grade",
            "grade_valid_from",
            "grade_valid_until",
            "grade_valid",
            "region",
            "region_name",
        ]

    def get_grade_valid(self, organisation) -> bool:
        today = self.context.get("today") or timezone.localdate()
        start, end = organisation.grade_valid_from, organisation.grade_valid_until
        return bool(organisation.grade) and (start is None or start <= today) and (end is None or today <= end)


class CharityOrganisationDetailOutputSerializer(CharityOrganisationOutputSerializer):
    funds = CharityFundSummaryOutputSerializer(many=True, help_text=gettext_lazy("The organisation's funds."))

    class Meta(CharityOrganisationOutputSerializer.Meta):
        fields = [*CharityOrganisationOutputSerializer.Meta.fields, "funds"]


# ---------------------------------------------------------------------------------------------------- funds


class CharityFundOutputSerializer(OutputSerializer):
    balance = serializers.DecimalField(help_text=gettext_lazy("What the fund holds now, in yuan."), **MONEY)
    organisation_name = serializers.CharField(source="organisation.name")
    region = serializers.CharField(
        source="organisation.region_id", help_text=gettext_lazy("12-digit code of the organisation's region.")
    )

    class Meta:
        model = Fund
        fields = ["id", "name", "balance", "organisation", "organisation_name", "region"]


class CharityFundEntryOutputSerializer(OutputSerializer):
    """One line of a fund's ledger, with the balance after it."""

    kind = CharityChoiceField(EntryKind)
    amount = serializers.DecimalField(**MONEY)
    party = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The donor, or the recipient of a grant. A grant to a household shows the household's file number "
            "instead of a name."
        )
    )
    on = serializers.DateField(help_text=gettext_lazy("The date of the donation or grant."))
    balance_after = serializers.DecimalField(help_text=gettext_lazy("The fund's balance after this entry."), **MONEY)
    project = serializers.IntegerField(
        source="project_id",
        allow_null=True,
        help_text=gettext_lazy("The project a grant went to, or a donation was restricted to."),
    )
    household_number = serializers.SerializerMethodField(help_text=HOUSEHOLD_NUMBER)

    class Meta:
        model = FundEntry
        fields = ["id", "kind", "amount", "party", "purpose", "on", "balance_after", "project", "household_number"]

    def get_party(self, entry) -> str:
        return entry.household.number if entry.household_id else entry.party

    def get_household_number(self, entry) -> str | None:
        return entry.household.number if entry.household_id else None


# ------------------------------------------------------------------------------------------------- projects


class CharityProjectOutputSerializer(OutputSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    category = CharityChoiceField(ProjectCategory)
    status = CharityChoiceField(ProjectStatus)
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of where it runs."))
    region_name = serializers.CharField(source="region.name")
    budget = serializers.DecimalField(**MONEY)
    raised = serializers.DecimalField(
        help_text=gettext_lazy("Funds raised: the grants made to the project from funds."), **MONEY
    )
    spent = serializers.DecimalField(help_text=gettext_lazy("Spent on the project's activities."), **MONEY)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "organisation",
            "organisation_name",
            "category",
            "status",
            "region",
            "region_name",
            "budget",
            "raised",
            "spent",
            "starts_on",
            "ends_on",
        ]


class CharityProjectActivityOutputSerializer(OutputSerializer):
    """What the project did on a day: how many were helped and how many of them are named, never who."""

    named_beneficiaries = serializers.IntegerField(
        help_text=gettext_lazy("How many of the beneficiaries are named residents of the registry.")
    )
    spent = serializers.DecimalField(**MONEY)

    class Meta:
        model = ProjectActivity
        fields = ["id", "on", "place", "description", "beneficiaries", "named_beneficiaries", "spent"]


class CharityProjectDetailOutputSerializer(CharityProjectOutputSerializer):
    activities = CharityProjectActivityOutputSerializer(
        many=True, help_text=gettext_lazy("The project's activities, the latest first.")
    )

    class Meta(CharityProjectOutputSerializer.Meta):
        fields = [*CharityProjectOutputSerializer.Meta.fields, "description", "activities"]


# ------------------------------------------------------------------------------------------------- pairings


class CharityPairingOutputSerializer(OutputSerializer):
    """结对帮扶: an organisation or a donor paired with a street or town, or with a household, for a period."""

    helper_name = serializers.CharField(help_text=gettext_lazy("The organisation's name, or the donor's."))
    organisation = serializers.IntegerField(
        source="organisation_id", allow_null=True, help_text=gettext_lazy("Null when the helper is a donor.")
    )
    target = CharityChoiceField(PairingTarget)
    status = CharityChoiceField(PairingStatus)
    region = serializers.CharField(
        source="region_id",
        help_text=gettext_lazy("12-digit code of the street or town; of the household's community for a household."),
    )
    region_name = serializers.CharField(source="region.name")
    household_number = serializers.SerializerMethodField(
        help_text=gettext_lazy("A household pairing's household file number; null for a street. Never a name.")
    )
    activity_count = serializers.IntegerField(help_text=gettext_lazy("Activities recorded on the pairing."))
    beneficiaries = serializers.IntegerField(help_text=gettext_lazy("People helped, over all its activities."))

    class Meta:
        model = Pairing
        fields = [
            "id",
            "helper_name",
            "organisation",
            "target",
            "region",
            "region_name",
            "household_number",
            "started_on",
            "ends_on",
            "status",
            "commitment",
            "activity_count",
            "beneficiaries",
        ]

    def get_household_number(self, pairing) -> str | None:
        return pairing.household.number if pairing.household_id else None


# ------------------------------------------------------------------------------------------------ referrals


class CharityReferralEventOutputSerializer(OutputSerializer):
    status = CharityChoiceField(ReferralStatus, help_text=gettext_lazy("The status the step led to."))
    by = serializers.SerializerMethodField(help_text=gettext_lazy("Who took the step."))

    class Meta:
        model = ReferralEvent
        fields = ["status", "note", "by", "at"]

    def get_by(self, event) -> str:
        return str(event.by)


class CharityReferralOutputSerializer(OutputSerializer):
    """A family referred to a pairing, a project or a fund, and where the referral stands."""

    number = serializers.CharField(help_text=gettext_lazy("The referral's number, CR<year>-<sequence>."))
    household_number = serializers.CharField(source="household.number", help_text=HOUSEHOLD_NUMBER)
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the community."))
    region_name = serializers.CharField(source="region.name")
    reason = CharityChoiceField(ReferralReason)
    channel = CharityChoiceField(ReferralChannel)
    target_name = serializers.SerializerMethodField(
        help_text=gettext_lazy("The pairing's helper, the project's or the fund's name.")
    )
    status = CharityChoiceField(ReferralStatus)
    answer_late = serializers.SerializerMethodField(
        help_text=gettext_lazy("Still awaiting an answer after answer_due.")
    )
    amount_sought = serializers.DecimalField(allow_null=True, **MONEY)
    help_value = serializers.DecimalField(help_text=gettext_lazy("The value of the help given, in yuan."), **MONEY)
    referred_by = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "household",
            "household_number",
            "region",
            "region_name",
            "reason",
            "application",
            "channel",
            "pairing",
            "project",
            "fund",
            "target_name",
            "status",
            "answer_due",
            "answer_late",
            "amount_sought",
            "outcome",
            "help_value",
            "helped_on",
            "referred_by",
            "referred_at",
            "closed_at",
        ]

    def get_target_name(self, referral) -> str:
        if referral.pairing_id:
            return referral.pairing.helper_name
        return str(referral.project or referral.fund or "")

    def get_answer_late(self, referral) -> bool:
        return referral.status == ReferralStatus.REFERRED and referral.answer_due < timezone.localdate()

    def get_referred_by(self, referral) -> str:
        return str(referral.referred_by)


class CharityReferralDetailOutputSerializer(CharityReferralOutputSerializer):
    events = CharityReferralEventOutputSerializer(
        many=True, help_text=gettext_lazy("Every step, the first first, with who took it and the note.")
    )

    class Meta(CharityReferralOutputSerializer.Meta):
        fields = [*CharityReferralOutputSerializer.Meta.fields, "need", "events"]


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """An id, looked up only among the records the caller may see (others do not exist for them)."""

    def __init__(self, model, selector, **kwargs):
        self.selector = selector
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


def _optional_id(model, selector, help_text):
    return ScopedIdField(model, selector, required=False, allow_null=True, default=None, help_text=help_text)


class CharityReferralCreateInputSerializer(serializers.Serializer):
    household = ScopedIdField(
        Household, civic_selectors.households_for, help_text=gettext_lazy("Id of a household in your area.")
    )
    reason = CharityChoiceField(
        ReferralReason,
        help_text=gettext_lazy(
            "refused and partly_covered name the family's relief application (refused, or approved but covering "
            "the need only in part); judgement needs none."
        ),
    )
    application = _optional_id(
        Application, relief_selectors.applications_for, gettext_lazy("Id of the family's relief application.")
    )
    need = serializers.CharField(max_length=4000, help_text=gettext_lazy("What the family needs."))
    amount_sought = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("In yuan, above zero; leave out when the need is not money."),
    )
    channel = CharityChoiceField(
        ReferralChannel, help_text=gettext_lazy("Where the family is referred: send the matching id below.")
    )
    pairing = _optional_id(Pairing, selectors.pairings_for, gettext_lazy("The pairing's id, for channel pairing."))
    project = _optional_id(Project, selectors.projects_for, gettext_lazy("The project's id, for channel project."))
    fund = _optional_id(Fund, selectors.funds_for, gettext_lazy("The fund's id, for channel fund."))


class CharityReferralAcceptInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text=gettext_lazy("Kept with the step.")
    )


class CharityReferralReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000, help_text=gettext_lazy("Why: the caseworker tells the family. Becomes the outcome.")
    )


class CharityReferralHelpInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300, help_text=gettext_lazy("What help was given."))
    value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        default=0,
        help_text=gettext_lazy(
            "The value in yuan. Through a fund it is the grant to the household: above zero, and never more than "
            "the fund holds. Through a project it is what the activity spent; through a pairing, the value given."
        ),
    )
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("The day; defaults to today.")
    )
    place = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Where, for a project's activity; defaults to the household's address."),
    )
