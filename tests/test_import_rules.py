"""A bad workbook for every rule of the import contract.

Each case breaks BASE in one place and states the exact problem lines it must produce
(sheet, Excel row, column as written, value as written, reason code). The database is
loaded with BASE first, and every case checks that a rejected import changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from lib.db import make_engine, migrate
from lib.ingest.importer import import_path
from tests.conftest import (
    _PG_SKIP_REASON,
    _drop_postgres_schema,
    _new_postgres_schema,
    _postgres_available,
)
from tests.test_import_workbooks import (
    D,
    base,
    import_sheets,
    problem_lines,
    snapshot,
    write_xlsx,
)

N, A, C, S, DO, P, R, V, SS, T = (
    "읍면동", "협업기관", "사례", "서비스제공", "후원", "후원금지원", "사례공유", "찾아가는방문",
    "자활참여", "목표",
)  # fmt: skip


# ---- edits of a workbook (a dict sheet -> rows, header first) ----------------------------


def put(sheet: str, row: int, header: str, value):
    """Set the cell in Excel row `row` under `header`."""

    def edit(book):
        rows = book[sheet]
        rows[row - 1][rows[0].index(header)] = value

    return edit


def drop_column(sheet: str, header: str):
    def edit(book):
        i = book[sheet][0].index(header)
        for r in book[sheet]:
            del r[i]

    return edit


def add_column(sheet: str, header: str, values: list):
    def edit(book):
        for r, v in zip(book[sheet], [header, *values], strict=True):
            r.append(v)

    return edit


def add_row(sheet: str, row: list):
    return lambda book: book[sheet].append(row)


def drop_sheet(sheet: str):
    return lambda book: book.pop(sheet)


def add_sheet(title: str, rows: list[list]):
    return lambda book: book.__setitem__(title, rows)


@dataclass
class Rule:
    id: str
    edits: list
    expected: set[tuple]
    replace: bool = field(default=False)


RULES = [
    # ---- neighbourhoods · 읍면동 ----
    Rule(
        "nb-code-required", [put(N, 3, "행정동코드", None)], {(N, 3, "행정동코드", "", "required")}
    ),
    Rule("nb-name-required", [put(N, 2, "읍면동명", "  ")], {(N, 2, "읍면동명", "", "required")}),
    Rule("nb-kind-enum", [put(N, 2, "구분", "시")], {(N, 2, "구분", "시", "bad_enum")}),
    Rule("nb-households-required", [put(N, 2, "세대수", None)], {(N, 2, "세대수", "", "required")}),
    Rule(
        "nb-households-integer",
        [put(N, 2, "세대수", "천")],
        {(N, 2, "세대수", "천", "bad_integer")},
    ),
    Rule(
        "nb-households-whole",
        [put(N, 2, "세대수", 12.5)],
        {(N, 2, "세대수", "12.5", "bad_integer")},
    ),
    Rule("nb-households-nonneg", [put(N, 2, "세대수", -1)], {(N, 2, "세대수", "-1", "negative")}),
    Rule("nb-population-nonneg", [put(N, 3, "인구수", "-5")], {(N, 3, "인구수", "-5", "negative")}),
    Rule(
        "nb-households-fits",
        [put(N, 2, "세대수", 3_000_000_000)],
        {(N, 2, "세대수", "3000000000", "too_large")},
    ),
    Rule(
        "nb-code-unique",
        [put(N, 3, "행정동코드", "1111051500")],
        {
            (N, 2, "행정동코드", "1111051500", "duplicate_id"),
            (N, 3, "행정동코드", "1111051500", "duplicate_id"),
        },
    ),
    Rule("nb-missing-column", [drop_column(N, "세대수")], {(N, 1, "세대수", "", "missing_column")}),
    Rule(
        "nb-duplicate-column",
        [add_column(N, " 세대수 (필수) ", [1, 2])],
        {(N, 1, "세대수 (필수)", "", "duplicate_column")},
    ),
    # ---- agencies · 협업기관 ----
    Rule("ag-sector-enum", [put(A, 2, "부문", "관")], {(A, 2, "부문", "관", "bad_enum")}),
    Rule(
        "ag-kind-enum",
        [put(A, 3, "기관유형", "복지관")],
        {(A, 3, "기관유형", "복지관", "bad_enum")},
    ),
    Rule("ag-name-required", [put(A, 3, "기관명", None)], {(A, 3, "기관명", "", "required")}),
    Rule(
        "ag-neighbourhood-exists",
        [put(A, 3, "소재읍면동코드", "9999")],
        {(A, 3, "소재읍면동코드", "9999", "unknown_ref")},
    ),
    # ---- cases · 사례 ----
    Rule(
        "case-id-length",
        [put(C, 3, "사례번호", "X" * 41)],
        {(C, 3, "사례번호", "X" * 41, "too_long")},
    ),
    Rule(
        "case-neighbourhood-exists",  # "42" is not "0042": codes are text
        [put(C, 3, "읍면동코드", "42")],
        {(C, 3, "읍면동코드", "42", "unknown_ref")},
    ),
    Rule(
        "case-discovered-required", [put(C, 3, "발굴일", None)], {(C, 3, "발굴일", "", "required")}
    ),
    Rule(
        "case-discovered-date",
        [put(C, 3, "발굴일", "2024-02-30")],
        {(C, 3, "발굴일", "2024-02-30", "bad_date")},
    ),
    Rule(
        "case-channel-enum",
        [put(C, 2, "발굴경로", "전화")],
        {(C, 2, "발굴경로", "전화", "bad_enum")},
    ),
    Rule(
        "case-risk-enum",
        [put(C, 2, "위기도", "매우높음")],
        {(C, 2, "위기도", "매우높음", "bad_enum")},
    ),
    Rule(
        "case-household-enum",
        [put(C, 2, "가구유형", "4인")],
        {(C, 2, "가구유형", "4인", "bad_enum")},
    ),
    Rule(
        "case-isolated-yn", [put(C, 2, "사회적고립", "예")], {(C, 2, "사회적고립", "예", "bad_yn")}
    ),
    Rule(
        "case-lead-agency-exists",
        [put(C, 3, "주관기관코드", "AG9")],
        {(C, 3, "주관기관코드", "AG9", "unknown_ref")},
    ),
    Rule(
        "case-opened-after-discovered",
        [put(C, 2, "사례관리시작일", D(2024, 1, 4))],
        {(C, 2, "사례관리시작일", "2024-01-04", "date_before")},
    ),
    Rule(
        "case-plan-after-opened",
        [put(C, 2, "계획수립일", "2024.01.09")],
        {(C, 2, "계획수립일", "2024.01.09", "date_before")},
    ),
    Rule(
        "case-plan-needs-opened",
        [put(C, 3, "계획수립일", D(2024, 2, 10))],
        {(C, 3, "계획수립일", "2024-02-10", "needs_other")},
    ),
    Rule(
        "case-closed-after-opened",
        [put(C, 2, "종결일", D(2024, 1, 9))],
        {(C, 2, "종결일", "2024-01-09", "date_before")},
    ),
    Rule(
        "case-closed-after-discovered-when-never-opened",
        [put(C, 3, "종결일", D(2024, 1, 31)), put(C, 3, "종결사유", "거부")],
        {(C, 3, "종결일", "2024-01-31", "date_before")},
    ),
    Rule(
        "case-close-reason-required",
        [put(C, 2, "종결사유", None)],
        {(C, 2, "종결사유", "", "required_with")},
    ),
    Rule(
        "case-close-reason-needs-date",
        [put(C, 3, "종결사유", "이사")],
        {(C, 3, "종결사유", "이사", "needs_other")},
    ),
    Rule(
        "case-close-reason-enum",
        [put(C, 2, "종결사유", "완료")],
        {(C, 2, "종결사유", "완료", "bad_enum")},
    ),
    # ---- services · 서비스제공 ----
    Rule(
        "service-case-exists",
        [put(S, 2, "사례번호", "C9")],
        {(S, 2, "사례번호", "C9", "unknown_ref")},
    ),
    Rule(
        "service-agency-exists",
        [put(S, 2, "제공기관코드", "AG3")],
        {(S, 2, "제공기관코드", "AG3", "unknown_ref")},
    ),
    Rule(
        "service-after-discovery-in-workbook",
        [put(S, 2, "제공일", D(2024, 1, 4))],
        {(S, 2, "제공일", "2024-01-04", "before_case_discovery")},
    ),
    Rule(
        "service-after-discovery-of-case-in-database",  # C2 (discovered 2024-02-01) only in the DB
        [drop_sheet(C), put(S, 2, "사례번호", "C2"), put(S, 2, "제공일", D(2024, 1, 31))],
        {(S, 2, "제공일", "2024-01-31", "before_case_discovery")},
    ),
    Rule("service-amount-nonneg", [put(S, 2, "금액", -100)], {(S, 2, "금액", "-100", "negative")}),
    Rule(
        "service-category-enum",
        [put(S, 2, "서비스유형", "현금")],
        {(S, 2, "서비스유형", "현금", "bad_enum")},
    ),
    Rule(
        "service-provided-required", [put(S, 2, "제공일", None)], {(S, 2, "제공일", "", "required")}
    ),
    # ---- donations · 후원 ----
    Rule(
        "donation-amount-positive", [put(DO, 2, "금액", 0)], {(DO, 2, "금액", "0", "not_positive")}
    ),
    Rule("donation-amount-required", [put(DO, 2, "금액", None)], {(DO, 2, "금액", "", "required")}),
    Rule(
        "donation-form-enum",
        [put(DO, 2, "후원형태", "수표")],
        {(DO, 2, "후원형태", "수표", "bad_enum")},
    ),
    Rule(
        "donation-donor-type-enum",
        [put(DO, 2, "후원자유형", "학교")],
        {(DO, 2, "후원자유형", "학교", "bad_enum")},
    ),
    Rule(
        "donation-neighbourhood-exists",
        [put(DO, 2, "읍면동코드", "1111051501")],
        {(DO, 2, "읍면동코드", "1111051501", "unknown_ref")},
    ),
    # ---- disbursements · 후원금지원 ----
    Rule(
        "disbursement-amount-positive",
        [put(P, 2, "금액", "-5")],
        {(P, 2, "금액", "-5", "not_positive")},
    ),
    Rule(
        "disbursement-case-exists",
        [put(P, 2, "사례번호", "C7")],
        {(P, 2, "사례번호", "C7", "unknown_ref")},
    ),
    Rule(
        "disbursement-purpose-enum",
        [put(P, 2, "지원용도", "여행")],
        {(P, 2, "지원용도", "여행", "bad_enum")},
    ),
    Rule(
        "disbursement-paid-required", [put(P, 2, "지원일", "")], {(P, 2, "지원일", "", "required")}
    ),
    # ---- referrals · 사례공유 ----
    Rule(
        "referral-to-not-from",
        [put(R, 2, "수신기관코드", "AG1")],
        {(R, 2, "수신기관코드", "AG1", "same_agency")},
    ),
    Rule(
        "referral-agencies-exist",
        [put(R, 2, "의뢰기관코드", "AG8"), put(R, 2, "수신기관코드", "AG9")],
        {
            (R, 2, "의뢰기관코드", "AG8", "unknown_ref"),
            (R, 2, "수신기관코드", "AG9", "unknown_ref"),
        },
    ),
    Rule(
        "referral-case-exists",
        [put(R, 2, "사례번호", "C3")],
        {(R, 2, "사례번호", "C3", "unknown_ref")},
    ),
    Rule("referral-status-enum", [put(R, 2, "상태", "보류")], {(R, 2, "상태", "보류", "bad_enum")}),
    Rule("referral-reason-enum", [put(R, 2, "사유", "바쁨")], {(R, 2, "사유", "바쁨", "bad_enum")}),
    Rule(
        "referral-sent-has-no-dates",
        [put(R, 2, "상태", "의뢰")],
        {
            (R, 2, "응답일", "2024-01-12", "status_forbids"),
            (R, 2, "종료일", "2024-02-01", "status_forbids"),
        },
    ),
    Rule(
        "referral-accepted-needs-response",
        [put(R, 2, "상태", "수락"), put(R, 2, "응답일", None), put(R, 2, "종료일", None)],
        {(R, 2, "응답일", "", "status_requires")},
    ),
    Rule(
        "referral-accepted-not-closed",
        [put(R, 2, "상태", "수락")],
        {(R, 2, "종료일", "2024-02-01", "status_forbids")},
    ),
    Rule(
        "referral-declined-needs-reason",
        [put(R, 2, "상태", "불수락"), put(R, 2, "종료일", None)],
        {(R, 2, "사유", "", "status_requires")},
    ),
    Rule(
        "referral-declined-needs-response",
        [
            put(R, 2, "상태", "불수락"),
            put(R, 2, "응답일", None),
            put(R, 2, "종료일", None),
            put(R, 2, "사유", "정원초과"),
        ],
        {(R, 2, "응답일", "", "status_requires")},
    ),  # fmt: skip
    Rule(
        "referral-completed-needs-close",
        [put(R, 2, "종료일", None)],
        {(R, 2, "종료일", "", "status_requires")},
    ),
    Rule(
        "referral-failed-needs-both-and-reason",
        [put(R, 2, "상태", "연계실패"), put(R, 2, "응답일", None), put(R, 2, "종료일", None)],
        {
            (R, 2, "응답일", "", "status_requires"),
            (R, 2, "종료일", "", "status_requires"),
            (R, 2, "사유", "", "status_requires"),
        },
    ),
    Rule(
        "referral-withdrawn-has-no-response",
        [put(R, 2, "상태", "회수")],
        {(R, 2, "응답일", "2024-01-12", "status_forbids")},
    ),
    Rule(
        "referral-withdrawn-needs-date",
        [put(R, 2, "상태", "회수"), put(R, 2, "응답일", None), put(R, 2, "종료일", None)],
        {(R, 2, "종료일", "", "status_requires")},
    ),
    Rule(
        "referral-responded-after-requested",
        [put(R, 2, "응답일", "2024/01/10")],
        {(R, 2, "응답일", "2024/01/10", "date_before")},
    ),
    Rule(
        "referral-closed-after-responded",
        [put(R, 2, "종료일", "20240111")],
        {(R, 2, "종료일", "20240111", "date_before")},
    ),
    Rule(
        "referral-withdrawn-after-requested",
        [put(R, 2, "상태", "회수"), put(R, 2, "응답일", None), put(R, 2, "종료일", D(2024, 1, 10))],
        {(R, 2, "종료일", "2024-01-10", "date_before")},
    ),
    # ---- outreach · 찾아가는방문 ----
    Rule(
        "visit-found-le-visited",
        [put(V, 2, "발굴세대수", 21)],
        {(V, 2, "발굴세대수", "21", "exceeds")},
    ),
    Rule(
        "visit-visited-nonneg",
        [put(V, 2, "방문세대수", -1)],
        {(V, 2, "방문세대수", "-1", "negative")},
    ),
    Rule(
        "visit-neighbourhood-exists",
        [put(V, 2, "읍면동코드", None)],
        {(V, 2, "읍면동코드", "", "required")},
    ),
    # ---- self_sufficiency · 자활참여 ----
    Rule(
        "ss-ended-after-started",
        [put(SS, 2, "참여종료일", D(2023, 12, 31)), put(SS, 2, "종료사유", "취업")],
        {(SS, 2, "참여종료일", "2023-12-31", "date_before")},
    ),
    Rule(
        "ss-outcome-needs-end",
        [put(SS, 2, "종료사유", "취업")],
        {(SS, 2, "종료사유", "취업", "needs_other")},
    ),
    Rule(
        "ss-end-needs-outcome",
        [put(SS, 2, "참여종료일", D(2024, 6, 30))],
        {(SS, 2, "종료사유", "", "required_with")},
    ),
    Rule(
        "ss-kind-enum",
        [put(SS, 2, "사업유형", "협동조합")],
        {(SS, 2, "사업유형", "협동조합", "bad_enum")},
    ),
    Rule(
        "ss-programme-required",
        [put(SS, 2, "사업단명", None)],
        {(SS, 2, "사업단명", "", "required")},
    ),
    # ---- targets · 목표 ----
    Rule(
        "target-metric-allowed",
        [put(T, 2, "지표", "active")],
        {(T, 2, "지표", "active", "bad_metric")},
    ),
    Rule(
        "target-value-positive", [put(T, 2, "목표값", 0)], {(T, 2, "목표값", "0", "not_positive")}
    ),
    Rule(
        "target-value-number",
        [put(T, 2, "목표값", "많이")],
        {(T, 2, "목표값", "많이", "bad_number")},
    ),
    Rule(
        "target-year-integer", [put(T, 2, "연도", "올해")], {(T, 2, "연도", "올해", "bad_integer")}
    ),
    Rule(
        "target-neighbourhood-exists",
        [put(T, 2, "읍면동코드", "7777")],
        {(T, 2, "읍면동코드", "7777", "unknown_ref")},
    ),
    Rule(
        "target-key-unique",  # the city's target twice (empty neighbourhood both times)
        [add_row(T, [2024, None, "donations_krw", 100])],
        {
            (T, 2, "지표", "2024 / donations_krw", "duplicate_key"),
            (T, 3, "지표", "2024 / donations_krw", "duplicate_key"),
        },
    ),
    # ---- the workbook ----
    Rule(
        "sheet-twice",
        [add_sheet("neighbourhoods", base()[N])],
        {("neighbourhoods", None, "", "", "duplicate_sheet")},
    ),
    Rule(
        "replace-references-inside-workbook",  # 0042 is in the database but not the workbook
        [lambda b: b[N].pop(2)],
        {(C, 3, "읍면동코드", "0042", "unknown_ref_replace")},
        replace=True,
    ),
    Rule(
        "replace-needs-neighbourhoods",
        [drop_sheet(N)],
        {
            (N, None, "", "", "missing_sheet_replace"),
            (A, 2, "소재읍면동코드", "1111051500", "unknown_ref_replace"),
            (C, 2, "읍면동코드", "1111051500", "unknown_ref_replace"),
            (C, 3, "읍면동코드", "0042", "unknown_ref_replace"),
            (DO, 2, "읍면동코드", "1111051500", "unknown_ref_replace"),
            (V, 2, "읍면동코드", "1111051500", "unknown_ref_replace"),
            (SS, 2, "읍면동코드", "1111051500", "unknown_ref_replace"),
        },
        replace=True,
    ),
    Rule(
        "stored-service-before-new-discovery",  # S1 (2024-01-15) stays in the database
        [
            drop_sheet(S),
            put(C, 2, "발굴일", D(2024, 1, 16)),
            put(C, 2, "사례관리시작일", D(2024, 1, 16)),
        ],
        {(C, 2, "발굴일", "2024-01-16", "service_before_discovery")},
    ),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory):
    """A database of each backend holding BASE, shared by the cases (none may change it)."""
    if request.param == "sqlite":
        url, schema = f"sqlite:///{tmp_path_factory.mktemp('rules') / 'rules.db'}", None
    else:
        if not _postgres_available():
            pytest.skip(_PG_SKIP_REASON)
        schema, url = _new_postgres_schema()
    engine = make_engine(url)
    migrate(engine)
    folder = tmp_path_factory.mktemp("base")
    assert import_path(engine, write_xlsx(folder / "base.xlsx", base())).ok
    yield engine, snapshot(engine)
    engine.dispose()
    if schema:
        _drop_postgres_schema(schema)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_rejects_the_workbook_and_writes_nothing(loaded, tmp_path, rule):
    engine, before = loaded
    book = base()
    for edit in rule.edits:
        edit(book)
    result = import_sheets(engine, tmp_path, book, replace=rule.replace)
    assert result.outcome == "rejected"
    assert problem_lines(result) == rule.expected
    assert snapshot(engine) == before


def test_every_problem_is_reported_not_just_the_first(loaded, tmp_path):
    engine, before = loaded
    book = base()
    for edit in (
        put(N, 2, "구분", "시"),
        put(C, 2, "발굴일", "어제"),
        put(C, 3, "위기도", None),
        put(R, 2, "상태", "의뢰"),
        put(T, 2, "목표값", -1),
    ):
        edit(book)
    result = import_sheets(engine, tmp_path, book)
    # 1 + 1 + 1 + 2 (응답일 and 종료일 must be empty for 의뢰) + 1 = 6 errors, in reading order.
    assert [(p.sheet, p.row, p.column, p.code) for p in result.errors] == [
        (N, 2, "구분", "bad_enum"),
        (C, 2, "발굴일", "bad_date"),
        (C, 3, "위기도", "required"),
        (R, 2, "응답일", "status_forbids"),
        (R, 2, "종료일", "status_forbids"),
        (T, 2, "목표값", "not_positive"),
    ]
    assert snapshot(engine) == before


def test_reasons_in_korean_and_english(loaded, tmp_path):
    engine, _ = loaded
    book = base()
    for edit in (
        put(C, 2, "사례관리시작일", D(2024, 1, 4)),
        put(R, 2, "상태", "수락"),
        put(N, 3, "구분", "village"),
        put(S, 2, "제공일", D(2024, 1, 4)),
    ):
        edit(book)
    result = import_sheets(engine, tmp_path, book)
    reasons = {(p.sheet, p.column): (p.reason("ko"), p.reason("en")) for p in result.errors}
    assert reasons == {
        (N, "구분"): (
            "허용되지 않는 값입니다. 가능한 값: 읍 (eup), 면 (myeon), 동 (dong)",
            "Not an accepted value. Use one of: 읍 (eup), 면 (myeon), 동 (dong)",
        ),
        (C, "사례관리시작일"): (
            "발굴일(2024-01-05)보다 빠를 수 없습니다.",
            "Cannot be before 발굴일 (2024-01-05).",
        ),
        (S, "제공일"): (
            "사례 C1의 발굴일(2024-01-05)보다 빠를 수 없습니다.",
            "Cannot be before the discovery date of case C1 (2024-01-05).",
        ),
        (R, "종료일"): (
            "상태가 수락이면 비어 있어야 합니다.",
            "Must be empty when the status is accepted.",
        ),
    }


def test_first_import_needs_neighbourhoods(engine, tmp_path):
    book = base()
    del book[N]
    result = import_sheets(engine, tmp_path, book)
    assert result.outcome == "rejected"
    assert (N, None, "", "", "missing_sheet_first") in problem_lines(result)
    # Without neighbourhoods every reference to one fails as well: all are listed.
    assert (C, 3, "읍면동코드", "0042", "unknown_ref") in problem_lines(result)
    assert all(n == 0 for n in snapshot(engine).values() if isinstance(n, int))
    assert all(rows == [] for rows in snapshot(engine).values())


def test_a_workbook_without_any_contract_sheet(engine, tmp_path):
    result = import_sheets(engine, tmp_path, {"Sheet1": [["a", "b"], [1, 2]]})
    assert problem_lines(result) == {("", None, "", "", "no_sheets")}
    assert problem_lines(result, "warning") == {("Sheet1", None, "", "", "unknown_sheet")}
    assert result.outcome == "rejected"
