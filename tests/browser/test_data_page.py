"""The data page (/data-import) in Chromium: upload a workbook, read the dry run, then write.

These tests write, so each backend gets a fresh, empty, migrated database and a Streamlit
server of its own, never the shared 테스트시 of the other browser tests. The preview's table is
drawn on a canvas whose cells cannot be read, so the tests assert the text elements (alerts,
headings, buttons), the problem report file, and the database itself, queried with SQL.

Expected numbers are worked out by hand from BASE in tests/test_import_workbooks.py:
읍면동 2 + 협업기관 2 + 사례 2 + one row in each of the other seven sheets = 13 rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from lib.db import make_engine, migrate
from lib.i18n import t
from lib.models import DATA_TABLES, ImportLog
from tests.browser.conftest import (
    BACKENDS,
    TIMEOUT_MS,
    assert_no_errors,
    open_view,
    wait_for_app,
)
from tests.browser.tables import (
    CELL_PADDING,
    column_edges,
    header_texts,
    problems_of_fit,
    scroll_widths,
)
from tests.conftest import _PG_SKIP_REASON, _drop_postgres_schema, _new_postgres_schema
from tests.server import start_streamlit
from tests.test_import_workbooks import base, write_xlsx

pytestmark = pytest.mark.browser

DATA_PATH = "/data-import"
# Every data table empty: the state of a fresh database.
EMPTY = {table.name: 0 for table in DATA_TABLES}
# BASE, table by table (see the module docstring): 13 rows in all.
BASE_TABLE_ROWS = {
    "neighbourhood": 2,  # 1111051500 가동, 0042 나면
    "agency": 2,  # AG1, AG2
    "welfare_case": 2,  # C1, C2
    "service": 1,
    "donation": 1,
    "disbursement": 1,
    "referral": 1,
    "outreach_visit": 1,
    "ss_participant": 1,
    "target": 1,
}


@dataclass(frozen=True)
class DataApp:
    """A Streamlit server on a database of its own, and an engine to inspect that database."""

    base_url: str
    engine: sa.Engine


@pytest.fixture(scope="module", params=BACKENDS)
def data_app(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_available: bool,
    browser: Browser,  # started first, so it is closed after the server stops
) -> Iterator[DataApp]:
    """A fresh, empty, migrated database on each backend, and the app (Korean) serving it."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('browser-data') / 'import.db'}"
    else:
        if not postgres_available:
            # The same reason as tests/conftest.py, so ITDA_REQUIRE_POSTGRES=1 fails the run.
            pytest.skip(_PG_SKIP_REASON)
        schema, url = _new_postgres_schema()
    engine = make_engine(url)
    try:
        migrate(engine)
        with start_streamlit(url, env={"ITDA_DEFAULT_LANG": "ko"}) as server:
            yield DataApp(server.base_url, engine)
    finally:
        engine.dispose()
        if schema is not None:
            _drop_postgres_schema(schema)


def _row_counts(engine: sa.Engine) -> dict[str, int]:
    """The number of rows in every data table."""
    with engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in DATA_TABLES
        }


def _import_log(engine: sa.Engine) -> list[sa.Row]:
    """Every row of the import log, oldest first."""
    with engine.connect() as conn:
        return conn.execute(sa.select(ImportLog).order_by(ImportLog.id)).all()


def _upload(page: Page, path: Path) -> None:
    """Put `path` into the page's file uploader, as a user choosing it in the file dialog."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)


def test_upload_preview_then_write(page: Page, data_app: DataApp, tmp_path: Path) -> None:
    engine = data_app.engine
    assert _row_counts(engine) == EMPTY
    assert _import_log(engine) == []

    open_view(page, data_app.base_url, DATA_PATH)
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="데이터 가져오기", exact=True)).to_be_visible()

    _upload(page, write_xlsx(tmp_path / "base.xlsx", base()))
    # The dry run against an empty database: all 13 rows new, nothing else.
    expect(page.get_by_test_id("stAlertContentInfo")).to_have_text(
        "미리보기(저장하지 않음): 새 행 13, 변경 0, 변경 없음 0. 경고 0건.", timeout=TIMEOUT_MS
    )
    wait_for_app(page)  # the script has finished: the write button is drawn too
    expect(page.get_by_role("heading", name="미리보기", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)  # the counts per sheet
    assert_no_errors(page)
    # A dry run writes nothing, not even a line in the import log.
    assert _row_counts(engine) == EMPTY
    assert _import_log(engine) == []

    write = page.get_by_role("button", name=t("data.write", "ko"))
    expect(write).to_be_enabled()
    write.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(
        "가져오기 완료: 새 행 13, 변경 0, 변경 없음 0. 경고 0건.", timeout=TIMEOUT_MS
    )
    wait_for_app(page)
    # The uploader was emptied: no preview and no write button are left to press twice.
    expect(page.get_by_test_id("stAlertContentInfo")).to_have_count(0)
    expect(write).to_have_count(0)
    assert_no_errors(page)

    assert _row_counts(engine) == BASE_TABLE_ROWS
    assert sum(_row_counts(engine).values()) == 13
    with engine.connect() as conn:
        neighbourhoods = conn.execute(sa.text("SELECT code FROM neighbourhood")).scalars()
        cases = conn.execute(sa.text("SELECT case_id FROM welfare_case")).scalars()
        assert set(neighbourhoods) == {"1111051500", "0042"}  # the leading zeros kept
        assert set(cases) == {"C1", "C2"}
    [log] = _import_log(engine)
    assert (log.file_name, log.mode, log.outcome, log.problem_count, log.imported_by) == (
        "base.xlsx",
        "upsert",
        "ok",
        0,
        "open-mode visitor",  # open mode: the visitor, with every right, imported it
    )
    assert sum(json.loads(log.rows_per_sheet).values()) == 13


@pytest.mark.parametrize("data_app", ["sqlite"], indirect=True)
def test_broken_reference_is_rejected_in_english(
    page: Page, data_app: DataApp, tmp_path: Path
) -> None:
    engine = data_app.engine
    # Whether or not the other test already wrote BASE here, this upload must change nothing.
    counts_before, log_before = _row_counts(engine), _import_log(engine)

    book = base()
    # Excel row 3 of 사례 is case C2; its lead agency (주관기관코드, column 8) AG9 exists
    # neither in the 협업기관 sheet (AG1, AG2) nor in the database.
    assert book["사례"][0][7] == "주관기관코드" and book["사례"][2][0] == "C2"
    book["사례"][2][7] = "AG9"
    open_view(page, data_app.base_url, DATA_PATH, lang="en")
    expect(page.get_by_role("heading", name="Data import", exact=True)).to_be_visible()
    _upload(page, write_xlsx(tmp_path / "bad-reference.xlsx", book))

    # The alert's text without its icon's ligature name ("block").
    error = page.get_by_test_id("stAlertContentError").get_by_test_id("stMarkdownContainer")
    expect(error).to_have_text(
        "Import rejected: 1 error(s), 0 warning(s). Nothing was written; fix every problem "
        "and import again.",
        timeout=TIMEOUT_MS,
    )
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Problems", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    report = page.get_by_role("button", name="Download the problem report (.xlsx)")
    expect(report).to_be_visible()

    # The report holds the one problem: sheet and column as written in the workbook.
    with page.expect_download() as download:
        report.click()
    assert download.value.suggested_filename == "import-problems.xlsx"
    saved = tmp_path / download.value.suggested_filename  # openpyxl wants the .xlsx suffix
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Severity", "Sheet", "Row", "Column", "Value", "Reason", "Code"),
        (
            "error",  # as tests/test_import_modes.py's English CLI report
            "사례",
            3,
            "주관기관코드",
            "AG9",
            "Not found in the agencies sheet nor in the database.",
            "unknown_ref",
        ),
    ]

    assert _row_counts(engine) == counts_before
    assert _import_log(engine) == log_before  # a dry run is not logged either


@pytest.mark.parametrize("data_app", ["sqlite"], indirect=True)
def test_problem_list_fits_with_every_reason_whole(
    page: Page, data_app: DataApp, tmp_path: Path
) -> None:
    book = base()
    book["사례"][1][2] = "어제"  # 발굴일 not a date: the longest reason the importer gives
    book["후원"][1][6] = -1
    open_view(page, data_app.base_url, DATA_PATH)
    _upload(page, write_xlsx(tmp_path / "bad.xlsx", book))
    expect(page.get_by_role("heading", name="문제 목록", exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    wait_for_app(page)
    table = page.get_by_test_id("stDataFrame").first
    assert problems_of_fit(table) == []
    # The reason wraps inside its column: the rows are three lines high, and the longest
    # reason needs no more lines than that at its column's width.
    # The grid fills its accessible table after drawing its canvas: wait for the header.
    expect(table.locator("th[role=columnheader]", has_text="사유")).to_have_count(1)
    titles = header_texts(table)
    reason = titles.index("사유")
    edges = [0, *(x for x in column_edges(table) if x > 2)]
    if len(edges) == len(titles):  # the last column ends at the grid's edge, no separator
        edges.append(scroll_widths(table)[1])
    column = edges[reason + 1] - edges[reason]
    texts = table.locator(f"td[aria-colindex='{reason + 1}']").all_inner_texts()
    assert texts[0].startswith("날짜가 아닙니다")
    widths = table.evaluate(
        """(el, texts) => { const c = document.createElement('canvas').getContext('2d');
          c.font = '400 14px ' + getComputedStyle(document.body).fontFamily;
          return texts.map(t => c.measureText(t).width); }""",
        texts,
    )
    # two lines' worth at most, leaving the third for breaks between words
    assert max(widths) / (column - 2 * CELL_PADDING) <= 2, (column, widths)
