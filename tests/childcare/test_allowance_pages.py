"""Children's allowances and director visits on the child's case file: the director files a claim with the quoted
amount shown first, the street's supervisor verifies it, the district's officer confirms it and the relief
entitlement exists; refusals need reasons; visits recorded on the page move the next due date; the caseload's
overdue visits and claims; need-to-know 404s for everyone who may not open the case file."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from childcare import allowances, services
from childcare.models import AllowanceClaim, AllowanceStandard, CaseView, ChildProfile, ChildVisit, ClaimState
from civic.models import Resident
from civic.roles import Role
from relief.models import Entitlement

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI = "440402005002"  # 拱北街道 › 拱北社区
GONGBEI_STREET = "440402005000"
CUIXIANG_STREET = "440402001000"  # 香洲区 › 翠香街道
XIANGZHOU = "440402000000"
CITY = "440400000000"
ACCOUNT = "6217 0000 1111 2222"


@pytest.fixture
def people(staff_factory):
    return {
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="cd"),
        "gongbei_director": staff_factory(Role.CHILD_DIRECTOR, GONGBEI, username="cd-gongbei"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, GONGBEI_STREET, username="cs"),
        "other_supervisor": staff_factory(Role.CHILD_SUPERVISOR, CUIXIANG_STREET, username="cs-cuixiang"),
        "protection": staff_factory(Role.CHILD_PROTECTION, XIANGZHOU, username="cp"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="manager"),
    }


@pytest.fixture
def standard(regions):
    """2,570 a month for orphans in an institution, 2,200 for scattered orphans (and de-facto-unsupported)."""
    return AllowanceStandard.objects.create(
        region_id=CITY, effective_from=date(2024, 1, 1), institutional=Decimal("2570"), scattered=Decimal("2200")
    )


@pytest.fixture
def signed_in(client):
    """A signed-in browser in English (the source language), so messages can be matched."""

    def login(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    yield login
    translation.activate(settings.LANGUAGE_CODE)


def text(response):
    return response.content.decode()


def field_html(page, name):
    """The markup of one form field's block: its label, input, help and errors."""
    start = page.index(f'name="{name}"')
    ends = [i for i in (page.find('<div class="field', start), page.find("</form>", start)) if i != -1]
    return page[page.rindex('<div class="field', 0, start) : min(ends)]


def checked(page, name, value):
    return re.search(f'name="{name}" value="{value}"[^>]*checked', page) is not None


def child_profile(people, household_factory, categories=("orphan_scattered", "left_behind"), name="林小雨"):
    resident = household_factory(QIAOGUANG, size=1, names=[name]).head
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=date(today.year - 9, 1, 1))
    resident.refresh_from_db()
    return services.profile_register(
        actor=people["director"],
        resident=resident,
        categories=list(categories),
        director=people["director"],
        supervisor=people["supervisor"],
        guardian="林奶奶",
    )


def case_file(profile):
    return reverse("childcare:profile-detail", args=[profile.pk])


def claim_url(profile):
    return reverse("childcare:allowance-claim", args=[profile.pk])


def decide_url(step, claim):
    return reverse(f"childcare:allowance-{step}", args=[claim.profile_id, claim.pk])


CLAIM = {"kind": "orphan_scattered", "payee_name": "林奶奶", "account": ACCOUNT}


# --- the claim from filing to the entitlement ----------------------------------------------------------------------


def test_the_director_files_the_supervisor_verifies_the_officer_confirms(
    signed_in, people, standard, household_factory, django_user_model
):
    profile = child_profile(people, household_factory)
    client = signed_in(people["director"])
    page = text(client.get(case_file(profile)))
    # The quote is shown before filing, with how it was worked out; only the categories that give an allowance.
    assert 'data-testid="claim-form"' in page and 'data-testid="no-claims"' in page
    quote = page.split('data-testid="quote-orphan_scattered"')[1].split("</div>")[0]
    assert 'data-testid="quote-amount">2,200.00<' in quote
    assert "Standard for Orphan, scattered (散居): 2,200.00 yuan a month" in quote
    assert "Monthly allowance: 2,200.00 yuan" in quote
    assert 'value="orphan_scattered"' in page and 'value="left_behind"' not in field_html(page, "kind")
    assert 'value="林奶奶"' in field_html(page, "payee_name")  # the guardian, to start with
    assert "verify-form" not in page and "confirm-form" not in page

    response = client.post(claim_url(profile), CLAIM)
    assert response.status_code == 302
    assert response["Location"] == case_file(profile) + "#allowance"
    claim = AllowanceClaim.objects.get()
    assert (claim.state, claim.kind, claim.account, claim.filed_by) == (
        ClaimState.FILED,
        "orphan_scattered",
        "6217000011112222",
        people["director"],
    )
    page = text(client.get(response["Location"]))
    row = page.split(f'data-testid="claim-{claim.pk}"')[1].split("</tr>")[0]
    assert "Filed, the street verifies" in row and claim.due_on.isoformat() in row
    assert f"the street verifies it by {claim.due_on.isoformat()}" in page
    assert 'data-testid="claim-form"' not in page  # one claim at a time
    assert "verify-form" not in page  # the director does not verify

    # The street's supervisor verifies (no public notice).
    client = signed_in(people["supervisor"])
    page = text(client.get(case_file(profile)))
    assert 'data-testid="verify-form"' in page and 'data-testid="claim-form"' not in page
    assert 'data-testid="quote-amount">2,200.00<' in page
    response = client.post(decide_url("verify", claim), {"decision": "approve", "reasons": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.verified_by) == (ClaimState.VERIFIED, people["supervisor"])
    page = text(client.get(case_file(profile)))
    assert "Verified, the district confirms" in page and "confirm-form" not in page

    # The district's officer confirms: a relief entitlement paid from next month.
    client = signed_in(people["protection"])
    page = text(client.get(case_file(profile)))
    assert 'data-testid="confirm-form"' in page and "verify-form" not in page
    response = client.post(decide_url("confirm", claim), {"decision": "approve", "reasons": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.amount, claim.decided_by) == (
        ClaimState.CONFIRMED,
        Decimal("2200.00"),
        people["protection"],
    )
    entitlement = Entitlement.objects.get(programme="child_allowance")
    assert claim.entitlement == entitlement
    assert (entitlement.amount, entitlement.account) == (Decimal("2200.00"), "6217000011112222")
    assert list(entitlement.members.all()) == [profile.resident]
    page = text(client.get(case_file(profile)))
    assert "The allowance is granted: 2,200.00 yuan a month, paid from " + entitlement.starts_on.isoformat() in page
    row = page.split(f'data-testid="claim-{claim.pk}"')[1].split("</tr>")[0]
    assert "Confirmed: paid from next month" in row and "2,200.00 yuan a month" in row
    assert "Standard for Orphan, scattered (散居)" in row  # how the amount was worked out
    # The officer has no relief role: the amount, no link to the entitlement page.
    assert 'data-testid="entitlement-link"' not in page
    assert "confirm-form" not in page

    # The director sees the result and may not claim again while the allowance is paid.
    page = text(signed_in(people["director"]).get(case_file(profile)))
    assert "2,200.00 yuan a month" in page and 'data-testid="claim-form"' not in page

    # Whoever may also see the relief entitlement gets the link to it.
    admin = django_user_model.objects.create_superuser("root-pages", password="Str0ng-pass-word!")
    client = signed_in(admin)
    page = text(client.get(case_file(profile)))
    link = reverse("relief:entitlement-detail", args=[entitlement.pk])
    assert f'href="{link}" data-testid="entitlement-link"' in page
    assert client.get(link).status_code == 200


def test_the_claim_form_is_only_for_children_of_the_allowance_categories(
    signed_in, people, standard, household_factory
):
    profile = child_profile(people, household_factory, categories=["left_behind"])
    page = text(signed_in(people["director"]).get(case_file(profile)))
    assert 'data-testid="claim-form"' not in page and 'data-testid="no-allowance-kind"' in page
    response = signed_in(people["director"]).post(claim_url(profile), {**CLAIM, "kind": "left_behind"})
    assert response.status_code == 400 and not AllowanceClaim.objects.exists()


def test_without_a_standard_the_page_says_so_before_filing(signed_in, people, household_factory):
    profile = child_profile(people, household_factory)
    page = text(signed_in(people["director"]).get(case_file(profile)))
    assert 'data-testid="quote-problem"' in page and "No child allowance standard is in force here." in page


# --- refusals ------------------------------------------------------------------------------------------------------


def test_errors_and_refusals_need_reasons_next_to_the_field_with_the_input_kept(
    signed_in, people, standard, household_factory
):
    profile = child_profile(people, household_factory)
    client = signed_in(people["director"])
    response = client.post(claim_url(profile), {**CLAIM, "account": "12 34"})
    assert response.status_code == 400
    page = text(response)
    assert "An account number is 10 to 30 digits." in field_html(page, "account")
    assert 'value="12 34"' in field_html(page, "account")
    assert 'value="林奶奶"' in field_html(page, "payee_name")
    assert checked(page, "kind", "orphan_scattered")
    assert not AllowanceClaim.objects.exists()
    response = client.post(claim_url(profile), {**CLAIM, "payee_name": " "})
    assert response.status_code == 400 and "This field is required." in field_html(text(response), "payee_name")

    assert client.post(claim_url(profile), CLAIM).status_code == 302
    claim = AllowanceClaim.objects.get()

    # The supervisor refuses without reasons: the error is next to the reasons, the decision kept.
    client = signed_in(people["supervisor"])
    response = client.post(decide_url("verify", claim), {"reasons": "看情况"})
    assert response.status_code == 400 and "This field is required." in field_html(text(response), "decision")
    assert "看情况" in field_html(text(response), "reasons")
    response = client.post(decide_url("verify", claim), {"decision": "refuse", "reasons": "  "})
    assert response.status_code == 400
    page = text(response)
    assert "A refusal needs written reasons." in field_html(page, "reasons")
    assert checked(page, "decision", "refuse") and not checked(page, "decision", "approve")
    claim.refresh_from_db()
    assert claim.state == ClaimState.FILED
    response = client.post(decide_url("verify", claim), {"decision": "refuse", "reasons": "祖父母有固定收入，可以抚养"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.reasons, claim.decided_by) == (
        ClaimState.REFUSED,
        "祖父母有固定收入，可以抚养",
        people["supervisor"],
    )
    page = text(client.get(case_file(profile)))
    assert "祖父母有固定收入，可以抚养" in page and "verify-form" not in page
    # A step on a decided claim is refused in words.
    response = client.post(decide_url("verify", claim), {"decision": "approve"})
    assert response.status_code == 409 and 'data-testid="refusal"' in text(response)

    # The director may claim again; this time the district refuses, with reasons too.
    client = signed_in(people["director"])
    assert 'data-testid="claim-form"' in text(client.get(case_file(profile)))
    assert client.post(claim_url(profile), CLAIM).status_code == 302
    claim = AllowanceClaim.objects.get(state=ClaimState.FILED)
    assert signed_in(people["supervisor"]).post(decide_url("verify", claim), {"decision": "approve"}).status_code == 302
    client = signed_in(people["protection"])
    response = client.post(decide_url("confirm", claim), {"decision": "refuse", "reasons": ""})
    assert response.status_code == 400
    assert "A refusal needs written reasons." in field_html(text(response), "reasons")
    response = client.post(decide_url("confirm", claim), {"decision": "refuse", "reasons": "父亲已出狱，恢复监护"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.REFUSED and claim.reasons == "父亲已出狱，恢复监护"
    assert not Entitlement.objects.filter(programme="child_allowance").exists()
    # The officer may open the case file but does not file claims.
    assert client.post(claim_url(profile), CLAIM).status_code == 403


def test_only_the_step_s_role_decides(signed_in, people, standard, household_factory):
    profile = child_profile(people, household_factory)
    claim = allowances.claim_file(actor=people["director"], profile=profile, **CLAIM)
    # The director may open the case file but not verify or confirm.
    response = signed_in(people["director"]).post(decide_url("verify", claim), {"decision": "approve"})
    assert response.status_code == 403
    # The officer may not confirm before the street has verified.
    response = signed_in(people["protection"]).post(decide_url("confirm", claim), {"decision": "approve"})
    assert response.status_code == 409 and "that step is not possible now" in text(response)
    claim.refresh_from_db()
    assert claim.state == ClaimState.FILED


# --- need-to-know --------------------------------------------------------------------------------------------------


def test_every_page_and_action_is_404_for_those_who_may_not_open_the_case_file(
    signed_in, people, standard, household_factory
):
    profile = child_profile(people, household_factory)
    claim = allowances.claim_file(actor=people["director"], profile=profile, **CLAIM)
    today = timezone.localdate().isoformat()
    actions = [
        (claim_url(profile), CLAIM),
        (decide_url("verify", claim), {"decision": "approve"}),
        (decide_url("confirm", claim), {"decision": "approve"}),
        (reverse("childcare:visit-record", args=[profile.pk]), {"visited_on": today, "findings": "x"}),
    ]
    requests = [
        ("get", case_file(profile), {}),
        *(("post", url, data) for url, data in actions),
        *(("get", url, {}) for url, _data in actions),
    ]
    for who in ("caseworker", "manager", "other_supervisor", "gongbei_director"):
        client = signed_in(people[who])
        for method, url, data in requests:
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (who, url, response.status_code)
        assert CaseView.objects.filter(profile=profile, viewer=people[who], allowed=False).count() == len(requests)
        assert CaseView.objects.filter(profile=profile, viewer=people[who], allowed=True).count() == 0
    claim.refresh_from_db()
    assert claim.state == ClaimState.FILED and AllowanceClaim.objects.count() == 1
    assert not ChildVisit.objects.exists()

    # Those who may open the case file are sent to it from an action's address (e.g. after signing in again).
    client = signed_in(people["supervisor"])
    for url, _data in actions:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(case_file(profile) + "#"), url

    # A claim of another child, or none, is not found on this child's file either.
    other = child_profile(people, household_factory, name="陈小乐")
    client = signed_in(people["supervisor"])
    wrong = reverse("childcare:allowance-verify", args=[other.pk, claim.pk])
    assert client.post(wrong, {"decision": "approve"}).status_code == 404
    missing = reverse("childcare:allowance-verify", args=[profile.pk, claim.pk + 99])
    assert client.post(missing, {"decision": "approve"}).status_code == 404
    assert client.post(reverse("childcare:visit-record", args=[profile.pk + 99]), {}).status_code == 404

    # The caseload lists are for those who follow children; the others are refused them.
    for url in (reverse("childcare:visit-overdue"), reverse("childcare:allowance-overdue")):
        for who in ("caseworker", "manager"):
            assert signed_in(people[who]).get(url).status_code == 403, (who, url)
        for who in ("director", "supervisor", "protection"):
            assert signed_in(people[who]).get(url).status_code == 200, (who, url)


# --- visits --------------------------------------------------------------------------------------------------------


def test_visits_recorded_on_the_page_move_the_next_due_date(signed_in, people, household_factory):
    profile = child_profile(people, household_factory)
    today = timezone.localdate()
    client = signed_in(people["director"])
    page = text(client.get(case_file(profile)))
    assert 'data-testid="no-visits"' in page
    assert f'value="{today.isoformat()}"' in field_html(page, "visited_on")
    url = reverse("childcare:visit-record", args=[profile.pk])

    response = client.post(
        url, {"visited_on": (today - timedelta(days=3)).isoformat(), "findings": "在校正常，奶奶照料"}
    )
    assert response.status_code == 302 and response["Location"] == case_file(profile) + "#visits"
    profile.refresh_from_db()
    due = today - timedelta(days=3) + timedelta(days=profile.visit_every_days)
    assert profile.next_visit_due == due
    page = text(client.get(case_file(profile)))
    assert f"the next one is due by {due.isoformat()}" in page
    assert "在校正常，奶奶照料" in page.split('data-testid="visits"')[1]
    assert due.isoformat() in page.split('data-testid="next-visit"')[1].split("</dd>")[0]
    visit = ChildVisit.objects.get()
    assert (visit.visitor, visit.visited_on) == (people["director"], today - timedelta(days=3))

    # The supervisor's visit today moves it again.
    assert (
        signed_in(people["supervisor"]).post(url, {"visited_on": today.isoformat(), "findings": "复访"}).status_code
        == 302
    )
    profile.refresh_from_db()
    assert profile.next_visit_due == today + timedelta(days=profile.visit_every_days)

    # Errors stay next to the fields, with the input kept.
    client = signed_in(people["director"])
    future = (today + timedelta(days=2)).isoformat()
    response = client.post(url, {"visited_on": future, "findings": "家中无人"})
    assert response.status_code == 400
    page = text(response)
    assert "A visit cannot be in the future." in field_html(page, "visited_on")
    assert f'value="{future}"' in field_html(page, "visited_on") and "家中无人" in field_html(page, "findings")
    response = client.post(url, {"visited_on": today.isoformat(), "findings": ""})
    assert response.status_code == 400 and "This field is required." in field_html(text(response), "findings")
    assert ChildVisit.objects.count() == 2


# --- the caseload's overdue lists ----------------------------------------------------------------------------------


def test_the_overdue_visits_and_claims_of_the_caseload(signed_in, people, standard, household_factory):
    today = timezone.localdate()
    late = child_profile(people, household_factory, name="林小雨")
    on_time = child_profile(people, household_factory, name="陈小乐")
    ChildProfile.objects.filter(pk=late.pk).update(next_visit_due=today - timedelta(days=4))
    url = reverse("childcare:visit-overdue")
    for who in ("director", "supervisor", "protection"):
        page = text(signed_in(people[who]).get(url))
        assert f'data-testid="profile-{late.pk}"' in page, who
        assert "4 days overdue" in page and f'data-testid="profile-{on_time.pk}"' not in page
    page = text(signed_in(people["gongbei_director"]).get(url))
    assert 'data-testid="none-overdue"' in page  # another community's director: not on her caseload

    # Visited today: no longer overdue.
    signed_in(people["director"]).post(
        reverse("childcare:visit-record", args=[late.pk]), {"visited_on": today.isoformat(), "findings": "已走访"}
    )
    assert 'data-testid="none-overdue"' in text(signed_in(people["director"]).get(url))

    # Claims past their 15 working days.
    filed = allowances.claim_file(actor=people["director"], profile=late, **CLAIM)
    waiting = allowances.claim_file(actor=people["director"], profile=on_time, **CLAIM)
    url = reverse("childcare:allowance-overdue")
    assert 'data-testid="none-overdue"' in text(signed_in(people["supervisor"]).get(url))
    AllowanceClaim.objects.filter(pk=filed.pk).update(due_on=today - timedelta(days=2))
    for who in ("director", "supervisor", "protection"):
        page = text(signed_in(people[who]).get(url))
        row = page.split(f'data-testid="claim-{filed.pk}"')[1].split("</tr>")[0]
        assert "林小雨" in row and "2 days overdue" in row and "Filed, the street verifies" in row, who
        assert f'data-testid="claim-{waiting.pk}"' not in page
        assert case_file(late) + "#allowance" in row
    assert 'data-testid="none-overdue"' in text(signed_in(people["gongbei_director"]).get(url))
    # The case file marks the late step too.
    page = text(signed_in(people["supervisor"]).get(case_file(late)))
    assert "overdue" in page.split(f'data-testid="claim-{filed.pk}"')[1].split("</tr>")[0]


def test_navigation_reaches_the_overdue_lists(signed_in, people):
    menu = text(signed_in(people["director"]).get(reverse("home")))
    assert reverse("childcare:visit-overdue") in menu and reverse("childcare:allowance-overdue") in menu
    menu = text(signed_in(people["caseworker"]).get(reverse("home")))
    assert reverse("childcare:visit-overdue") not in menu and reverse("childcare:allowance-overdue") not in menu
