"""Demo donations and their disbursement, outreach rounds and self-sufficiency participants.

Donations peak before 설, 추석 and at the year end; councils give a few million won a year
to 10–30 households, with holiday support (명절지원) before the holidays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from lib.demo.cases import CaseFacts
from lib.demo.dates import chuseok, seollal
from lib.demo.places import City, Place
from lib.demo.rand import Weighted, log_uniform, round_to, skewed_days

DONATION_COLUMNS = (
    "donation_id",
    "neighbourhood_code",
    "received_on",
    "donor_type",
    "donor_id",
    "form",
    "amount_krw",
)
DISBURSEMENT_COLUMNS = ("disbursement_id", "case_id", "paid_on", "purpose", "amount_krw")
OUTREACH_COLUMNS = (
    "visit_id",
    "neighbourhood_code",
    "visited_on",
    "households_visited",
    "households_found",
)
PARTICIPANT_COLUMNS = (
    "participant_id",
    "neighbourhood_code",
    "programme",
    "programme_kind",
    "started_on",
    "ended_on",
    "outcome",
)

NEIGHBOURHOOD_DONORS = Weighted({"개인": 62, "단체": 14, "기업": 11, "종교단체": 8, "기타": 5})
CITY_DONORS = Weighted({"개인": 25, "단체": 20, "기업": 40, "종교단체": 15})
ANONYMOUS_DONORS = Weighted({"개인": 85, "단체": 8, "기타": 7})
_IN_KIND_SHARE = {"개인": 0.1, "단체": 0.3, "기업": 0.45, "종교단체": 0.2, "기타": 0.3}
_PERSONAL_AMOUNTS = Weighted(
    {
        10_000: 14,
        20_000: 10,
        30_000: 10,
        50_000: 20,
        100_000: 20,
        200_000: 9,
        300_000: 7,
        500_000: 6,
        1_000_000: 3,
        2_000_000: 1,
    }
)
# (low, high) won of a gift, by donor type; city-wide gifts (year-end campaigns) are larger.
_GIFT_RANGE = {
    "단체": (100_000, 2_000_000),
    "기업": (300_000, 5_000_000),
    "종교단체": (100_000, 3_000_000),
    "기타": (50_000, 1_000_000),
}
_CITY_GIFT_RANGE = {
    "개인": (100_000, 3_000_000),
    "단체": (300_000, 5_000_000),
    "기업": (1_000_000, 30_000_000),
    "종교단체": (300_000, 5_000_000),
    "기타": (100_000, 2_000_000),
}
PURPOSES = Weighted({"생계": 30, "의료": 20, "주거": 12, "공과금": 22, "교육": 10, "기타": 6})
PAYMENTS_PER_HOUSEHOLD = Weighted({1: 60, 2: 30, 3: 10})

PROGRAMME_GROUPS = (
    "세차",
    "반찬나눔",
    "집수리",
    "청소",
    "카페",
    "재활용",
    "간병",
    "농산물가공",
    "택배",
    "봉제",
    "도시락",
    "영농",
    "편의점",
)
SS_OUTCOMES = Weighted({"취업": 30, "창업": 4, "탈수급": 16, "중도포기": 35, "기타": 15})
ENTERPRISE_OUTCOMES = Weighted({"취업": 35, "창업": 15, "탈수급": 20, "중도포기": 20, "기타": 10})
# Participants active on the as-of date in a city of 17 neighbourhoods (Asan: ~120).
SS_ACTIVE_TARGET = 120
_SS_MEDIAN_DAYS = 420


def _holiday_eves(year: int) -> tuple[int, int]:
    return seollal(year).toordinal(), chuseok(year).toordinal()


def _donation_day(rng: random.Random, year: int) -> int:
    """A day of the year, with the year-end campaign and the weeks before 설·추석 peaking."""
    roll = rng.random()
    if roll < 0.34:  # year-end campaign: mostly December
        if rng.random() < 0.78:
            return dt.date(year, 12, rng.randint(1, 31)).toordinal()
        return dt.date(year, 11, rng.randint(15, 30)).toordinal()
    if roll < 0.54:  # the three weeks before 설 or 추석
        eve = _holiday_eves(year)[0 if rng.random() < 0.55 else 1]
        return eve - rng.randint(3, 21)
    first = dt.date(year, 1, 1).toordinal()
    return rng.randint(first, dt.date(year, 12, 31).toordinal())


def _gift(rng: random.Random, donor_type: str, city_wide: bool) -> tuple[str, int]:
    """(form, amount) of one gift: cash rounded to 10,000 won, in-kind to 1,000 won."""
    if city_wide:
        low, high = _CITY_GIFT_RANGE[donor_type]
        amount = log_uniform(rng, low, high)
    elif donor_type == "개인":
        amount = _PERSONAL_AMOUNTS.pick(rng)
    else:
        low, high = _GIFT_RANGE[donor_type]
        amount = log_uniform(rng, low, high)
    if rng.random() < _IN_KIND_SHARE[donor_type]:
        return "현물", max(10_000, round_to(amount * rng.uniform(0.6, 1.2), 1_000))
    return "현금", round_to(amount, 10_000)


def generate_donations(
    rng: random.Random,
    owner: str,
    code: str | None,
    years: Sequence[int],
    start: int,
    end: int,
    per_year: float,
) -> list[tuple]:
    """Donations to one neighbourhood (`code`) or, with code None, to the city-wide fund,
    received between the ordinals start and end. `owner` prefixes ids (unique per owner)."""
    city_wide = code is None
    donor_types = CITY_DONORS if city_wide else NEIGHBOURHOOD_DONORS
    # Regular donors give again and again; a third of gifts come from people without an id.
    pool_size = max(5, round(per_year * 0.45))
    pool = [(f"P{owner}-{k:04d}", donor_types.pick(rng)) for k in range(1, pool_size + 1)]
    days = []
    for year in years:
        for _ in range(round(per_year * rng.uniform(0.9, 1.1))):
            day = _donation_day(rng, year)
            if start <= day <= end:
                days.append(day)
    rows = []
    for number, day in enumerate(sorted(days), start=1):
        if rng.random() < 0.66:
            donor_id, donor_type = pool[min(int(rng.paretovariate(1.2)) - 1, pool_size - 1)]
        else:
            donor_id, donor_type = None, ANONYMOUS_DONORS.pick(rng)
        form, amount = _gift(rng, donor_type, city_wide)
        rows.append(
            (
                f"D{owner}-{number:06d}",
                code,
                dt.date.fromordinal(day),
                donor_type,
                donor_id,
                form,
                amount,
            )
        )
    return rows


def donations_per_year(place: Place) -> float:
    """Donations a neighbourhood's council receives in a year (≈ 60 for 10,000 households)."""
    return 60 * place.profile.donations * (place.households / 10_000) ** 0.3


def generate_disbursements(
    rng: random.Random,
    place: Place,
    cases: Sequence[CaseFacts],
    years: Sequence[int],
    start: int,
    end: int,
) -> list[tuple]:
    """Donated money given to 10–30 of the neighbourhood's households a year."""
    rows: list[tuple] = []
    for year in years:
        first = max(start, dt.date(year, 1, 1).toordinal())
        last = min(end, dt.date(year, 12, 31).toordinal())
        if first > last:
            continue
        # Households known to the centre during the year, opened ones first in line.
        known = [c for c in cases if c.discovered <= last and (c.closed or last) >= first]
        if not known:
            continue
        share = (last - first + 1) / 365
        wanted = round(rng.randint(10, 30) * min(2.0, place.profile.donations**0.5) * share)
        managed = [c for c in known if c.opened is not None]
        chosen = rng.sample(managed, min(len(managed), wanted * 2 // 3))
        others = [c for c in known if c.opened is None]
        chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
        eves = [e for e in _holiday_eves(year) if first <= e <= last]
        for case in chosen:
            low = max(first, case.discovered)
            high = min(last, case.closed or last)
            for _ in range(PAYMENTS_PER_HOUSEHOLD.pick(rng)):
                rows.append(_disbursement(rng, case, low, high, eves))
    rows.sort(key=lambda r: (r[2], r[1]))
    return [
        (f"G{place.code[:8]}-{n:05d}", case_id, dt.date.fromordinal(day), purpose, amount)
        for n, (_, case_id, day, purpose, amount) in enumerate(rows, start=1)
    ]


def _disbursement(
    rng: random.Random, case: CaseFacts, low: int, high: int, eves: list[int]
) -> tuple:
    if eves and rng.random() < 0.35:  # holiday support in the two weeks before 설 or 추석
        day = rng.choice(eves) - rng.randint(1, 14)
        if low <= day <= high:
            amount = rng.choice((100_000, 150_000, 200_000, 300_000))
            return None, case.case_id, day, "명절지원", amount
    amount = round_to(log_uniform(rng, 50_000, 800_000), 10_000)
    return None, case.case_id, rng.randint(low, high), PURPOSES.pick(rng), amount


def generate_outreach(rng: random.Random, place: Place, start: int, end: int) -> list[tuple]:
    """Outreach rounds: weekly (달행이-like) or monthly, per the neighbourhood's profile."""
    mode = place.profile.outreach
    if mode == "none":
        return []
    days: list[int] = []
    if mode == "weekly":
        weekday = int(place.code[5:8]) % 5  # each neighbourhood keeps its own weekday
        day = start + (weekday - dt.date.fromordinal(start).weekday()) % 7
        while day <= end:
            if rng.random() > 0.08:  # a few weeks are skipped (holidays, weather)
                days.append(day)
            day += 7
    else:
        year, month = dt.date.fromordinal(start).year, dt.date.fromordinal(start).month
        while True:
            day = dt.date(year, month, rng.randint(3, 26)).toordinal()
            if day > end:
                break
            if day >= start:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    rows = []
    for number, day in enumerate(days, start=1):
        visited = rng.randint(8, 30) if mode == "weekly" else rng.randint(20, 80)
        found = sum(rng.random() < 0.07 for _ in range(visited))
        rows.append(
            (
                f"V{place.code[:8]}-{number:04d}",
                place.code,
                dt.date.fromordinal(day),
                visited,
                found,
            )
        )
    return rows


def programmes(city: City) -> list[tuple[str, str]]:
    """(name, kind) of the city's 13 자활사업단 and 3 자활기업."""
    groups = [(f"{city.short}{name}사업단", "자활사업단") for name in PROGRAMME_GROUPS]
    enterprises = [
        (f"(주){city.short}클린", "자활기업"),
        (f"{city.short}집수리협동조합", "자활기업"),
        (f"카페{city.short}", "자활기업"),
    ]
    return groups + enterprises


def generate_participants(rng: random.Random, city: City, start: int, end: int) -> list[tuple]:
    """Self-sufficiency participants of the city's programmes, ≈ 120 active on `end`."""
    names = programmes(city)
    weights = Weighted(
        {i: (1.0 if kind == "자활사업단" else 0.6) for i, (_, kind) in enumerate(names)}
    )
    places = Weighted({p.code: p.households for p in city.places})
    # Little's law: arrivals per day × mean time in the programme ≈ participants active.
    mean_days = _SS_MEDIAN_DAYS * 1.2
    count = round(SS_ACTIVE_TARGET / mean_days * (end - start + 1))
    rows = []
    for number, day in enumerate(sorted(rng.randint(start, end) for _ in range(count)), start=1):
        name, kind = names[weights.pick(rng)]
        ended = day + skewed_days(rng, _SS_MEDIAN_DAYS, 0.6, 30, 1_500)
        outcome = None
        if ended <= end:
            outcome = (ENTERPRISE_OUTCOMES if kind == "자활기업" else SS_OUTCOMES).pick(rng)
        else:
            ended = None
        rows.append(
            (
                f"J{city.prefix}-{number:04d}",
                places.pick(rng),
                name,
                kind,
                dt.date.fromordinal(day),
                None if ended is None else dt.date.fromordinal(ended),
                outcome,
            )
        )
    return rows
