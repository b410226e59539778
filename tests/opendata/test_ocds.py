"""The OCDS 1.1 release package of the hand-computed scene: official schema (when present in
../shared/ocds/), our own structural checks (always), the public download and the CLI."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.dashboard.service import Period
from matcher.opendata.ocds import OpenDataSettings, release_package
from tests.dashboard.scene import Scene, build_scene
from tests.factories import Factory

# The official schema (release-package-schema.json, release-schema.json of OCDS 1.1) is not
# shipped by any installable package; it is read from shared/ocds/ beside the repository, or
# from MATCHER_OCDS_SCHEMA_DIR.
SCHEMA_DIR = Path(
    os.environ.get("MATCHER_OCDS_SCHEMA_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "ocds"
)
PERIOD = Period(date(2026, 3, 1), date(2026, 4, 30))
PUBLISHED = datetime(2026, 5, 15, 2, 0, tzinfo=UTC)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def package(db: Session, factory: Factory) -> dict[str, Any]:
    build_scene(db, factory)
    return release_package(db, PERIOD, published=PUBLISHED)


def test_validates_against_the_official_schema(package: dict[str, Any]) -> None:
    package_schema = SCHEMA_DIR / "release-package-schema.json"
    release_schema = SCHEMA_DIR / "release-schema.json"
    if not (package_schema.exists() and release_schema.exists()):
        pytest.skip(
            f"official OCDS 1.1 schema not found: place release-package-schema.json and "
            f"release-schema.json in {SCHEMA_DIR} (shared/ocds/ beside the repository)"
        )
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release = json.loads(release_schema.read_text(encoding="utf-8"))
    wrapper = json.loads(package_schema.read_text(encoding="utf-8"))
    resource = Resource.from_contents(release, default_specification=DRAFT4)
    registry = Registry().with_resources(
        [(release.get("id", "release-schema.json"), resource), ("release-schema.json", resource)]
    )
    # The package schema refers to the release schema by its published URL; resolve it locally.
    items = wrapper["properties"]["releases"]["items"]
    if "$ref" in items:
        items["$ref"] = release.get("id", "release-schema.json")
    validator = jsonschema.Draft4Validator(
        wrapper, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:10]]


def test_package_structure(package: dict[str, Any]) -> None:
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-05-15T09:00:00+07:00"
    assert package["publisher"]["name"]
    assert package["uri"].endswith("?start=2026-03-01&end=2026-04-30")
    releases = package["releases"]
    # The 10 realised orders of March-April; cancelled, draft and 1 May are left out.
    assert [r["ocid"] for r in releases] == [
        f"ocds-matcher-batu-SP-T-{i:02d}" for i in range(1, 11)
    ]
    assert len({r["id"] for r in releases}) == len(releases)
    for release in releases:
        assert {"ocid", "id", "date", "tag", "initiationType"} <= set(release)
        assert release["initiationType"] == "tender"
        assert RFC3339.match(release["date"])
        roles = {role for party in release["parties"] for role in party["roles"]}
        assert roles == {"buyer", "procuringEntity", "supplier"}
        party_ids = {party["id"] for party in release["parties"]}
        assert release["buyer"]["id"] in party_ids
        assert release["awards"][0]["suppliers"][0]["id"] in party_ids
        for value in _values(release):
            assert value["currency"] == "IDR"
            assert isinstance(value["amount"], int)
        for item in release["tender"]["items"]:
            assert item["classification"]["scheme"] == "X-PASAR-SISTEMIK"
            assert isinstance(item["quantity"], int)


def _values(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if set(node) == {"amount", "currency"}:
            found.append(node)
        for value in node.values():
            found += _values(value)
    elif isinstance(node, list):
        for value in node:
            found += _values(value)
    return found


def _release(package: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in package["releases"] if r["ocid"].endswith(code))


def test_scales_and_amounts(package: dict[str, Any]) -> None:
    scales = {
        party["name"]: party["details"]["scale"]
        for r in package["releases"]
        for party in r["parties"]
        if "supplier" in party["roles"]
    }
    assert scales == {"UMKM Satu": "micro", "Koperasi Dua": "sme", "=PT Tiga Besar": "large"}
    o8 = _release(package, "SP-T-08")
    assert o8["tag"] == ["tender", "award", "contract", "implementation"]
    assert o8["contracts"][0]["status"] == "terminated"
    assert o8["contracts"][0]["value"] == {"amount": 1_600_000, "currency": "IDR"}
    payment = o8["contracts"][0]["implementation"]["transactions"][0]
    assert payment["value"] == {"amount": 1_600_000, "currency": "IDR"}
    assert payment["date"] == "2026-03-19T00:00:00+07:00"
    items = o8["tender"]["items"]
    assert [
        (i["classification"]["id"], i["quantity"], i["unit"]["value"]["amount"]) for i in items
    ] == [
        ("SNACK", 10, 30_000),
        ("BERAS", 100, 13_000),
    ]
    o2 = _release(package, "SP-T-02")
    assert o2["contracts"][0]["implementation"]["transactions"][0]["value"]["amount"] == 400_000
    o1 = _release(package, "SP-T-01")
    assert o1["awards"][0]["date"] == "2026-03-01T00:30:00+07:00"
    o3 = _release(package, "SP-T-03")
    assert o3["tag"] == ["tender", "award", "contract"]
    assert "implementation" not in o3["contracts"][0]


def test_prefix_is_a_setting(
    db: Session, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_scene(db, factory)
    monkeypatch.setenv("MATCHER_OCDS_OCID_PREFIX", "ocds-abc123")
    package = release_package(db, PERIOD, published=PUBLISHED, settings=OpenDataSettings())
    assert package["releases"][0]["ocid"] == "ocds-abc123-SP-T-01"


def test_public_download(client: TestClient, db: Session, factory: Factory) -> None:
    scene: Scene = build_scene(db, factory)
    response = client.get(
        "/api/v1/opendata/ocds", params={"start": "2026-03-01", "end": "2026-04-30"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == (
        'attachment; filename="ocds-pasar-sistemik-2026-03-01-2026-04-30.json"'
    )
    body = response.json()
    assert len(body["releases"]) == 10
    assert scene.s1.name in json.dumps(body)
    bad = client.get("/api/v1/opendata/ocds", params={"start": "2026-05-01", "end": "2026-03-01"})
    assert bad.status_code == 422
