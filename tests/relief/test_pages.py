"""Relief pages: filing through the browser form, each role's step, scoping and the household panel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civic.roles import Role
from relief.models import Application, Status

QIAOGUANG = "440402005001"


@pytest.fixture
def people(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "elsewhere": staff_factory(Role.CASEWORKER, "440402001001", username="cw-kangning"),
        "colleague": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw2"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district"),
    }


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")


def file_form(household, **extra):
    head = household.head
    data = {
        "household": household.pk,
        "programme": "dibao",
        "public_notice": "",
        "incomes-TOTAL_FORMS": "1",
        "incomes-INITIAL_FORMS": "0",
        "incomes-0-resident": head.pk,
        "incomes-0-kind": "wages",
        "incomes-0-monthly_amount": "1400",
        "assets-TOTAL_FORMS": "0",
        "assets-INITIAL_FORMS": "0",
        "expenses-TOTAL_FORMS": "0",
        "expenses-INITIAL_FORMS": "0",
        "id_proof": pdf("id.pdf"),
        "commitment": pdf("c.pdf"),
        "declaration": pdf("d.pdf"),
    }
    data.update(extra)
    return data


def test_any_caseworker_in_the_city_may_accept_and_it_goes_to_the_households_street(
    client, people, household_factory, policy
):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["elsewhere"])  # a caseworker of another community (全城通办)
    page = client.get(reverse("relief:application-file"), {"id_number": household.head.id_number})
    assert page.status_code == 200 and household.number in page.content.decode()
    response = client.post(reverse("relief:application-file"), file_form(household))
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.region_id == QIAOGUANG and application.documents.count() == 3
    assert application.incomes.get().monthly_amount == Decimal("1400")


def test_a_missing_document_is_named_and_nothing_is_saved(client, people, household_factory, policy):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    data = file_form(household)
    del data["commitment"]
    response = client.post(reverse("relief:application-file"), data)
    assert response.status_code == 200
    assert response.context["filing"].errors["commitment"]
    assert not Application.objects.exists()


def test_each_role_takes_its_step_through_the_pages(client, people, household_factory, policy):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    client.post(reverse("relief:application-file"), file_form(household))
    application = Application.objects.get()
    act = lambda name: reverse("relief:application-act", args=[application.pk, name])  # noqa: E731

    client.force_login(people["reviewer"])
    assert client.post(act("investigation")).status_code == 302
    client.force_login(people["caseworker"])
    visit = {"visited_on": timezone.localdate(), "second_investigator": people["colleague"].pk, "findings": "家中简陋"}
    assert client.post(act("home-visit"), visit).status_code == 302
    client.force_login(people["reviewer"])
    client.post(act("cross-check"), {"source": "核对中心", "passed": "1", "details": ""})
    assert client.post(act("opinion"), {"opinion": "approve", "reasons": "符合条件"}).status_code == 302
    Application.objects.filter(pk=application.pk).update(notice_until=timezone.localdate() - timedelta(days=1))
    client.force_login(people["approver"])
    page = client.get(reverse("relief:application-detail", args=[application.pk])).content.decode()
    assert 'data-testid="action-decision"' in page
    assert client.post(act("decision"), {"approve": "1", "reasons": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    panel = client.get(reverse("registry:household-detail", args=[household.pk])).content.decode()
    assert 'data-testid="relief-panel"' in panel and str(application.amount) in panel


def test_a_step_refused_by_the_rules_shows_the_reason_next_to_the_form(client, people, household_factory, policy):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    client.post(reverse("relief:application-file"), file_form(household))
    application = Application.objects.get()
    client.force_login(people["reviewer"])
    client.post(reverse("relief:application-act", args=[application.pk, "investigation"]))
    response = client.post(
        reverse("relief:application-act", args=[application.pk, "opinion"]), {"opinion": "approve", "reasons": "符合"}
    )
    assert response.status_code == 400
    assert response.context["actions"]["opinion"].non_field_errors()


def test_other_communities_and_streets_get_404(client, people, household_factory, policy, staff_factory):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    client.post(reverse("relief:application-file"), file_form(household))
    application = Application.objects.get()
    for user in (people["elsewhere"], staff_factory(Role.STREET_REVIEWER, "440402001000", username="s2")):
        client.force_login(user)
        assert client.get(reverse("relief:application-detail", args=[application.pk])).status_code == 404
        assert client.post(reverse("relief:application-act", args=[application.pk, "investigation"])).status_code == 404
        assert application.number not in client.get(reverse("relief:application-list")).content.decode()


def test_the_overdue_list_shows_late_steps(client, people, household_factory, policy):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    client.post(reverse("relief:application-file"), file_form(household))
    Application.objects.update(step_due=timezone.localdate() - timedelta(days=10))
    client.force_login(people["approver"])
    page = client.get(reverse("relief:overdue")).content.decode()
    assert Application.objects.get().number in page


def test_date_fields_carry_iso_dates_that_browsers_accept(client, people, household_factory, policy):
    household = household_factory(QIAOGUANG, size=2)
    client.force_login(people["caseworker"])
    client.post(reverse("relief:application-file"), file_form(household))
    application = Application.objects.get()
    client.force_login(people["reviewer"])
    client.post(reverse("relief:application-act", args=[application.pk, "investigation"]))
    client.force_login(people["caseworker"])
    page = client.get(reverse("relief:application-detail", args=[application.pk])).content.decode()
    assert f'type="date" name="visited_on" value="{timezone.localdate().isoformat()}"' in page
