"""The data page's boundaries tab (views/data.py) through AppTest, on SQLite and PostgreSQL:
upload a 행정동 GeoJSON, see the preview (nothing written), save, and a bad file refused."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from lib.db import engine_for
from lib.models import AuditEvent, NeighbourhoodBoundary
from tests.fixture_city import A, B, C, load_fixture_city
from tests.fixture_geo import city_geojson
from tests.test_import_page import SCRIPT, app_db  # noqa: F401 - the fixture

TAB = "data_tab"


@pytest.fixture
def city_db(app_db):  # noqa: F811
    with engine_for(app_db).begin() as conn:
        load_fixture_city(conn)
    return app_db


def _tab(lang: str = "ko") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state[TAB] = "읍면동 경계" if lang == "ko" else "Neighbourhood boundaries"
    return at.run()


def _upload(at: AppTest, name: str, text: str) -> AppTest:
    (uploader,) = at.get("file_uploader")  # only the open tab's uploader is drawn
    uploader.set_value((name, text.encode(), "application/geo+json"))
    return at.run()


def _codes(url: str) -> list[str]:
    with engine_for(url).connect() as conn:
        return list(
            conn.execute(
                sa.select(NeighbourhoodBoundary.neighbourhood_code).order_by(
                    NeighbourhoodBoundary.neighbourhood_code
                )
            ).scalars()
        )


def test_preview_then_save(city_db):
    at = _tab()
    assert not at.exception
    assert "지금 저장된 경계: 읍면동 0곳" in [m.value for m in at.markdown]
    at = _upload(at, "HangJeongDong.geojson", json.dumps(city_geojson()))
    assert at.info[0].value == (
        "미리보기(저장하지 않음): 읍면동 2곳의 경계, 이 시의 읍면동이 아닌 피처 2개는 건너뜀, "
        "경계가 없는 읍면동 1곳."
    )
    missing = at.dataframe[0].value
    assert missing.values.tolist() == [[C, "송악면"]]
    assert _codes(city_db) == []
    at.button(key="data_boundaries_write").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("경계를 저장했습니다: 읍면동 2곳의 경계")
    assert _codes(city_db) == [A, B]
    with engine_for(city_db).connect() as conn:
        actions = conn.execute(sa.select(AuditEvent.action, AuditEvent.outcome)).all()
    assert [tuple(a) for a in actions] == [("boundaries_import", "ok")]
    assert "지금 저장된 경계: 읍면동 2곳" in [m.value for m in at.markdown]


def test_a_bad_file_is_refused_in_english_with_no_save_button(city_db):
    at = _upload(_tab("en"), "points.geojson", json.dumps({"type": "Topology"}))
    assert at.error[0].value == (
        "Cannot import the boundaries: it is not a GeoJSON FeatureCollection. Use a 행정동 "
        "boundary GeoJSON file (e.g. HangJeongDong_ver*.geojson). Nothing was written."
    )
    assert [b.key for b in at.button] == []  # nothing to save
    assert _codes(city_db) == []


def test_the_workbook_tab_alone_has_an_uploader_until_the_boundaries_tab_is_opened(app_db):  # noqa: F811
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    # One uploader on the page at a time: browser tests find "the" uploader unambiguously.
    assert len(at.get("file_uploader")) == 1
    assert not any("GeoJSON" in c.value for c in at.caption)
