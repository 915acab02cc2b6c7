"""The contract's rules between columns of one row, per sheet.

A rule sees the row's parsed values `v` (None = empty), the set `bad` of columns whose cell
could not be parsed (their rules are skipped rather than reported twice) and `head`, which
names another column as the user wrote it. It yields (column, reason code, params).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lib.metric_defs import BY_KEY, TARGET_METRIC_KEYS

Finding = tuple[str, str, dict[str, str]]
Rule = Callable[[dict[str, Any], set[str], Callable[[str], str]], Iterator[Finding]]

# status -> (responded_on required, closed_on required); the other way round they must be empty.
REFERRAL_DATES: dict[str, tuple[bool, bool]] = {
    "의뢰": (False, False),
    "수락": (True, False),
    "불수락": (True, False),
    "연계완료": (True, True),
    "연계실패": (True, True),
    "회수": (False, True),
}
REASON_REQUIRED = ("불수락", "연계실패")


def _not_before(v, later: str, earlier: str, head) -> Iterator[Finding]:
    if v[later] is not None and v[earlier] is not None and v[later] < v[earlier]:
        yield later, "date_before", {"other": head(earlier), "other_value": str(v[earlier])}


def _only_with(v, bad, value: str, date: str, head) -> Iterator[Finding]:
    """`value` is required when `date` is given, and not allowed without it."""
    if bad & {value, date}:
        return
    if v[date] is not None and v[value] is None:
        yield value, "required_with", {"other": head(date)}
    if v[date] is None and v[value] is not None:
        yield value, "needs_other", {"other": head(date)}


def case_rules(v, bad, head) -> Iterator[Finding]:
    yield from _not_before(v, "opened_on", "discovered_on", head)
    if v["plan_on"] is not None and "opened_on" not in bad:
        if v["opened_on"] is None:
            yield "plan_on", "needs_other", {"other": head("opened_on")}
        else:
            yield from _not_before(v, "plan_on", "opened_on", head)
    if v["closed_on"] is not None and "opened_on" not in bad:
        # A case closed without ever being opened closes after it was discovered.
        yield from _not_before(
            v, "closed_on", "opened_on" if v["opened_on"] is not None else "discovered_on", head
        )
    yield from _only_with(v, bad, "close_reason", "closed_on", head)


def referral_rules(v, bad, head) -> Iterator[Finding]:
    if v["from_agency_code"] is not None and v["from_agency_code"] == v["to_agency_code"]:
        yield "to_agency_code", "same_agency", {}
    status = v["status"]
    if status is None:
        return  # empty or unknown: already reported, and the table below needs it
    allowed = []
    for column, required in zip(("responded_on", "closed_on"), REFERRAL_DATES[status], strict=True):
        if column in bad:
            continue
        if required and v[column] is None:
            yield column, "status_requires", {"status": status}
        elif not required and v[column] is not None:
            yield column, "status_forbids", {"status": status}
        else:
            allowed.append(column)
    if status in REASON_REQUIRED and v["reason"] is None and "reason" not in bad:
        yield "reason", "status_requires", {"status": status}
    if "responded_on" in allowed:
        yield from _not_before(v, "responded_on", "requested_on", head)
    if "closed_on" in allowed and v["closed_on"] is not None:
        earlier = "requested_on" if v["responded_on"] is None else "responded_on"
        if earlier not in bad:
            yield from _not_before(v, "closed_on", earlier, head)


def outreach_rules(v, bad, head) -> Iterator[Finding]:
    visited, found = v["households_visited"], v["households_found"]
    if visited is not None and found is not None and found > visited:
        yield (
            "households_found",
            "exceeds",
            {"other": head("households_visited"), "other_value": str(visited)},
        )


def self_sufficiency_rules(v, bad, head) -> Iterator[Finding]:
    yield from _not_before(v, "ended_on", "started_on", head)
    yield from _only_with(v, bad, "outcome", "ended_on", head)


def target_rules(v, bad, head) -> Iterator[Finding]:
    if v["metric"] is not None and v["metric"] not in TARGET_METRIC_KEYS:
        allowed = ", ".join(f"{BY_KEY[k].label('ko')} ({k})" for k in TARGET_METRIC_KEYS)
        yield "metric", "bad_metric", {"allowed": allowed}


ROW_RULES: dict[str, Rule] = {
    "cases": case_rules,
    "referrals": referral_rules,
    "outreach": outreach_rules,
    "self_sufficiency": self_sufficiency_rules,
    "targets": target_rules,
}
