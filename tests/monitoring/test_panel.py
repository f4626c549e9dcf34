"""The household file's monitoring panel shows what partner departments reported about the members, also the
records no rule turned into a warning."""

from django.urls import reverse

from .conftest import record


def test_the_household_file_lists_the_partners_recent_records(client, dibao_family, caseworker, send):
    household, _ = dibao_family
    mother = household.members.get(name="李秀兰")
    send("utility", [record(mother, "W-1", event="electricity", amount="860.50", count=4)])
    send("disability", [record(mother, "C-1", event="issued", count=2)])
    client.force_login(caseworker)

    page = client.get(reverse("registry:household-detail", args=[household.pk]))

    assert page.status_code == 200
    panel = page.content.decode()
    assert 'data-testid="panel-records"' in panel
    assert "860.50" in panel and "李秀兰" in panel
    assert panel.count("<tr><td>") >= 2
