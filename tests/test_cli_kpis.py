"""`python -m lib.cli kpis` on the fixture city, on SQLite and PostgreSQL.

Expected numbers are those of tests/test_metrics_fixture.py (worked out there by hand),
rounded half-up to one decimal for rates and medians.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from lib.cli import main
from lib.formatting import display_width
from lib.kpis import json_value
from lib.metric_defs import AGENCY_METRIC_KEYS, METRIC_KEYS
from lib.suppression import SMALL, WITHHELD, Suppressed
from tests.fixture_city import AGENCY_CODES, A, B, C, load_fixture_city


@pytest.fixture
def url(db_url, engine):
    """The URL of a database holding the fixture city."""
    with engine.begin() as conn:
        load_fixture_city(conn)
    return db_url


def run(url, capsys, *args, lang="ko"):
    """(exit code, stdout, stderr) of `python -m lib.cli --lang L kpis ARGS`."""
    code = main(["--database-url", url, "--lang", lang, "kpis", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_default_is_the_city_for_the_as_of_year_to_date(url, capsys):
    code, out, err = run(url, capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == ["as_of", "period", "scope", "metrics"]
    # as of 2024-12-31 (C16 closed then): 1 January to the as-of date
    assert doc["as_of"] == "2024-12-31"
    assert doc["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert doc["scope"] == "city"
    metrics = doc["metrics"]
    assert list(metrics) == list(METRIC_KEYS)
    assert metrics["discovered"] == 13
    assert metrics["high_risk_share"] == 28.6  # 2 / 7 = 28.57 %
    assert metrics["acceptance_rate"] == 71.4  # 5 / 7 = 71.43 %
    assert metrics["completion_rate"] == 66.7  # 2 / 3
    assert metrics["median_days_open"] == 167.0
    assert metrics["donations_krw"] == 12_600_000
    assert metrics["donation_target_rate"] == 63.0  # within 2024: 12.6M / 20M
    assert metrics["overdue"] == 1  # R11 (R12 waits exactly 7 days)


def test_every_scope(url, capsys):
    code, out, _ = run(url, capsys, "--period", "2024-H1", "--scope", "all")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["as_of", "period", "scopes"]
    assert doc["period"] == {"start": "2024-01-01", "end": "2024-06-30"}
    assert list(doc["scopes"]) == ["city", A, B, C]
    assert doc["scopes"]["city"]["active_per_1000"] == 1.7  # 6 / 3,500 × 1000 = 1.714
    assert doc["scopes"]["city"]["pending"] == 3  # R05 R08 R11
    assert doc["scopes"][A]["median_days_open"] == 178.0  # (167 + 189) / 2
    assert doc["scopes"][B]["high_risk_share"] == 0.0  # defined: 0 of 3 active
    assert doc["scopes"][C]["high_risk_share"] is None  # no active case: undefined
    assert doc["scopes"][C]["households_visited"] == 0


def test_one_neighbourhood_and_an_explicit_range(url, capsys):
    code, out, _ = run(url, capsys, "--from", "2024-01-01", "--to", "2024-06-30", "--scope", A)
    doc = json.loads(out)
    assert code == 0 and doc["scope"] == A
    assert doc["period"] == {"start": "2024-01-01", "end": "2024-06-30"}
    assert doc["metrics"]["high_risk_share"] == 33.3  # C05 of C02 C04 C05
    assert doc["metrics"]["acceptance_rate"] == 66.7  # R02 R03 of R02 R03 R04
    assert doc["metrics"]["donation_target_rate"] == 70.0  # 3.5M / 5M


def test_one_agency_and_every_agency(url, capsys):
    code, out, _ = run(url, capsys, "--period", "2024", "--agency", "AG04")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["as_of", "period", "agency", "metrics"]
    assert doc["agency"] == "AG04"
    # received R04 R08 R10: accepted R10, declined R04; responses 10 and 7 days
    assert doc["metrics"] == {
        "referrals_sent": 0,
        "referrals_received": 3,
        "acceptance_rate": 50.0,
        "median_response_days": 8.5,
        "pending": 0,
        "overdue": 0,
        "completion_rate": None,
    }
    code, out, _ = run(url, capsys, "--period", "2024", "--agency", "all")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["as_of", "period", "agencies"]
    assert list(doc["agencies"]) == list(AGENCY_CODES)
    assert list(doc["agencies"]["AG01"]) == list(AGENCY_METRIC_KEYS)
    assert doc["agencies"]["AG01"]["referrals_sent"] == 5  # R03 R08 R09 R11 R13
    assert doc["agencies"]["AG03"]["acceptance_rate"] == 66.7  # R02 R05 of R02 R05 R13


def test_response_limit_comes_from_the_setting(url, capsys, monkeypatch):
    monkeypatch.setenv("ITDA_RESPONSE_LIMIT_DAYS", "6")
    _, out, _ = run(url, capsys, "--period", "2024")
    # R11 waits 190 days and R12 7 days: both more than 6
    assert json.loads(out)["metrics"]["overdue"] == 2


def test_csv(url, capsys):
    code, out, _ = run(url, capsys, "--period", "2024", "--scope", "all", "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5  # header, city, A, B, C
    header = lines[0].split(",")
    assert header == ["scope", *METRIC_KEYS]
    city = dict(zip(header, lines[1].split(","), strict=True))
    assert (city["scope"], city["discovered"], city["acceptance_rate"]) == ("city", "13", "71.4")
    c_row = dict(zip(header, lines[4].split(","), strict=True))
    assert (c_row["scope"], c_row["high_risk_share"], c_row["donors"]) == (C, "", "0")


def test_table_in_korean_and_english(url, capsys):
    _, out, _ = run(url, capsys, "--period", "2024", "--scope", "all", "--format", "table")
    lines = out.splitlines()
    assert lines[0] == "기간: 2024년 (2024.01.01–2024.12.31) · 기준일: 2024-12-31"
    assert lines[2].split() == ["지표", "시", "전체", "온양1동", f"({A})", "배방읍", f"({B})", "송악면", f"({C})"]  # fmt: skip
    assert lines[4].split() == ["발굴", "가구", "13", "6", "6", "1"]
    # every row is as wide as the header (Hangul counts two terminal columns)
    assert {display_width(line) for line in lines[2:]} == {display_width(lines[2])}
    assert "고위험 비율" in out and "28.6%" in out and "–" in out
    _, out, _ = run(url, capsys, "--period", "2024", "--format", "table", lang="en")
    assert out.splitlines()[0] == "Period: 2024 (2024.01.01–2024.12.31) · As of: 2024-12-31"
    assert "Households identified" in out and "12,600,000" in out


@pytest.mark.parametrize(
    "args, lang, message",
    [
        (["--period", "2024-13"], "ko", "기간을 이해할 수 없습니다: '2024-13'. 2024, 2024-H1, 2024-Q3, 2024-05 또는 2024-01-01..2024-03-31 형식으로 쓰세요."),
        (["--period", "2024-13"], "en", "Invalid period '2024-13': month must be 01–12, not '13'."),
        (["--scope", "9999"], "ko", "알 수 없는 읍면동 코드입니다: '9999'."),
        (["--scope", "9999"], "en", "Unknown neighbourhood code: '9999'."),
        (["--agency", "AG99"], "ko", "알 수 없는 기관 코드입니다: 'AG99'."),
        (["--agency", "AG99"], "en", "Unknown agency code: 'AG99'."),
        (["--from", "2024-01-01"], "en", "Give both --from and --to (e.g. --from 2024-01-01 --to 2024-03-31)."),
        (["--from", "2024-03-01", "--to", "2024-02-01"], "ko", "기간의 끝(2024-02-01)이 시작(2024-03-01)보다 앞섭니다."),
        (["--period", "2024", "--from", "2024-01-01", "--to", "2024-02-01"], "en", "Give either --period or --from/--to, not both."),
        (["--agency", "AG01", "--scope", "all"], "en", "--agency cannot be combined with --scope all."),
    ],
)  # fmt: skip
def test_bad_input_gets_one_clear_line_and_exit_2(url, capsys, args, lang, message):
    code, out, err = run(url, capsys, *args, lang=lang)
    assert (code, out, err) == (2, "", message + "\n")


def test_empty_database_without_a_period(db_url, capsys):
    code, out, err = run(db_url, capsys)
    assert (code, out) == (1, "")
    assert err == "데이터가 없습니다. 먼저 데이터를 가져오거나(import) 데모를 만드세요(demo).\n"


def test_json_values_round_half_up_and_keep_whole_numbers():
    assert json_value("acceptance_rate", 12.25) == 12.3  # half-up, not to even
    assert json_value("median_response_days", 6.449) == 6.4
    assert json_value("active_per_1000", 1.7142857) == 1.7
    assert json_value("donors", np.int64(3)) == 3 and type(json_value("donors", np.int64(3))) is int
    assert json_value("donations_krw", 12_600_000) == 12_600_000
    assert json_value("completion_rate", None) is None
    assert json_value("completion_rate", float("nan")) is None


def test_json_values_of_a_partner_view_say_what_the_page_says():
    assert json_value("pending", Suppressed(SMALL, 5)) == "<5"
    assert json_value("acceptance_rate", Suppressed(WITHHELD, 5)) == "–"
