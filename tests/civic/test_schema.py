import re

import yaml


def test_openapi_schema_documents_bearer_tokens_and_the_endpoints(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["partnerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Partner token issued by create_partner.",
    }
    assert {"/api/v1/me/", "/api/v1/regions/", "/api/v1/regions/{code}/"} <= set(schema["paths"])


def test_interactive_docs_load_everything_from_the_portal(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert re.findall(r"https?://(?!127\.0\.0\.1|localhost|testserver)[\w.-]+/", page) == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset
