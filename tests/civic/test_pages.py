import re

from civic.roles import Role


def test_pages_need_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_tells_each_role_what_it_can_do(client, staff_factory):
    client.force_login(staff_factory(Role.DISTRICT_APPROVER, "440403"))
    page = client.get("/").content.decode()
    assert "区县审批人" in page
    assert "斗门区" in page
    assert "审批或驳回本区县的申请" in page
    assert "受理各类救助申请" not in page  # a caseworker's duty, not an approver's


def test_english_on_request(client, staff_factory):
    client.force_login(staff_factory(Role.AUDITOR, "440400"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "What you can do here" in page
    assert "You are signed in as Auditor." in page


def test_assets_are_served_by_the_portal(client, staff_factory):
    client.force_login(staff_factory(Role.CASEWORKER, "440402005001"))
    page = client.get("/").content.decode()
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)
    assert external == []
    assert "/static/django_htmx/htmx.min.js" in page


def test_health_check(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_unknown_page_is_a_portal_404(client, staff_factory):
    client.force_login(staff_factory(Role.CASEWORKER, "440402005001"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and "Sign in" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_api_messages_follow_accept_language(client, db):
    assert client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["message"].startswith("Authentication")
    assert client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="zh-CN").json()["message"] == "身份认证信息未提供。"
