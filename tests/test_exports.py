"""lib.exports: the files of the download buttons, read back as a user's program would.

CSV: the bytes as Excel reads them (BOM, header, guarded text, numbers as numbers).
XLSX: openpyxl reads the values, cell types, number formats and the frozen header.
PNG: the signature and the pixel size (twice the chart's size). SVG: parsed as XML, its
Korean text, its font. Korean glyphs drawn: in a process where the machine's fonts are
hidden (a mount namespace), "가" and "나" give different pictures in Pretendard GOV, and
the same picture (nothing, or the same box) when the font is not registered.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import altair as alt
import openpyxl
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from lib import exports, fonts
from lib.charts import dashboard as charts
from lib.config import PROJECT_ROOT
from lib.suppression import SMALL, WITHHELD, Suppressed

BOM = b"\xef\xbb\xbf"
SVG_NS = "{http://www.w3.org/2000/svg}"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"))))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def guard_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "기관": ["=SUM(A1)", "+1", "-2", "@x", "\tcmd", "\rcmd", "온양1동", "a=b"],
            "의뢰(건)": [1, -2, 3, 4, 5, 6, 7, 8],
        }
    )


# ---- CSV ------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_the_korean_header_as_given():
    data = exports.table_csv(pd.DataFrame({"읍면동": ["온양1동"], "모금액(만원)": [12]}))
    assert data[:3] == BOM
    assert read_csv(data) == [["읍면동", "모금액(만원)"], ["온양1동", "12"]]


def test_csv_guards_text_that_a_spreadsheet_would_take_for_a_formula():
    rows = read_csv(exports.table_csv(guard_frame()))
    assert [r[0] for r in rows[1:]] == [
        "'=SUM(A1)",
        "'+1",
        "'-2",
        "'@x",
        "'\tcmd",
        "'\rcmd",
        "온양1동",
        "a=b",  # only the first character counts
    ]
    # A negative number is a number, not text: no quote.
    assert [r[1] for r in rows[1:]] == ["1", "-2", "3", "4", "5", "6", "7", "8"]


def test_csv_writes_suppressed_and_missing_values_as_the_page_shows_them():
    frame = pd.DataFrame(
        {
            "구분": ["가", "나", "다", "라"],
            "사례": pd.Series([Suppressed(SMALL), Suppressed(WITHHELD), None, 12], dtype=object),
            "비율(%)": [12.5, float("nan"), 0.0, 66.7],
            "날짜": [dt.date(2024, 6, 24)] * 4,
        }
    )
    rows = read_csv(exports.table_csv(frame))
    assert rows[1:] == [
        ["가", "<5", "12.5", "2024-06-24"],
        ["나", "–", "–", "2024-06-24"],
        ["다", "–", "0", "2024-06-24"],
        ["라", "12", "66.7", "2024-06-24"],
    ]


def test_csv_note_is_the_first_line():
    data = exports.table_csv(pd.DataFrame({"a": [1]}), note="송악면 열람용 · 추진단")
    assert read_csv(data)[:2] == [["송악면 열람용 · 추진단"], ["a"]]


# ---- XLSX -----------------------------------------------------------------------------------


def test_xlsx_number_formats_frozen_bold_header_and_values():
    frame = pd.DataFrame(
        {
            "읍면동": ["온양1동", "배방읍"],
            "발굴 가구": [6, 1234],
            "모금액(만원)": [120, 35],
            "수락률(%)": [66.7, None],
            "응답 소요일(중앙값, 일)": [2.5, 3.0],
            "의뢰일": [dt.date(2024, 6, 24), dt.date(2024, 12, 24)],
        }
    )
    formats = {
        "발굴 가구": "#,##0",
        "모금액(만원)": "#,##0",
        "수락률(%)": "0.0",
        "응답 소요일(중앙값, 일)": "0.0",
        "의뢰일": "yyyy-mm-dd",
    }
    sheet = read_xlsx(exports.table_xlsx(frame, sheet_name="사례", number_formats=formats))
    assert sheet.title == "사례"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(frame.columns)
    assert all(c.font.bold for c in sheet[1])
    assert [c.value for c in sheet[2]] == [
        "온양1동",
        6,
        120,
        66.7,
        2.5,
        dt.datetime(2024, 6, 24),
    ]
    assert [c.number_format for c in sheet[2][1:]] == list(formats.values())
    assert sheet["D3"].value == "–" and sheet["D3"].data_type == "s"
    # Korean takes two columns' width: the name column is wider than the date column.
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["F"].width


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers():
    sheet = read_xlsx(exports.table_xlsx(guard_frame()))
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in texts] == list(guard_frame()["기관"])
    assert {c.data_type for c in texts} == {"s"}  # "=SUM(A1)" is text, not a formula
    numbers = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert numbers[1].value == -2 and numbers[1].data_type == "n"
    assert numbers[0].number_format == "#,##0"  # whole numbers by default


def test_xlsx_suppressed_values_are_text():
    frame = pd.DataFrame({"사례": pd.Series([Suppressed(SMALL), 7], dtype=object)})
    sheet = read_xlsx(exports.table_xlsx(frame, number_formats={"사례": "#,##0"}))
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("<5", "s")
    assert (sheet["A3"].value, sheet["A3"].data_type) == (7, "n")


def test_xlsx_note_goes_above_a_frozen_header():
    sheet = read_xlsx(exports.table_xlsx(pd.DataFrame({"a": [1]}), note="=열람용"))
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=열람용", "s")
    assert sheet["A2"].value == "a" and sheet["A2"].font.bold
    assert sheet.freeze_panes == "A3"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("사례 추이", "사례 추이"),
        ("a[b]:c*d?e/f\\g", "a b c d e f g"),
        ("가" * 40, "가" * 31),
        ("'인용'", "인용"),
        ("[]", "Sheet1"),
    ],
    ids=["plain", "forbidden", "long", "quoted", "empty"],
)
def test_sheet_names_excel_accepts(name, title):
    assert exports.sheet_title(name) == title
    sheet = read_xlsx(exports.table_xlsx(pd.DataFrame({"a": [1]}), sheet_name=name))
    assert sheet.title == title


# ---- rounding and names ---------------------------------------------------------------------


def test_values_round_as_the_dashboard_shows_them():
    assert exports.round_as_shown(12.25, "rate") == 12.3  # half up, as people round
    assert exports.round_as_shown(2.5, "count") == 3
    assert exports.round_as_shown(-0.04, "days") == 0.0
    assert exports.round_as_shown(123.4567, "krw") == 123
    assert exports.round_as_shown("<5", "count") == "<5"
    assert exports.round_as_shown(None, "count") is None


def test_file_names_are_korean_and_safe_on_windows():
    assert (
        exports.file_name(["잇다", "중앙동", "사례 추이", "2025-H1"], "png")
        == "잇다_중앙동_사례추이_2025-H1.png"
    )
    assert (
        exports.file_name(["Itda", "Onyang 1-dong", "Case trend", "2024"], "csv")
        == "Itda_Onyang-1-dong_Case-trend_2024.csv"
    )
    name = exports.file_name(["잇다", 'a<b>c:"d/e\\f|g?h*', "2024-01-01..2024-03-31"], "xlsx")
    assert name == "잇다_abcdefgh_2024-01-01~2024-03-31.xlsx"
    assert not re.search(r'[<>:"/\\|?*]', name)


# ---- charts ---------------------------------------------------------------------------------


def caseload_chart() -> alt.Chart:
    months = [dt.date(2024, m, 1) for m in range(1, 7)]
    frame = pd.DataFrame(
        {
            "month": months,
            "discovered": [1, 2, 3, 4, 5, 6],
            "opened": [1, 1, 1, 1, 1, 1],
            "closed": [0, 1, 0, 1, 0, 1],
            "recorded": [True] * 6,
        }
    )
    return charts.caseload_trend_chart(frame, "ko")  # height 260, drawn 800 wide in a file


def test_png_is_twice_the_chart_s_size():
    png = exports.chart_png(caseload_chart())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert exports.png_size(png) == (2 * exports.FILE_WIDTH, 2 * charts.HEIGHT)
    assert exports.png_size(exports.chart_png(caseload_chart(), scale=1)) == (800, 260)


def test_a_chart_with_its_own_width_keeps_it():
    chart = alt.Chart(pd.DataFrame({"x": ["가"], "y": [1]})).mark_bar()
    chart = chart.encode(x="x:N", y="y:Q").properties(width=300, height=200)
    spec = exports.chart_spec(chart)
    assert spec["width"] == 300 and "autosize" not in spec
    width, _ = exports.png_size(exports.chart_png(chart))
    assert width > 600  # 300 px of plot and its axes, twice


def test_a_note_adds_a_line_under_the_chart():
    png = exports.chart_png(caseload_chart(), note="송악면 열람용")
    assert exports.png_size(png) == (1600, 2 * (260 + exports.NOTE_HEIGHT))
    svg = exports.chart_svg(caseload_chart(), note="송악면 열람용 <추진단> & 2025")
    assert "송악면 열람용 <추진단> & 2025" in exports.svg_text(svg.decode())


def test_svg_is_xml_with_the_korean_text_in_pretendard_gov():
    svg = exports.chart_svg(caseload_chart()).decode("utf-8")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("800", "260")
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG_NS}text")]
    assert "사례(건)" in texts  # the y axis title
    assert {"발굴", "신규 사례관리", "종결"} <= set(texts)  # the legend
    assert "24년 1월" in texts and "6월" in texts  # months in Korean (ko-KR locale)
    families = {el.get("font-family") for el in root.iter(f"{SVG_NS}text")}
    assert all(f.startswith("'Pretendard GOV'") for f in families)


def test_svg_carries_the_glyphs_of_its_text():
    svg = exports.chart_svg(caseload_chart()).decode("utf-8")
    faces = re.findall(
        r"@font-face\{font-family:'Pretendard GOV';font-weight:(\d+);"
        r"src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)",
        svg,
    )
    assert [w for w, _ in faces] == ["400"]
    font = TTFont(io.BytesIO(base64.b64decode(faces[0][1])))
    assert font.flavor == "woff2"
    covered = set(map(chr, font.getBestCmap()))
    used = set(exports.svg_text(svg)) - {" "}
    assert "굴" in used and used <= covered
    # A subset: far smaller than the whole font's 2,780 syllables.
    assert len(covered) < 100
    # The licence and the names stay with the glyphs (OFL).
    assert "Pretendard" in font["name"].getDebugName(1)
    assert font["name"].getDebugName(13)  # the licence description


def test_a_chart_of_more_than_5000_rows_is_drawn():
    frame = pd.DataFrame({"x": range(6000), "y": range(6000)})
    chart = alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q").properties(height=100)
    assert exports.png_size(exports.chart_png(chart, scale=1)) == (800, 100)


_GLYPHS = """
import json, sys
import altair as alt, pandas as pd, vl_convert as vlc
if sys.argv[1] == "register":
    from lib import fonts
    fonts.register_with_vl_convert()
def png(text):
    chart = alt.Chart(pd.DataFrame({"t": [text]})).mark_text(font="Pretendard GOV", fontSize=40)
    spec = chart.encode(text="t:N").properties(width=60, height=60).to_dict()
    return vlc.vegalite_to_png(json.dumps(spec), scale=1)
print(json.dumps([png("가") != png("나"), png("A") != png("B")]))
"""


def _glyph_run(mode: str, folder: Path) -> list[bool]:
    """Run _GLYPHS in a process that sees no system font (when the machine allows a
    mount namespace: `unshare -rm`, an empty folder mounted over the font folders)."""
    script = folder / "glyphs.py"
    script.write_text(_GLYPHS, encoding="utf-8")
    command = [sys.executable, str(script), mode]
    if shutil.which("unshare") and subprocess.run(["unshare", "-rm", "true"]).returncode == 0:
        empty = folder / "no-fonts"
        empty.mkdir(exist_ok=True)
        hidden = [d for d in ("/usr/share/fonts", "/usr/local/share/fonts") if os.path.isdir(d)]
        mounts = "".join(f"mount --bind {shlex.quote(str(empty))} {d} && " for d in hidden)
        inner = mounts + "exec " + shlex.join(command)
        command = ["unshare", "-rm", "sh", "-c", inner]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_korean_glyphs_are_drawn_without_a_system_font(tmp_path: Path):
    # The fonts are registered from the project's own copy (static/fonts/), not installed.
    assert fonts.ttf_dir().is_dir()
    # Without registering Pretendard GOV nothing tells two characters apart (the control
    # that shows this test can fail)…
    assert _glyph_run("plain", tmp_path) == [False, False]
    # …with it, two Korean syllables (and two Latin letters) differ: real glyphs are drawn.
    assert _glyph_run("register", tmp_path) == [True, True]
