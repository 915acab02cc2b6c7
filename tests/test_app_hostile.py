"""Hostile addresses (AppTest on 테스트시): absurd periods and dates, huge and binary values,
SQL and script fragments, unknown languages and comparisons, repeated parameters, unknown
pages. Each gets a notice in the visitor's language and the default view; the visitor's
text comes back only as a short literal excerpt (`lib.excerpt`); nothing breaks.

These runs query nothing the visitor typed, so they run on SQLite only (the pages' queries
are checked on both databases elsewhere).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib.excerpt import LIMIT
from tests.apptest import APP, TIMEOUT

pytestmark = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)

# 테스트시's default: 2024 to date (its as-of date is 2024-12-31) against 2023.
DEFAULT_SHOWN = "2024.01.01–2024.12.31"

SQL = "2024' OR 1=1; DROP TABLE welfare_case;--"
HUGE = "2024-" + "9" * 100_000
BINARY = "20\x0024\x07\x1b[31m\u202e1-H\u200b"

# (query parameters, the notice's i18n start in Korean, the parameter that must leave the URL)
CASES = [
    ({"period": "99999"}, "기간 `99999`을(를) 이해할 수 없어", "period"),
    ({"period": "2024-13"}, "기간 `2024-13`을(를) 이해할 수 없어", "period"),
    ({"period": "0000"}, "기간 `0000`을(를) 이해할 수 없어", "period"),  # was a crash
    ({"period": "0001-01-01..9999-12-31"}, "기간 `0001-01-01..9999-12-31`을(를)", "period"),
    ({"period": "2024-12-31..2024-01-01"}, "기간 `2024-12-31..2024-01-01`을(를)", "period"),
    ({"period": HUGE}, "기간 `2024-99999999", "period"),
    ({"period": BINARY}, "기간 `2024[31m1-H`을(를) 이해할 수 없어", "period"),
    ({"period": SQL}, "기간 `2024' OR 1=1; DROP TABLE welfare_case;--`을(를)", "period"),
    ({"period": "<script>alert(1)</script>"}, "기간 `<script>alert(1)</script>`을(를)", "period"),
    ({"period": "[home](javascript:alert(1))"}, "기간 `[home](javascript:alert(1))`", "period"),
    ({"period": "`:red[x]`"}, "기간 `` `:red[x]` ``을(를)", "period"),
    ({"period": ["2024", "2024-H1"]}, "주소에 `period` 값이 서로 다르게 여러 번", "period"),
    ({"from": "2024-13-45"}, "날짜 `2024-13-45`을(를) 이해할 수 없어", "from"),
    ({"from": "0001-01-01"}, "날짜 `0001-01-01`을(를) 이해할 수 없어", "from"),
    ({"to": "<img src=x onerror=alert(1)>"}, "날짜 `<img src=x onerror=alert(1)>`", "to"),
    ({"compare": "evil"}, "비교 방식 `evil`을(를) 알 수 없어", "compare"),
    ({"compare": ["prev", "yoy"]}, "주소에 `compare` 값이 서로 다르게", "compare"),
    ({"lang": "fr"}, "언어 `fr`을(를) 지원하지 않아", "lang"),
    ({"lang": "ko\x00<b>"}, "언어 `ko<b>`을(를) 지원하지 않아", "lang"),
]


def _run(page: str | None = None, **params: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:  # a reload of an address, as tests/test_app_regions.py does
        at.session_state["_itda_unknown_path"] = page
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _spans(markdown: str) -> list[str]:
    """The code spans of a Markdown text (CommonMark: a fence of n backticks, one space
    stripped on each side when both are there)."""
    spans = []
    for m in re.finditer(r"(`+)(.+?)(?<!`)\1(?!`)", markdown):
        body = m[2]
        if body.startswith(" ") and body.endswith(" ") and body.strip():
            body = body[1:-1]
        spans.append(body)
    return spans


def _assert_safe_echo(text: str) -> None:
    """The visitor's text in `text` is only short code spans without control characters,
    and nothing outside them is Markdown or HTML of theirs."""
    spans = _spans(text)
    assert spans, text
    for span in spans:
        assert len(span) <= LIMIT + 1, span  # 40 characters and "…"
        assert not any(unicodedata.category(c).startswith("C") for c in span), repr(span)
    outside = re.sub(r"(`+)(.+?)(?<!`)\1(?!`)", "", text)
    assert not re.search(r"<|\]\(|javascript:|:red\[", outside), outside
    assert len(text) < 300, len(text)


def _shown(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if " · 비교 " in c.value or " · vs " in c.value)


@pytest.fixture
def baseline(city_url) -> str:
    return _shown(_run())


@pytest.mark.parametrize(
    ("params", "notice", "dropped"), CASES, ids=[f"case{i}" for i in range(len(CASES))]
)
def test_hostile_parameters_get_a_notice_and_the_default(
    city_url, baseline, params, notice, dropped
):
    engine = sa.create_engine(city_url)
    with engine.connect() as conn:
        before = conn.execute(sa.text("select count(*) from welfare_case")).scalar_one()
    at = _run(**params)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and warnings[0].startswith(notice), warnings
    _assert_safe_echo(warnings[0])
    assert not at.error
    # the default view: the period shown is the default one, the URL no longer holds the value
    assert _shown(at) == baseline and DEFAULT_SHOWN in baseline
    assert dropped not in at.query_params, at.query_params
    assert at.selectbox(key="period").value is None
    with engine.connect() as conn:  # nothing the visitor typed ran as SQL
        assert conn.execute(sa.text("select count(*) from welfare_case")).scalar_one() == before
    engine.dispose()


def test_notices_are_english_with_lang_en(city_url):
    at = _run(period="<script>x</script>", compare="yoy;--", lang="en")
    assert [w.value for w in at.warning] == [
        "Could not read the period `<script>x</script>`; showing the default period. "
        "Write it as 2024, 2024-H1, 2024-Q3 or 2024-05.",
        "Unknown comparison `yoy;--`; showing the default comparison (prev: previous period, "
        "yoy: same period last year).",
    ]


def test_the_same_value_twice_is_no_conflict(city_url):
    at = _run(period=["2024-H1", "2024-H1"])
    assert not at.warning
    assert at.selectbox(key="period").value == "2024-H1"


def test_a_huge_value_shows_forty_characters(city_url):
    # 10,000 syllables are 90 KB in the address (Streamlit ignores a query string above
    # 512 KB altogether: tests/browser/test_hostile.py)
    at = _run(period="가" * 10_000)
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("기간 `" + "가" * LIMIT + "…`을(를)")


@pytest.mark.parametrize(
    "path",
    [
        "nb-9999999999",
        "region-99999",
        "agency-NOPE",
        "nb-<script>alert(1)<%2Fscript>",
        "x" * 5000,
        "nb-\x00\u202e" + "1" * 100,
    ],
    ids=["nb", "region", "agency", "script", "long", "control"],
)
def test_unknown_pages_get_the_not_found_page(city_url, path):
    at = _run(page=path)
    assert [t.value for t in at.title] == ["페이지를 찾을 수 없습니다"]
    assert not at.metric and not at.error
    (shown,) = [t.value for t in at.text]  # st.text: plain text, never Markdown
    assert shown == "/" + shown[1:] and len(shown) <= LIMIT + 2
    assert not any(unicodedata.category(c).startswith("C") for c in shown)


def test_unknown_codes_on_the_pages_are_literal_excerpts(city_url):
    # A page module asked for a code that is not there (a link from an older export).
    code = "[x](javascript:alert(1))" + "9" * 200
    for module, start in (
        ("agency", "기관 `[x](javascript:alert(1))99"),
        ("neighbourhood", "읍면동 코드 `[x](javascript:alert(1))99"),
    ):
        at = AppTest.from_string(
            f"from views import {module}\n{module}.render({code!r})", default_timeout=TIMEOUT
        )
        at.run()
        assert not at.exception
        (error,) = [e.value for e in at.error]
        assert error.startswith(start), error
        _assert_safe_echo(error)
