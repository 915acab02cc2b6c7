"""lib.excerpt: the visitor's text shown back short, clean and literal; lib.period's bounds."""

from __future__ import annotations

import pytest

from lib.excerpt import excerpt, literal
from lib.period import Period, PeriodError


def test_excerpt_is_short_and_clean():
    assert excerpt("2024-13") == "2024-13"
    assert excerpt("x" * 100_000) == "x" * 40 + "…"
    # NUL, BEL, ESC, a right-to-left override and a zero-width space go; whitespace is one space
    assert excerpt("a\x00b\x07\x1bc\u202ed\u200be  \n\t f") == "abcde f"
    assert excerpt(None) == "" and excerpt(20240) == "20240"
    assert excerpt("가" * 41) == "가" * 40 + "…"


def test_literal_is_a_code_span_whatever_the_backticks():
    assert literal("<script>") == "`<script>`"
    assert literal("a`b") == "`` a`b ``"
    assert literal("``x") == "``` ``x ```"
    assert literal("") == "` `"


@pytest.mark.parametrize(
    "text", ["0000", "0000-01", "1899", "2101-H1", "0001-01-01..9999-12-31", "٢٠٢٤", "２０２４"]
)
def test_absurd_years_and_foreign_digits_are_period_errors(text):
    with pytest.raises(PeriodError):  # "0000" was a ValueError from datetime (a page error)
        Period.parse(text)


def test_the_period_error_quotes_an_excerpt():
    with pytest.raises(PeriodError) as info:
        Period.parse("9" * 10_000 + "x")
    assert len(str(info.value)) < 200
