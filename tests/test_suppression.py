"""The rules of metrics.md "Small numbers (partner views)" as pure functions (lib.suppression).

T = 5 throughout unless a test says otherwise; every expected cell is worked out by hand
in the comments (which cell is small, which one complements it and why).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.suppression import (
    COMPLEMENTARY,
    COUNT_KEYS,
    SMALL,
    WITHHELD,
    Suppressed,
    as_float,
    complement_line,
    complement_long,
    complement_table,
    shows_something,
    small_count,
    small_counts,
    threshold,
    withheld_below,
    withheld_with,
)

T = 5
S = Suppressed(SMALL, T)  # "<5"
W = Suppressed(WITHHELD, T)  # "–", too small to show
X = Suppressed(COMPLEMENTARY, T)  # "–", hidden to protect another cell


def test_a_suppressed_value_reads_as_the_page_shows_it_and_is_not_missing():
    assert S.text == str(S) == "<5"
    assert W.text == X.text == "–"
    assert S.too_small and W.too_small and not X.too_small
    assert Suppressed(SMALL, 10).text == "<10"
    # Not None, not NaN: a page can tell "too small to show" from "no value".
    assert not pd.isna(S)


@pytest.mark.parametrize(
    "count, shown",
    [
        (0, 0),  # 0 reveals no one
        (1, S),  # the smallest count hidden
        (4, S),  # T − 1
        (5, 5),  # T is shown
        (120, 120),
        (None, None),  # no value stays no value
    ],
)
def test_counts_from_1_to_t_minus_1_read_less_than_t(count, shown):
    assert small_count(count, T) == shown


def test_the_threshold_is_the_setting_read_when_asked(monkeypatch):
    monkeypatch.delenv("ITDA_SMALL_COUNT_THRESHOLD", raising=False)
    assert threshold() == 5
    monkeypatch.setenv("ITDA_SMALL_COUNT_THRESHOLD", "10")
    assert threshold() == 10
    assert small_count(9, threshold()) == Suppressed(SMALL, 10)


@pytest.mark.parametrize(
    "value, basis, shown",
    [
        (75.0, 4, W),  # a rate over T − 1 answered referrals: withheld
        (75.0, 5, 75.0),  # over T: shown
        (None, 0, None),  # an empty denominator: undefined, not suppressed
        (12.5, 1, W),  # a median over one value
        (0, 0, 0),  # no money given to no one: 0 reveals no one
    ],
)
def test_rates_medians_and_money_given_are_withheld_on_a_small_basis(value, basis, shown):
    assert withheld_below(value, basis, T) == shown


def test_a_rate_per_1000_follows_its_count():
    assert withheld_with(3.0, S, T) == W  # count 3 hidden → 3 per 1,000 of 1,000 too
    assert withheld_with(6.0, X, T) == W  # hidden to protect another: still gives it back
    assert withheld_with(6.0, 6, T) == 6.0
    assert withheld_with(0.0, 0, T) == 0.0
    assert withheld_with(None, S, T) is None  # no households: no rate at all


def test_a_line_with_one_hidden_cell_hides_the_next_smallest_above_zero():
    # [3, 0, 10, 7]: 3 → "<5"; the others shown: 0 is never chosen, 7 < 10 is.
    line = [small_count(v, T) for v in (3, 0, 10, 7)]
    assert complement_line(line, T) == [S, 0, 10, X]


def test_a_line_with_two_hidden_cells_or_none_is_left_alone():
    assert complement_line([S, 6, S, 9], T) == [S, 6, S, 9]
    assert complement_line([5, 6, 0], T) == [5, 6, 0]


def test_a_line_whose_other_cells_are_all_zero_needs_nothing_more():
    # The hidden 3 equals the line's total, which is itself 3 and hidden ("<5").
    assert complement_line([S, 0, 0], T) == [S, 0, 0]


def test_ties_choose_the_first_cell_of_the_line():
    assert complement_line([8, S, 8], T) == [X, S, 8]


def test_a_table_is_completed_along_rows_and_columns_until_stable():
    # a   b        row 0: a=3 hidden, so b=20 (the only other) is hidden;
    # 3   20       column a: 3 hidden, 10 and 8 shown → 8 (smaller) hidden;
    # 10  30       column b: 20 now hidden, 30 and 6 shown → 6 hidden;
    # 8   6        row 2: 8 and 6 both hidden; every line now hides 0 or 2 cells.
    frame = small_counts(pd.DataFrame({"a": [3, 10, 8], "b": [20, 30, 6]}), ["a", "b"], T)
    done = complement_table(frame, ["a", "b"], T)
    assert done["a"].tolist() == [S, 10, X]
    assert done["b"].tolist() == [X, 30, X]


def test_a_table_completed_by_rows_only_leaves_columns_as_they_are():
    frame = small_counts(pd.DataFrame({"a": [3, 10], "b": [20, 30]}), ["a", "b"], T)
    done = complement_table(frame, ["a", "b"], T, down=False)
    # row 0: 3 hidden → 20 hidden; row 1 has none; column a (3, 10) is not a line here.
    assert done["a"].tolist() == [S, 10]
    assert done["b"].tolist() == [X, 30]


def test_long_rows_form_lines_along_each_axis():
    # month × kind (absent cells are 0):      row Jan: 2 hidden → 9 (only other) hidden
    #        a    b                           column a: 2 hidden, 7 shown → 7 hidden
    # Jan    2    9                           column b: 9 hidden, 12 shown → 12 hidden
    # Feb    7    12                          row Feb: 7 and 12 hidden: stable
    frame = pd.DataFrame(
        {"month": ["Jan", "Jan", "Feb", "Feb"], "kind": ["a", "b", "a", "b"], "n": [2, 9, 7, 12]}
    )
    done = complement_long(small_counts(frame, ["n"], T), "n", ["month", "kind"], T)
    assert done["n"].tolist() == [S, X, X, X]
    one_axis = complement_long(small_counts(frame, ["n"], T), "n", ["kind"], T)
    # One axis: the whole column is one line (2 hidden → 7, the next-smallest, hidden).
    assert one_axis["n"].tolist() == [S, 9, X, 12]


def test_numbers_for_charts_and_whether_anything_is_there():
    values = pd.Series([S, 3, None, 0], index=[10, 11, 12, 13], dtype=object)
    drawn = as_float(values)
    assert list(drawn.index) == [10, 11, 12, 13]
    assert math.isnan(drawn[10]) and drawn[11] == 3.0 and math.isnan(drawn[12])
    assert shows_something([0, None, S])  # something hidden is still something
    assert not shows_something([0, None, 0.0])


def test_the_counts_of_people_exclude_programmes():
    assert "ss_programmes" not in COUNT_KEYS  # programmes count no one
    assert {"donors", "households_visited", "pending", "supported_households"} <= set(COUNT_KEYS)
    assert "disbursed_krw" not in COUNT_KEYS and "active_per_1000" not in COUNT_KEYS


def test_a_cell_that_its_other_line_would_give_back_is_not_chosen():
    # T = 2 here (only 1s are small).  a  b  c      row 0: 1 hidden. The smallest other
    #                                  1  2  3      cell is 2, but its column [2, 0] could
    #                                  5  0  4      hide nothing with it: the column's total
    # would give 2 back, and then the row's total the 1. 3's column [3, 4] can, so 3 is
    # chosen; column c then hides 4 (its row [5, 0, 4] can pair it), and row 1 hides 5.
    # Every line now hides 0 or 2 cells.
    frame = small_counts(pd.DataFrame({"a": [1, 5], "b": [2, 0], "c": [3, 4]}), "abc", 2)
    done = complement_table(frame, ["a", "b", "c"], 2)
    small, other = Suppressed(SMALL, 2), Suppressed(COMPLEMENTARY, 2)
    assert done["a"].tolist() == [small, other]
    assert done["b"].tolist() == [2, 0]
    assert done["c"].tolist() == [other, other]
