"""Amounts for a described household under the policy in force: what the quote API and the application
workflow both call, so they compute the same amounts."""

from django.utils.translation import gettext as _

from civic.errors import ApplicationError

from . import rules
from .selectors import policy_in_force


def household_from_data(data):
    """rules.Household from validated input (the API's or the application's)."""
    members = tuple(
        rules.Member(
            name=m.get("name", ""),
            age=m["age"],
            incomes=tuple(rules.Income(i["kind"], i["amount"]) for i in m.get("incomes", ())),
            disability_grade=m.get("disability_grade"),
            serious_illness=m.get("serious_illness", False),
            student=m.get("student", False),
            covered=m.get("covered", True),
        )
        for m in data["members"]
    )
    assets = data.get("assets")
    return rules.Household(
        members=members,
        single_parent=data.get("single_parent", False),
        rigid_deduction=data.get("rigid_deduction") or rules.ZERO,
        rigid_expenditure=data.get("rigid_expenditure") or rules.ZERO,
        assets=rules.Assets(**assets) if assets is not None else None,
    )


def quote_for(*, programme, region_code, area, on, household, **options):
    """(policy, rules.Quote). Raises ApplicationError when no policy is in force there on that date."""
    policy = policy_in_force(region_code, area, on)
    if policy is None:
        message = _("No relief policy is in force for this region on %(date)s; the bureau must set one first.") % {
            "date": on.isoformat()
        }
        raise ApplicationError(message, code="no_policy", fields={"region": [message]}, status=409)
    return policy, rules.quote(programme, policy.as_rules(), household, **options)
