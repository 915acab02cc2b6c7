"""The translation layer: both languages for every key, and every key the code uses exists."""

from __future__ import annotations

import importlib
import re
import string
from pathlib import Path

import pytest

from lib import enums
from lib.i18n import STRINGS, enum_label, normalize_lang, t

ROOT = Path(__file__).resolve().parent.parent
# Literal keys passed to t(): t("overview.title", …) and t(f"stage.{s}", …) prefixes.
_T_CALL = re.compile(r"""\bt\(\s*(f?)["']([^"'{]+)""")


def _register_page_strings() -> None:
    # Pages may add their own strings to STRINGS when imported (e.g. views/data.py).
    for path in ROOT.glob("views/*.py"):
        importlib.import_module(f"views.{path.stem}")


def _used_keys() -> set[tuple[str, bool]]:
    files = [
        ROOT / "app.py",
        ROOT / "dashboard.py",
        *ROOT.glob("views/*.py"),
        *ROOT.glob("lib/**/*.py"),
    ]
    keys = set()
    for path in files:
        if path.exists():
            for is_f, key in _T_CALL.findall(path.read_text(encoding="utf-8")):
                keys.add((key, bool(is_f)))
    return keys


def test_korean_is_the_default_and_english_on_request():
    assert t("nav.overview") == "시 전체 개요"
    assert t("nav.overview", "ko") == "시 전체 개요"
    assert t("nav.overview", "en") == "City overview"


def test_formatting_fields():
    assert t("metric.rank", "ko", n=17, rank=3) == "17개 읍면동 중 3위(높은 순)"
    assert t("metric.rank", "en", n=17, rank=3) == "rank 3 of 17, highest first"


def test_unknown_key_is_shown_as_itself_not_an_error():
    assert t("no.such.key", "en") == "no.such.key"


def test_every_string_has_both_languages_with_the_same_fields():
    for key, (ko, en) in STRINGS.items():
        if key == "nav.section.main":  # the unnamed first section of the navigation
            continue
        assert ko and en, key
        fields_ko = {f for _, f, _, _ in string.Formatter().parse(ko) if f}
        fields_en = {f for _, f, _, _ in string.Formatter().parse(en) if f}
        assert fields_ko == fields_en, key


def test_every_key_used_in_the_code_exists():
    _register_page_strings()
    missing = []
    for key, is_prefix in _used_keys():
        if is_prefix:  # t(f"stage.{s}") — some key must start with the literal part
            if not any(k.startswith(key) for k in STRINGS):
                missing.append(key + "…")
        elif key not in STRINGS:
            missing.append(key)
    assert not missing, f"keys without a translation: {sorted(missing)}"


@pytest.mark.parametrize(
    "prefix,values", [("stage.", ["identified", "opened", "planned", "closed"])]
)
def test_prefixed_families_are_complete(prefix, values):
    assert all(f"{prefix}{v}" in STRINGS for v in values)


def test_enum_labels():
    assert enum_label(enums.CHANNEL, "이웃신고", "ko") == "이웃신고"
    assert enum_label(enums.CHANNEL, "이웃신고", "en") == "Neighbour"
    assert enum_label(enums.REFERRAL_STATUS, "연계완료", "en") == "Completed"


def test_normalize_lang():
    assert normalize_lang("en") == "en"
    assert normalize_lang("fr") == "ko"
    assert normalize_lang(None) == "ko"


def test_every_metric_has_a_short_english_column_label_of_its_own():
    from lib.metric_defs import METRICS

    labels = [m.short_en for m in METRICS]
    assert all(labels), [m.key for m in METRICS if not m.short_en]
    assert len(set(labels)) == len(labels), sorted(labels)
    # Korean headers are the full labels; English ones the short labels.
    by_key = {m.key: m for m in METRICS}
    assert by_key["discovered"].column_label("ko") == "발굴 가구"
    assert by_key["discovered"].column_label("en") == "Identified"


def test_overview_english_headers_are_short_with_the_full_title_in_the_tooltip():
    from lib.formatting import metric_title
    from views.overview import column_help

    assert metric_title("donations_krw", "en", short=True) == "Raised (₩K)"
    assert metric_title("donations_krw", "en") == "Donations raised (₩K)"
    assert column_help("donations_krw", "en") == (
        "Donations raised (₩K): sum of amount_krw of donations with received_on in P"
    )
    # Where the header already is the full title, the tooltip is the definition alone.
    assert column_help("donations_krw", "ko").startswith("기간 중 접수된 후원의 금액 합계")
