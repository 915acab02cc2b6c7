"""Demo cases and what happens to them: services delivered and referrals between agencies.

Dates are day ordinals (`date.toordinal()`) while generating; rows carry `datetime.date`.
Every row satisfies the import contract's rules: opened ≥ discovered, plan ≥ opened,
closed ≥ opened (or ≥ discovered when never opened) with a reason iff closed, services on
or after discovery, referral statuses that agree with their dates, and no date after as-of.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from lib.demo.places import City, Place
from lib.demo.rand import Weighted, log_uniform, round_to, skewed_days

CASE_COLUMNS = (
    "case_id",
    "neighbourhood_code",
    "discovered_on",
    "channel",
    "risk_level",
    "household_type",
    "isolated",
    "lead_agency_code",
    "opened_on",
    "plan_on",
    "closed_on",
    "close_reason",
)
SERVICE_COLUMNS = ("service_id", "case_id", "agency_code", "provided_on", "category", "amount_krw")
REFERRAL_COLUMNS = (
    "referral_id",
    "case_id",
    "from_agency_code",
    "to_agency_code",
    "requested_on",
    "status",
    "responded_on",
    "closed_on",
    "reason",
)

_CHANNEL = {
    "사각지대발굴시스템": 34,
    "이웃신고": 15,
    "행복키움추진단": 14,
    "찾아가는방문": 10,
    "기관의뢰": 11,
    "본인신청": 12,
    "기타": 4,
}
CHANNELS = Weighted(_CHANNEL)
CHANNELS_WITH_OUTREACH = Weighted({**_CHANNEL, "찾아가는방문": 24})
# Share of identified households taken into case management, by channel and risk: the
# big-data system flags many who only need a benefit, agencies refer those who need more.
_OPEN_BY_CHANNEL = {
    "사각지대발굴시스템": 0.1,
    "이웃신고": 0.22,
    "행복키움추진단": 0.24,
    "찾아가는방문": 0.22,
    "기관의뢰": 0.4,
    "본인신청": 0.28,
    "기타": 0.15,
}
_OPEN_BY_RISK = {"일반": 0.6, "위기": 1.3, "고위험": 2.4}
RISKS = Weighted({"일반": 52, "위기": 34, "고위험": 14})
HOUSEHOLD_TYPES = Weighted(
    {
        "독거노인": 30,
        "노인부부": 10,
        "한부모": 11,
        "조손": 3,
        "1인청장년": 21,
        "장애인": 12,
        "다문화": 5,
        "기타": 8,
    }
)
_ISOLATED_TYPES = ("독거노인", "1인청장년")
CLOSE_REASONS = Weighted(
    {"목표달성": 58, "타기관이관": 11, "이사": 8, "사망": 5, "거부": 10, "기타": 8}
)
SCREEN_OUT_REASONS = Weighted({"타기관이관": 30, "거부": 30, "기타": 25, "이사": 10, "목표달성": 5})

# Services: what a household of each type needs most, and who provides it.
_CATEGORY_BASE = {
    "생계": 24,
    "의료": 14,
    "주거": 9,
    "돌봄": 14,
    "정서지원": 14,
    "일자리": 6,
    "교육": 6,
    "기타": 5,
}
_CATEGORY_BOOST = {
    "독거노인": {"돌봄": 18, "의료": 8},
    "노인부부": {"돌봄": 12, "의료": 10},
    "한부모": {"교육": 14, "생계": 8},
    "조손": {"교육": 16, "돌봄": 6},
    "1인청장년": {"일자리": 18, "정서지원": 10},
    "장애인": {"돌봄": 14, "의료": 8},
    "다문화": {"교육": 12, "기타": 6},
    "기타": {},
}
CATEGORIES = {
    household: Weighted({c: w + boost.get(c, 0) for c, w in _CATEGORY_BASE.items()})
    for household, boost in _CATEGORY_BOOST.items()
}
_PROVIDERS = {
    "생계": {"hub": 3, "hope": 2, "centre": 2, "food": 2},
    "의료": {"health": 3, "mental": 1, "hope": 1},
    "주거": {"hub": 2, "hope": 2, "other": 1},
    "돌봄": {"senior": 3, "hub": 2, "disability": 1},
    "정서지원": {"mental": 3, "hub": 2, "other": 1},
    "일자리": {"selfsuff": 4, "other": 1},
    "교육": {"hub": 2, "other": 2},
    "기타": {"other": 2, "hub": 1},
}
PROVIDER_ROLES = {category: Weighted(roles) for category, roles in _PROVIDERS.items()}
# (share of services with an amount, low, high) in won.
_AMOUNTS = {
    "생계": (0.6, 100_000, 1_500_000),
    "의료": (0.4, 50_000, 3_000_000),
    "주거": (0.5, 300_000, 5_000_000),
}

REFERRALS_PER_CASE = Weighted({0: 30, 1: 40, 2: 20, 3: 10})
DECLINE_REASONS = Weighted(
    {"대상아님": 40, "정원초과": 35, "본인거부": 10, "연락불가": 5, "기타": 10}
)
FAIL_REASONS = Weighted({"연락불가": 40, "본인거부": 30, "정원초과": 15, "기타": 15})
# Agencies that answer slowly or decline often, by role (capacity-bound services).
_ROLE_SLOWNESS = {"mental": 1.8, "senior": 1.3, "disability": 1.4, "hope": 0.8}
_ROLE_DECLINES = {"senior": 0.25, "mental": 0.22, "selfsuff": 0.2}


@dataclass(frozen=True)
class CaseFacts:
    """What the donation generator needs to know about a case (dates as ordinals)."""

    case_id: str
    discovered: int
    opened: int | None
    closed: int | None
    risk: str
    household: str
    lead: str | None


@dataclass
class CaseRows:
    """The rows of one neighbourhood's cases, services and referrals, and the cases' facts."""

    cases: list[tuple]
    services: list[tuple]
    referrals: list[tuple]
    facts: list[CaseFacts]


def identified_per_year(place: Place) -> float:
    """Households the neighbourhood identifies in a year (≈ 110 for 10,000 households)."""
    return (30 + 0.0075 * place.households) * place.profile.case_rate


def generate_cases(rng: random.Random, city: City, place: Place, start: int, end: int) -> CaseRows:
    """Cases of one neighbourhood discovered between the ordinals start and end, and their
    services and referrals up to `end`."""
    days = end - start + 1
    count = round(identified_per_year(place) * days / 365.25 * rng.uniform(0.95, 1.05))
    discovered = sorted(rng.randint(start, end) for _ in range(count))
    out = CaseRows([], [], [], [])
    stem = place.code[:8]
    counters = {"service": 0, "referral": 0}
    channels = CHANNELS_WITH_OUTREACH if place.profile.outreach == "weekly" else CHANNELS
    for number, day in enumerate(discovered, start=1):
        facts = _case(rng, city, place, f"C{stem}-{number:05d}", day, end, channels, out)
        out.facts.append(facts)
        _services(rng, city, place, facts, end, out, counters)
        _referrals(rng, city, place, facts, end, out, counters)
    return out


def _case(
    rng: random.Random,
    city: City,
    place: Place,
    case_id: str,
    discovered: int,
    end: int,
    channels: Weighted[str],
    out: CaseRows,
) -> CaseFacts:
    channel = channels.pick(rng)
    risk = RISKS.pick(rng)
    household = HOUSEHOLD_TYPES.pick(rng)
    isolated = rng.random() < (0.45 if household in _ISOLATED_TYPES else 0.12)
    lead = opened = plan = closed = reason = None
    if rng.random() < min(0.9, _OPEN_BY_CHANNEL[channel] * _OPEN_BY_RISK[risk]):
        candidate = discovered + skewed_days(rng, 9, 0.6, 1, 60)
        if candidate <= end:  # otherwise the intake is still ahead: not opened yet
            opened = candidate
    if opened is not None:
        lead = _lead_agency(rng, city, place, risk)
        plan = _plan_day(rng, place, opened, end)
        duration = skewed_days(rng, 230 if risk == "고위험" else 170, 0.55, 30, 900)
        candidate = max(opened + duration, (plan or 0) + rng.randint(10, 60))
        if candidate <= end:
            closed = candidate
            reason = CLOSE_REASONS.pick(rng)
            if reason == "사망" and household not in ("독거노인", "노인부부"):
                reason = "목표달성"  # deaths are mostly among older households
    elif rng.random() < 0.35:  # screened out: closed without ever being opened
        candidate = discovered + rng.randint(3, 60)
        if candidate <= end:
            closed, reason = candidate, SCREEN_OUT_REASONS.pick(rng)
            lead = city.centre_of.get(place.code) if rng.random() < 0.3 else None
    out.cases.append(
        (
            case_id,
            place.code,
            _date(discovered),
            channel,
            risk,
            household,
            isolated,
            lead,
            _date(opened),
            _date(plan),
            _date(closed),
            reason,
        )
    )
    return CaseFacts(case_id, discovered, opened, closed, risk, household, lead)


def _lead_agency(rng: random.Random, city: City, place: Place, risk: str) -> str:
    if risk == "고위험" and rng.random() < 0.6:
        return city.roles["hope"][0]  # the 희망복지지원단 takes most high-risk cases
    centre = city.centre_of.get(place.code)
    if centre is not None and rng.random() < 0.55:
        return centre
    return city.hub_of[place.code]


def _plan_day(rng: random.Random, place: Place, opened: int, end: int) -> int | None:
    roll = rng.random()
    if roll < 0.04:
        return None  # never planned
    if roll < 0.04 + place.profile.late_plans:
        candidate = opened + rng.randint(31, 80)
    else:
        candidate = opened + skewed_days(rng, 18, 0.35, 5, 30)
    return candidate if candidate <= end else None


def _services(
    rng: random.Random,
    city: City,
    place: Place,
    case: CaseFacts,
    end: int,
    out: CaseRows,
    counters: dict[str, int],
) -> None:
    if case.opened is not None:
        first, last = case.opened, case.closed or end
        # ≈ 8 services over a managed household's time; fewer for cases opened lately.
        count = max(1, round(9 * rng.uniform(0.4, 1.6) * min(1.0, (last - first + 1) / 200)))
    elif rng.random() < 0.12:  # a one-off emergency service for an unopened household
        first = case.discovered
        last = min(case.closed or end, first + 20, end)
        count = 1
    else:
        return
    household = case.household
    categories = CATEGORIES[household]
    for day in sorted(rng.randint(first, last) for _ in range(count)):
        category = categories.pick(rng)
        agency = _provider(rng, city, place, PROVIDER_ROLES[category].pick(rng), household)
        amount = None
        share, low, high = _AMOUNTS.get(category, (0.1, 30_000, 300_000))
        if rng.random() < share:
            amount = round_to(log_uniform(rng, low, high), 10_000)
        counters["service"] += 1
        service_id = f"S{place.code[:8]}-{counters['service']:06d}"
        out.services.append((service_id, case.case_id, agency, _date(day), category, amount))


def _provider(rng: random.Random, city: City, place: Place, role: str, household: str) -> str:
    if role == "centre":
        centre = city.centre_of.get(place.code)
        return centre if centre is not None else city.hub_of[place.code]
    if role == "hub":
        return city.hub_of[place.code]
    if role == "senior" and household == "장애인":
        role = "disability"
    return rng.choice(city.roles[role])


def _referrals(
    rng: random.Random,
    city: City,
    place: Place,
    case: CaseFacts,
    end: int,
    out: CaseRows,
    counters: dict[str, int],
) -> None:
    if case.opened is not None:
        count = REFERRALS_PER_CASE.pick(rng)
        first, last = case.opened, case.closed or end
    elif rng.random() < 0.08:
        count, first, last = 1, case.discovered, case.closed or end
    else:
        return
    household = case.household
    sender = case.lead or city.centre_of.get(place.code) or city.hub_of[place.code]
    hope = city.roles["hope"][0]
    for day in sorted(rng.randint(first, last) for _ in range(count)):
        role = PROVIDER_ROLES[CATEGORIES[household].pick(rng)].pick(rng)
        receiver = _provider(rng, city, place, role, household)
        if receiver == sender:  # an agency never refers to itself
            receiver = hope if sender != hope else city.hub_of[place.code]
        counters["referral"] += 1
        referral_id = f"R{place.code[:8]}-{counters['referral']:06d}"
        status, responded, closed, reason = _referral_outcome(rng, place, role, day, end)
        out.referrals.append(
            (
                referral_id,
                case.case_id,
                sender,
                receiver,
                _date(day),
                status,
                _date(responded),
                _date(closed),
                reason,
            )
        )


def _referral_outcome(
    rng: random.Random, place: Place, role: str, requested: int, end: int
) -> tuple[str, int | None, int | None, str | None]:
    """(status, responded, closed, reason) of a referral as it stands on `end`."""
    slowness = place.profile.slowness * _ROLE_SLOWNESS.get(role, 1.0)
    if rng.random() < 0.04:  # the sender withdraws it
        withdrawn = requested + rng.randint(2, 40)
        return ("회수", None, withdrawn, None) if withdrawn <= end else ("의뢰", None, None, None)
    if rng.random() < 0.01 * slowness**2:  # forgotten: never answered
        if end - requested > 150:  # old ones were withdrawn by the sender eventually
            return "회수", None, requested + rng.randint(30, 120), None
        return "의뢰", None, None, None
    responded = requested + skewed_days(rng, 3.8 * slowness, 0.85, 0, 120)
    if responded > end:
        return "의뢰", None, None, None
    if rng.random() < _ROLE_DECLINES.get(role, 0.12):
        return "불수락", responded, None, DECLINE_REASONS.pick(rng)
    finished = responded + skewed_days(rng, 40, 0.6, 7, 240)
    if finished > end:
        return "수락", responded, None, None
    if rng.random() < 0.85:
        return "연계완료", responded, finished, None
    return "연계실패", responded, finished, FAIL_REASONS.pick(rng)


def _date(ordinal: int | None) -> dt.date | None:
    """The date of a day ordinal; None stays None."""
    return None if ordinal is None else dt.date.fromordinal(ordinal)
