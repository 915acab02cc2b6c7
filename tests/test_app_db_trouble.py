"""The dashboard when its PostgreSQL database fails (AppTest, a real database).

- the database goes away in the middle of a session (connections ended, new ones refused:
  `ALTER DATABASE … ALLOW_CONNECTIONS false`): one sentence and a retry button, no
  traceback; when it returns, the retry shows the figures again, in the same process;
- one section's query exceeds the statement timeout: that section says so, the rest of the
  page is drawn;
- another process (a replica, here the CLI) imports: this one shows it after its
  data-version poll (two seconds), without a restart.
"""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import ui
from lib.db import engine_for, make_engine, migrate
from tests.apptest import APP, TIMEOUT, clear_caches, point_app_at
from tests.fixture_city import load_fixture_city
from tests.pg_databases import drop_database, new_database, set_connections
from tests.server import PROJECT_ROOT
from tests.test_import_workbooks import base, write_xlsx

UNREACHABLE_KO = (
    "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 알려 주세요."
)
# data_version is kept two seconds: after that a run asks the database again.
VERSION_TTL_S = 2.1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def throwaway_db(postgres_available, monkeypatch):
    """A database of its own holding 테스트시, the app pointed at it: (name, URL)."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable")
    name, url = new_database("itda_trouble")
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        load_fixture_city(conn)
    engine.dispose()
    point_app_at(monkeypatch, url)
    try:
        yield name, url
    finally:
        clear_caches()
        engine_for(url).dispose()
        drop_database(name)


def _tiles(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_the_database_goes_away_and_comes_back(throwaway_db):
    name, _url = throwaway_db
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["period"] = "2024"
    at.run()
    _ok(at)
    before = _tiles(at)
    assert len(before) == 8 and not at.error

    set_connections(name, allowed=False)
    time.sleep(VERSION_TTL_S)
    at.run()
    _ok(at)
    assert [e.value for e in at.error] == [UNREACHABLE_KO]
    assert not at.metric
    retry = at.button(key=ui.RETRY_KEY)
    assert retry.label == "다시 시도"
    # Still down: the retry says the same, it does not keep a broken state.
    retry.click().run()
    _ok(at)
    assert [e.value for e in at.error] == [UNREACHABLE_KO]

    set_connections(name, allowed=True)  # the database is back: no restart
    at.button(key=ui.RETRY_KEY).click().run()
    _ok(at)
    assert not at.error
    assert _tiles(at) == before


def test_the_english_page_says_it_in_english(throwaway_db):
    name, _url = throwaway_db
    set_connections(name, allowed=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    _ok(at)
    assert [e.value for e in at.error] == [
        "Cannot reach the database. Try again in a moment; if it goes on, tell the administrator."
    ]
    assert at.button(key=ui.RETRY_KEY).label == "Try again"


def test_a_section_that_times_out_leaves_the_rest_of_the_page(throwaway_db, monkeypatch):
    monkeypatch.setenv("ITDA_STATEMENT_TIMEOUT_SECONDS", "1")
    real = ui._BREAKDOWNS["monthly_activity"]

    def hanging(conn, period, scope, **kwargs):
        conn.execute(sa.text("SELECT pg_sleep(3)"))  # a query that hangs: cancelled at 1 s
        return real(conn, period, scope, **kwargs)

    monkeypatch.setitem(ui._BREAKDOWNS, "monthly_activity", hanging)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["period"] = "2024"
    at.run()
    _ok(at)
    assert not at.error
    assert [w.value for w in at.warning] == [
        "이 부분을 표시하지 못했습니다: 데이터베이스의 응답이 너무 늦어 1초 만에 멈췄습니다. "
        "잠시 후 다시 시도하거나 더 짧은 기간을 고르세요."
    ]
    assert len(at.metric) == 8  # the headline, the table and the ranking are drawn
    assert at.button(key=ui.RETRY_KEY).label == "다시 시도"
    assert len(at.dataframe) >= 1  # the comparison table


def test_an_import_by_another_process_shows_after_the_version_poll(throwaway_db, tmp_path):
    _name, url = throwaway_db
    code = "4420077000"  # in 테스트시's district, not in its data yet
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at._page_hash = calc_hash(f"nb-{code}")
    at.run()
    _ok(at)
    # No page has that address yet (a hash AppTest cannot resolve opens the default page).
    assert at.title[0].value == "테스트시 복지 네트워크 개요"
    header = base()["읍면동"][0]
    path = write_xlsx(tmp_path / "new.xlsx", {"읍면동": [header, [code, "새빛동", "동", 100, 200]]})
    # Another process (the CLI here; a replica's data page alike) imports the neighbourhood.
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "--database-url", url, "import", str(path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    time.sleep(VERSION_TTL_S)
    at.run()
    _ok(at)
    assert "새빛동" in at.title[0].value


def test_a_read_only_replica_shows_the_pages_and_refuses_an_import(
    throwaway_db, monkeypatch, tmp_path
):
    _name, url = throwaway_db
    read_only = f"{url}?options={quote('-cdefault_transaction_read_only=on')}"
    monkeypatch.setenv("DATABASE_URL", read_only)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["period"] = "2024"
    at.run()
    _ok(at)
    # Reading works; the page view's audit event cannot be written (logged, not shown).
    assert not at.error and len(at.metric) == 8

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at._page_hash = calc_hash("data-import")
    at.run()
    _ok(at)
    path = write_xlsx(tmp_path / "city.xlsx", base())
    at.file_uploader[0].set_value((path.name, path.read_bytes(), XLSX)).run()
    _ok(at)
    shown = [e.value for e in at.error] + [i.value for i in at.info]
    assert shown == [
        "가져오기 실패: 데이터베이스가 읽기 전용이라 아무것도 저장하지 못했습니다(읽기 전용 "
        "복제본일 수 있습니다). 관리자에게 알려 주세요. 아무것도 저장하지 않았습니다."
    ]


def test_two_failing_sections_one_retry_button():
    script = """
import sqlalchemy as sa
import streamlit as st
from lib import ui
for where in ("first", "second"):
    with ui.section("ko", where):
        raise sa.exc.DBAPIError("SELECT 1", {}, Exception("lost"))
st.write("the rest of the page")
"""
    at = AppTest.from_string(script, default_timeout=TIMEOUT).run()
    _ok(at)
    message = (
        "이 부분을 표시하지 못했습니다: 데이터베이스 오류로 표시하지 못했습니다. 잠시 후 다시 "
        "시도하거나 관리자에게 알려 주세요."
    )
    assert [w.value for w in at.warning] == [message, message]
    assert [b.key for b in at.button] == [ui.RETRY_KEY]
    assert at.markdown[-1].value == "the rest of the page"
