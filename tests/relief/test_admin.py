from datetime import date
from decimal import Decimal

from relief.models import ReliefPolicy


def policy(start, state):
    return ReliefPolicy.objects.create(
        state=state,
        region_id="440400000000",
        area="urban",
        effective_from=start,
        name="测试",
        dibao_standard=Decimal("1100"),
    )


def test_a_published_policy_is_read_only_in_the_admin_and_a_draft_is_editable(admin_client, regions):
    published = policy(date(2020, 1, 1), "published")
    draft = policy(date(2030, 1, 1), "draft")
    page = admin_client.get(f"/admin/relief/reliefpolicy/{published.pk}/change/").content.decode()
    assert 'name="dibao_standard"' not in page and "1100" in page
    page = admin_client.get(f"/admin/relief/reliefpolicy/{draft.pk}/change/").content.decode()
    assert 'name="dibao_standard"' in page and 'name="state"' not in page


def test_saving_a_draft_in_the_admin_never_publishes_it_and_clears_its_simulation(admin_client, regions):
    draft = policy(date(2030, 1, 1), "draft")
    ReliefPolicy.objects.filter(pk=draft.pk).update(simulation={"totals": {}})
    page = admin_client.get(f"/admin/relief/reliefpolicy/{draft.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}
    data.update({"region": "440400000000", "dibao_standard": "1200", "effective_from": "2030-01-01"})
    data.update({"topups-TOTAL_FORMS": "0", "topups-INITIAL_FORMS": "0"})
    data["price_programmes"] = '["dibao"]'
    response = admin_client.post(f"/admin/relief/reliefpolicy/{draft.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    draft.refresh_from_db()
    assert (draft.state, draft.simulation, draft.dibao_standard) == ("draft", None, Decimal("1200"))
