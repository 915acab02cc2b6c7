"""The data page (views/data.py) through Streamlit's AppTest, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.db import engine_for
from lib.queries import access as q
from tests.test_import_workbooks import BASE_ROWS, base, row_counts, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from lib import session, ui
from views.data import render
session.resolve_viewer(ui.get_engine())  # open mode: the visitor has every right
render()
"""


@pytest.fixture
def app_db(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    monkeypatch.delenv("ITDA_ACCESS_MODE", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()
    engine_for(db_url).dispose()


def _app(lang: str = "ko") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _upload(at: AppTest, path: Path) -> AppTest:
    at.file_uploader[0].set_value((path.name, path.read_bytes(), XLSX))
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_page_without_an_upload(app_db):
    at = _app()
    _ok(at)
    assert at.title[0].value == "데이터 가져오기"
    assert [tab.label for tab in at.tabs] == [
        "가져오기",
        "읍면동 경계",
        "양식 · 내보내기",
        "가져오기 기록",
    ]
    assert "아직 가져온 기록이 없습니다." in [c.value for c in at.caption]
    assert len(at.get("download_button")) == 2  # template and export


def test_upload_preview_then_import(app_db, tmp_path):
    engine = engine_for(app_db)
    at = _upload(_app(), write_xlsx(tmp_path / "city.xlsx", base()))
    _ok(at)
    # The preview: 13 new rows (2+2+2+1+1+1+1+1+1+1), nothing written yet.
    assert at.info[0].value == "미리보기(저장하지 않음): 새 행 13, 변경 0, 변경 없음 0. 경고 0건."
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["시트", "행", "새 행", "변경", "변경 없음"]
    assert preview["새 행"].tolist() == list(BASE_ROWS.values())
    assert row_counts(engine)["neighbourhood"] == 0
    at.button(key="data_write").click().run()
    _ok(at)
    assert at.success[0].value == "가져오기 완료: 새 행 13, 변경 0, 변경 없음 0. 경고 0건."
    assert at.file_uploader[0].value is None  # emptied: the file is not offered again
    assert not at.info and not [b for b in at.button if b.key == "data_write"]
    assert row_counts(engine)["welfare_case"] == 2
    log = at.dataframe[-1].value
    assert log[["파일", "방식", "결과", "오류 수", "행 수"]].values.tolist() == [
        ["city.xlsx", "추가·갱신", "완료", 0, 13]
    ]
    # The audit log names who imported (the open-mode visitor, with every right).
    with engine.connect() as conn:
        events = q.select_events(conn)
    assert events[["actor", "role", "action", "outcome"]].values.tolist() == [
        ["open-mode visitor", "admin", "import", "ok"]
    ]
    assert events["detail"][0] == "city.xlsx; upsert; 13 rows; 0 problems"


def test_bad_upload_lists_every_problem_and_offers_the_report(app_db, tmp_path):
    book = base()
    book["사례"][1][2] = "어제"
    book["후원"][1][6] = -1
    at = _upload(_app(), write_xlsx(tmp_path / "bad.xlsx", book))
    _ok(at)
    assert at.error[0].value.startswith("가져오기 거부: 오류 2건, 경고 0건.")
    problems = at.dataframe[0].value
    assert problems[["시트", "행", "열", "값"]].values.tolist() == [
        ["사례", 2, "발굴일", "어제"],
        ["후원", 2, "금액", "-1"],
    ]
    # no developer's codes (bad_date) on the Korean page; the reasons say it in Korean
    assert "코드" not in problems.columns
    assert problems["사유"][0].startswith("날짜가 아닙니다")
    assert not [b for b in at.button if b.key == "data_write"]
    assert len(at.get("download_button")) == 3  # the report, the template, the export
    assert row_counts(engine_for(app_db))["welfare_case"] == 0


def test_replace_needs_confirmation_and_the_page_speaks_english(app_db, tmp_path):
    at = _app("en")
    at.radio(key="data_mode").set_value("replace").run()
    _upload(at, write_xlsx(tmp_path / "city.xlsx", base()))
    _ok(at)
    assert at.title[0].value == "Data import"
    assert (
        at.warning[0].value
        == "Replace mode: rows not in the workbook are deleted from the database."
    )
    assert at.button(key="data_write").disabled
    at.checkbox(key="data_confirm").check().run()
    assert not at.button(key="data_write").disabled
    at.button(key="data_write").click().run()
    _ok(at)
    assert (
        at.success[0].value
        == "Import done: 13 new, 0 changed, 0 unchanged, 0 deleted. 0 warning(s)."
    )
    assert row_counts(engine_for(app_db))["neighbourhood"] == 2


def test_hostile_upload_is_refused_on_the_page(app_db, tmp_path):
    # One cell at XFD1048576 (tests/hostile_files.py): before lib/ingest/guard.py calamine
    # asked for 17 billion cells and the server process aborted.
    from tests.hostile_files import far_cell

    name, data = far_cell(tmp_path)
    (tmp_path / name).write_bytes(data)
    at = _upload(_app(), tmp_path / name)
    _ok(at)
    assert at.error[0].value.startswith("가져오기 거부: 오류 1건")
    problems = at.dataframe[0].value
    assert problems[["시트", "행", "열"]].values.tolist() == [["사례", 1_048_576, "XFD"]]
    assert problems["사유"][0].startswith("시트 '사례'의 셀이 1,048,576행 XFD열")
    assert not [b for b in at.button if b.key == "data_write"]
    assert row_counts(engine_for(app_db))["welfare_case"] == 0
