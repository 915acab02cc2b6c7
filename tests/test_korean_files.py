"""What Korean users download reads Korean: the template's drop-downs, the export's name and
times, the audit log's words (no developer codes)."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd

from lib.ingest.template import write_template
from views.audit import detail_text, page_name, scope_name
from views.data import export_file_name


def test_every_korean_drop_down_lists_korean_words(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    values = [
        value
        for sheet in book.worksheets
        for check in sheet.data_validations.dataValidation
        for value in check.formula1.strip('"').split(",")
    ]
    assert "모금액" in values and "고위험" in values
    # Y/N is the contract's flag; nothing else may be Latin (donations_krw was)
    latin = [v for v in values if re.search(r"[A-Za-z]", v) and v not in ("Y", "N")]
    assert latin == []


def test_export_file_name_names_the_day_in_kst():
    # 2026-10-31 15:30 UTC is 2026-11-01 00:30 in Seoul
    now = dt.datetime(2026, 10, 31, 15, 30, tzinfo=dt.UTC)
    assert export_file_name("ko", now) == "잇다_내보내기_2026-11-01.xlsx"
    assert export_file_name("en", now) == "itda-export-2026-11-01.xlsx"
    earlier = dt.datetime(2026, 10, 31, 14, 59, tzinfo=dt.UTC)
    assert export_file_name("ko", earlier) == "잇다_내보내기_2026-10-31.xlsx"


def test_audit_pages_and_scopes_in_words():
    names = {"nb-0101": "가동", "nb:0101": "가동", "nb:0102": "나읍", "agency:A01": "나눔복지관"}
    assert page_name("city-overview", names, "ko") == "시 전체 개요"
    assert page_name("audit-log", names, "en") == "Audit log"
    assert page_name("nb-0101", names, "ko") == "가동"
    assert page_name(None, names, "ko") == ""
    assert page_name(pd.NA, names, "ko") == ""
    assert scope_name("city", names, "ko") == "시 전체"
    assert scope_name("nb:0101,0102", names, "ko") == "읍면동: 가동·나읍"
    assert scope_name("agency:A01", names, "ko") == "기관: 나눔복지관"
    assert scope_name("agency:ZZ", names, "ko") == "기관: ZZ"  # gone from the data: its code


def test_audit_details_in_words():
    assert (
        detail_text("city.xlsx; upsert; 1300 rows; 2 problems", "ko")
        == "city.xlsx · 추가·갱신 · 1,300행 · 문제 2건"
    )
    # 2026-12-09 00:00 UTC is 09:00 in Seoul
    assert (
        detail_text("expires 2026-12-09T00:00+00:00; pages home,definitions", "ko")
        == "만료 2026-12-09 09:00 KST · 페이지: 링크의 페이지, 지표 정의"
    )
    assert detail_text("12 rows", "en") == "12 rows"
    assert detail_text("12 rows", "ko") == "12행"
    # 1,800,000,000 s after 1970 is 2027-01-15 08:00:00 UTC, 17:00:00 in Seoul
    assert detail_text("iat 1800000000", "ko") == "로그인 2027-01-15 17:00:00 KST"
    assert detail_text("something else", "ko") == "something else"
    assert detail_text(None, "ko") == ""


def test_who_did_it_in_words():
    from lib.ui import actor_name

    assert actor_name("open-mode visitor", "ko") == "공개 모드 방문자"
    assert actor_name("anonymous", "ko") == "로그인하지 않은 방문자"
    assert actor_name("link:a1f4c14336fb768c", "ko") == "링크 a1f4c14336fb768c"
    assert actor_name("link:a1f4c14336fb768c", "en") == "link a1f4c14336fb768c"
    assert actor_name("cli:kim", "ko") == "명령줄(kim)"
    assert actor_name("kim@asan.go.kr", "ko") == "kim@asan.go.kr"  # a person stays as named
    assert actor_name("linkage@asan.go.kr", "ko") == "linkage@asan.go.kr"
