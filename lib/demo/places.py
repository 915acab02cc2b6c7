"""The demo's places: cities (시군구) of 17 neighbourhoods each, and their 25 partner agencies.

City 0 is always 한빛시, written by hand so that the dashboard tells a story: 중앙동 and 푸른읍
raise far more than the others, 새솔동 and 은하면 leave many referrals waiting, the 읍·면 run
weekly outreach rounds (달행이-like). Larger scales add generated cities with random profiles.

Where the cities lie: the 17 real 2-digit 시·도 codes, with made-up names (`PROVINCES`). The
first 15 cities are 한빛도 (44), 한빛시 (44200) first: the province scale is exactly them, one
province. The nation scale's 206 cities fill the other 16 provinces in code order, roughly in
their real shares (세종 has one district, 경기 the most). A city's 5-digit code is its
province's 2 digits and 110, 120, … (한빛시 keeps 200).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

NEIGHBOURHOODS_PER_CITY = 17

# (시·도 code, made-up name, cities at the nation scale), in the order cities are numbered.
PROVINCES: tuple[tuple[str, str, int], ...] = (
    ("44", "한빛도", 15),  # first: the province scale (15 cities) is this one province
    ("11", "한울특별시", 20),
    ("26", "물결광역시", 14),
    ("27", "솔뫼광역시", 8),
    ("28", "너울광역시", 10),
    ("29", "햇살광역시", 5),
    ("30", "가온광역시", 5),
    ("31", "바람광역시", 5),
    ("36", "미리내특별자치시", 1),
    ("41", "한들도", 26),
    ("43", "솔빛도", 11),
    ("46", "다솜도", 19),
    ("47", "아라도", 19),
    ("48", "푸름도", 16),
    ("50", "하늬특별자치도", 2),
    ("51", "새봄특별자치도", 16),
    ("52", "여울특별자치도", 14),
)
PROVINCE_NAMES: dict[str, str] = {code: name for code, name, _ in PROVINCES}
MAX_CITIES = sum(count for _, _, count in PROVINCES)  # 206: the nation scale
_HANBIT_PREFIX = "44200"


@dataclass(frozen=True)
class Profile:
    """How a neighbourhood behaves in the generated data (factors around 1.0)."""

    case_rate: float = 1.0  # households identified, relative to the city's norm
    donations: float = 1.0  # donation strength of its council
    slowness: float = 1.0  # how slowly agencies answer its referrals
    late_plans: float = 0.12  # share of plans written after the 30-day limit
    outreach: str = "monthly"  # weekly | monthly | none


@dataclass(frozen=True)
class Place:
    """A neighbourhood (읍면동) with its profile."""

    code: str
    name: str
    kind: str
    households: int
    population: int
    profile: Profile


@dataclass(frozen=True)
class AgencyInfo:
    """A partner agency as the contract's `agencies` sheet describes it."""

    code: str
    name: str
    sector: str
    kind: str
    neighbourhood_code: str | None


@dataclass(frozen=True)
class City:
    """A city (시군구): its neighbourhoods, agencies and who serves which neighbourhood."""

    index: int
    prefix: str  # the first five digits of its 행정동 codes
    name: str
    province_name: str  # the name of its 시·도 (the prefix's first two digits)
    short: str  # the name without 시/군, for agency and programme names
    places: tuple[Place, ...]
    agencies: tuple[AgencyInfo, ...]
    # Agency codes by role ("hope", "hubs", "senior", …) and, per neighbourhood, its
    # community welfare centre (hub) and, when it is in the network, its own 행정복지센터.
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hub_of: dict[str, str] = field(default_factory=dict)
    centre_of: dict[str, str] = field(default_factory=dict)


# 한빛시 by hand: (name, kind, households, profile).
_HANBIT = (
    ("중앙동", "동", 14_800, Profile(donations=2.3)),
    ("한빛1동", "동", 21_500, Profile(case_rate=1.25)),
    ("한빛2동", "동", 18_200, Profile()),
    ("새솔동", "동", 24_600, Profile(slowness=3.2, late_plans=0.35)),
    ("누리동", "동", 16_300, Profile(donations=1.3)),
    ("가람동", "동", 11_900, Profile(case_rate=0.9)),
    ("도담동", "동", 9_400, Profile(donations=0.8)),
    ("온빛동", "동", 7_800, Profile(outreach="none")),
    ("미르동", "동", 12_700, Profile(late_plans=0.22)),
    ("푸른읍", "읍", 13_600, Profile(donations=2.6, outreach="weekly")),
    ("솔내읍", "읍", 8_900, Profile(outreach="weekly")),
    ("달빛면", "면", 2_300, Profile(case_rate=1.2, outreach="weekly")),
    ("은하면", "면", 1_800, Profile(slowness=2.6, outreach="weekly")),
    ("별내면", "면", 3_100, Profile(outreach="weekly")),
    ("금강면", "면", 2_700, Profile(donations=0.7, outreach="none")),
    ("청솔면", "면", 1_500, Profile(donations=0.6)),
    ("하늘면", "면", 4_200, Profile(outreach="weekly")),
)
_HANBIT_HUBS = ("한빛1동", "새솔동", "누리동", "가람동", "푸른읍")
_HANBIT_CENTRES = ("중앙동", "새솔동", "푸른읍", "은하면")

# Agencies after the 4 행정복지센터 and 5 종합사회복지관: (role, name pattern, sector, kind,
# where). `{n}` is the city's name, `{s}` its short name, `{w}` the neighbourhood it is in; `where` is a neighbourhood index into the city's
# dong-first list, or None for a city-wide office.
_OTHER_AGENCIES = (
    ("selfsuff", "{s}지역자활센터", "민간", "지역자활센터", 2),
    ("senior", "{n}노인복지관", "민간", "노인복지관", 6),
    ("senior", "{s}남부노인복지관", "민간", "노인복지관", 9),
    ("disability", "{n}장애인복지관", "민간", "장애인복지관", 8),
    ("mental", "{n}정신건강복지센터", "공공", "정신건강복지센터", 0),
    ("health", "{n}보건소", "공공", "보건소", 0),
    ("health", "{w} 보건지소", "공공", "보건소", 10),
    ("other", "{n}가족센터", "민간", "기타", 2),
    ("other", "{s}시니어클럽", "민간", "기타", 7),
    ("other", "{s}지역아동센터협의회", "민간", "기타", None),
    ("other", "{n}자원봉사센터", "민간", "기타", 0),
    ("food", "{s}푸드뱅크", "민간", "기타", 5),
    ("other", "{n}치매안심센터", "공공", "기타", 0),
    ("other", "{n}청소년상담복지센터", "공공", "기타", None),
    ("other", "{n}사회복지협의회", "민간", "기타", None),
)

# Generated names: fictional two-syllable city names and neighbourhood stems.
_CITY_FIRST = "새푸가다누도보소아은하해미초청금달별솔봄온단나라마바사자차타"
_CITY_SECOND = "빛솔내람온들담뜰결울슬터"
_STEMS = (
    "중앙 신흥 문화 평화 행복 희망 대원 신원 동산 서부 남부 북부 송정 매화 연꽃 솔빛 은행 대추 "
    "청운 백운 금성 상록 효자 장미 소망 새빛 물빛 한솔 다솜 늘봄 꽃뫼 버들 느티 구름 여울 바람 "
    "햇살 이슬 노을 가온 샘골 돌샘 너른 큰골 윗말 갈매 새터 모래 들꽃 산들"
).split()
# First digits of the 행정동 code inside a city, by kind (e.g. 44200 250 00 for an 읍).
_KIND_BASE = {"읍": 250, "면": 310, "동": 510}
_KIND_STEP = {"읍": 3, "면": 10, "동": 10}


def province_of(index: int) -> tuple[str, str, int]:
    """(시·도 code, its name, the city's rank in it from 0) of the index-th city."""
    if index < 0:
        raise ValueError(f"no demo city {index}")
    first = 0
    for code, name, count in PROVINCES:
        if index < first + count:
            return code, name, index - first
        first += count
    raise ValueError(f"at most {MAX_CITIES} demo cities")


def city_prefix(index: int) -> str:
    """The five-digit 시도+시군구 code of the index-th city (한빛시: 44200): its province's
    two digits, then 110, 120, … by its rank there (200 is 한빛시's)."""
    if index == 0:
        return _HANBIT_PREFIX
    code, _, rank = province_of(index)
    if code != _HANBIT_PREFIX[:2]:
        return f"{code}{110 + 10 * rank:03d}"
    # 한빛도: 한빛시 is rank 0 with 200; the others take 110 … 190, then 210 ….
    number = 110 + 10 * (rank - 1)
    return f"{code}{number + 10 if number >= 200 else number:03d}"


def city_names(count: int, seed: int) -> list[str]:
    """Names of `count` cities: 한빛시 first, then distinct generated 시 and 군 names."""
    rng = random.Random(f"itda-demo-names:{seed}")
    stems = [a + b for a in _CITY_FIRST for b in _CITY_SECOND]
    rng.shuffle(stems)
    if count - 1 > len(stems):
        raise ValueError(f"at most {len(stems) + 1} demo cities")
    return ["한빛시"] + [s + ("군" if rng.random() < 0.3 else "시") for s in stems[: count - 1]]


def make_city(index: int, name: str, seed: int) -> City:
    """The index-th city: 한빛시 by hand for index 0, otherwise generated from the seed."""
    rng = random.Random(f"itda-demo-city:{seed}:{index}")
    prefix = city_prefix(index)
    if index == 0:
        rows = list(_HANBIT)
    else:
        rows = _generated_neighbourhoods(rng)
    places = _places(rng, prefix, rows)
    short = name[:-1]
    if index == 0:
        by_name = {p.name: p for p in places}
        hubs = [by_name[n] for n in _HANBIT_HUBS]
        centres = [by_name[n] for n in _HANBIT_CENTRES]
    else:
        urban = sorted((p for p in places if p.kind != "면"), key=lambda p: -p.households)
        hubs = sorted(urban[:5], key=lambda p: p.code)
        centres = [urban[0], urban[-1], *[p for p in places if p.kind == "면"][:2]]
    return _with_agencies(index, prefix, name, short, places, hubs, centres)


def _generated_neighbourhoods(rng: random.Random) -> list[tuple[str, str, int, Profile]]:
    eup = rng.choice((1, 2, 2, 3))
    myeon = rng.randint(3, 8)
    kinds = ["동"] * (NEIGHBOURHOODS_PER_CITY - eup - myeon) + ["읍"] * eup + ["면"] * myeon
    stems = rng.sample(_STEMS, len(kinds))
    rows = []
    for kind, stem in zip(kinds, stems, strict=True):
        households = {
            "동": rng.randint(6_000, 25_000),
            "읍": rng.randint(7_000, 18_000),
            "면": rng.randint(1_500, 5_000),
        }[kind]
        profile = Profile(
            case_rate=rng.uniform(0.8, 1.25),
            donations=min(3.0, max(0.4, rng.lognormvariate(0.0, 0.45))),
            slowness=rng.uniform(2.2, 3.2) if rng.random() < 0.15 else 1.0,
            late_plans=rng.uniform(0.25, 0.4) if rng.random() < 0.15 else rng.uniform(0.06, 0.2),
            outreach=_outreach(rng, kind),
        )
        rows.append((stem + kind, kind, households, profile))
    return rows


def _outreach(rng: random.Random, kind: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return "none"
    return "weekly" if kind != "동" and roll < 0.6 else "monthly"


def _places(
    rng: random.Random, prefix: str, rows: list[tuple[str, str, int, Profile]]
) -> tuple[Place, ...]:
    seen = {"읍": 0, "면": 0, "동": 0}
    places = []
    for name, kind, households, profile in rows:
        number = _KIND_BASE[kind] + _KIND_STEP[kind] * seen[kind]
        seen[kind] += 1
        per_household = rng.uniform(1.9, 2.2) if kind == "면" else rng.uniform(2.1, 2.4)
        places.append(
            Place(
                code=f"{prefix}{number:03d}00",
                name=name,
                kind=kind,
                households=households,
                population=round(households * per_household),
                profile=profile,
            )
        )
    return tuple(sorted(places, key=lambda p: p.code))


def _stem(place: Place) -> str:
    """The name without its kind and number: 한빛1동 -> 한빛."""
    return place.name[:-1].rstrip("0123456789")


def _with_agencies(
    index: int,
    prefix: str,
    name: str,
    short: str,
    places: tuple[Place, ...],
    hubs: list[Place],
    centres: list[Place],
) -> City:
    dong_first = sorted(places, key=lambda p: (p.kind != "동", p.code))
    rows: list[tuple[str, str, str, str, str | None]] = [
        ("hope", f"{name} 희망복지지원단", "공공", "희망복지지원단", dong_first[0].code)
    ]
    rows += [("centre", f"{p.name} 행정복지센터", "공공", "행정복지센터", p.code) for p in centres]
    rows += [("hubs", f"{_stem(p)}종합사회복지관", "민간", "종합사회복지관", p.code) for p in hubs]
    for role, pattern, sector, kind, where in _OTHER_AGENCIES:
        place = None if where is None else dong_first[where % len(dong_first)]
        label = pattern.format(n=name, s=short, w=place.name if place else "")
        rows.append((role, label, sector, kind, place.code if place else None))

    agencies, roles = [], {}
    for number, (role, agency_name, sector, kind, located) in enumerate(rows, start=1):
        code = f"{prefix}A{number:02d}"
        agencies.append(AgencyInfo(code, agency_name, sector, kind, located))
        roles.setdefault(role, []).append(code)
    centre_codes = dict(zip((p.code for p in centres), roles["centre"], strict=True))
    hub_codes = roles["hubs"]
    # Each neighbourhood is served by the hub in it, else by the hub nearest in code order.
    hub_at = dict(zip((p.code for p in hubs), hub_codes, strict=True))
    hub_of = {
        p.code: hub_at.get(p.code, hub_codes[i * len(hub_codes) // len(places)])
        for i, p in enumerate(places)
    }
    return City(
        index=index,
        prefix=prefix,
        name=name,
        province_name=province_of(index)[1],
        short=short,
        places=places,
        agencies=tuple(agencies),
        roles={role: tuple(codes) for role, codes in roles.items()},
        hub_of=hub_of,
        centre_of=centre_codes,
    )
