"""The partner feeds: one API scope each, and what a record of each carries.

Every record names a person by ID number, a date and the partner's own reference; per feed it also carries an
event (what happened), an amount or a count where the feed has one. The API validates against these specs, so a
partner's engineer reads here (and in the schema) what each feed expects."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import FeedKind


@dataclass(frozen=True)
class Feed:
    kind: FeedKind
    scope_description: str
    # Allowed events with their labels; the first is the default when a record sends none.
    events: dict = field(default_factory=dict)
    amount: str = ""  # "required", "optional" or "" (not carried)
    count: str = ""
    amount_label: str = ""
    count_label: str = ""

    @property
    def scope(self):
        return f"monitoring:{self.kind.value}"

    @property
    def label(self):
        return self.kind.label


FEEDS = {
    f.kind.value: f
    for f in (
        Feed(
            FeedKind.POPULATION,
            _("Send deaths and household-registration moves (public security, health) for monitoring"),
            events={
                "death": pgettext_lazy("feed event", "Death"),
                "moved_out": _("Registration moved out"),
                "moved_in": _("Registration moved in"),
            },
        ),
        Feed(
            FeedKind.MEDICAL,
            _("Send hospital out-of-pocket costs (medical insurance) for monitoring"),
            events={"inpatient": _("In-patient stay"), "outpatient": _("Out-patient treatment")},
            amount="required",
            amount_label=_("Paid out of pocket (yuan)"),
        ),
        Feed(
            FeedKind.DISABILITY,
            _("Send disability certificates issued or withdrawn (disabled persons' federation) for monitoring"),
            events={"issued": _("Certificate issued"), "withdrawn": _("Certificate withdrawn")},
            count="optional",
            count_label=_("Disability grade"),
        ),
        Feed(
            FeedKind.UNEMPLOYMENT,
            _("Send unemployment registrations and their ends (human resources) for monitoring"),
            events={"registered": _("Registered unemployed"), "ended": _("Registration ended")},
        ),
        Feed(
            FeedKind.UTILITY,
            _("Send water, electricity and gas arrears (utilities) for monitoring"),
            events={"water": _("Water"), "electricity": _("Electricity"), "gas": _("Gas")},
            amount="required",
            count="optional",
            amount_label=_("Arrears (yuan)"),
            count_label=_("Months in arrears"),
        ),
        Feed(
            FeedKind.PROPERTY,
            _("Send property and vehicle registrations (natural resources, vehicle administration) for monitoring"),
            events={"vehicle": _("Vehicle registered"), "home": _("Home registered")},
            amount="optional",
            count="optional",
            amount_label=_("Value (yuan)"),
            count_label=_("Homes owned in all"),
        ),
        Feed(
            FeedKind.HOTLINE,
            _("Send hotline (12345) requests about hardship for monitoring"),
            events={"request": _("Request for help"), "complaint": _("Complaint")},
        ),
        Feed(
            FeedKind.SCHOOL,
            _("Send school fee waivers (education) for monitoring"),
            events={"waiver": _("Fees waived")},
            amount="optional",
            amount_label=_("Waived (yuan)"),
        ),
    )
}
