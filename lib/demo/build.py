"""Building the demo data set: generate city by city and write with `lib.bulk.insert_rows`.

The city scale is written in one transaction (the old data disappears only when the new
data is complete). Larger scales stream: each city's rows are generated, written and
committed before the next city is generated, so memory stays bounded by one city; on
PostgreSQL their foreign keys and secondary indexes are dropped for the load and restored
afterwards (`lib.bulk.relaxed_for_load`), which makes the load several times faster.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib import rollup
from lib.bulk import insert_rows, relaxed_for_load
from lib.demo import cases as case_gen
from lib.demo import community
from lib.demo.dates import DEFAULT_AS_OF, window_start
from lib.demo.places import (
    MAX_CITIES,
    NEIGHBOURHOODS_PER_CITY,
    PROVINCE_NAMES,
    City,
    city_names,
    make_city,
)
from lib.errors import UserError
from lib.models import (
    DATA_TABLES,
    Agency,
    Case,
    Disbursement,
    Donation,
    MetricCube,
    Neighbourhood,
    NeighbourhoodBoundary,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
    Target,
)
from lib.queries.reference import set_dataset_info

# scale -> (number of cities of 17 neighbourhoods, the data set's name)
SCALES: dict[str, tuple[int, str]] = {
    "city": (1, "한빛시"),
    "province": (15, PROVINCE_NAMES["44"]),  # 한빛도: 255 neighbourhoods, one 시·도
    "nation": (MAX_CITIES, "전국(가상)"),  # 206 cities in 17 시·도: 3,502 neighbourhoods
}
# Donations with a city-wide fund (no neighbourhood) per city and year.
_CITY_WIDE_DONATIONS_PER_YEAR = 50


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` wrote: rows per table and how long it took."""

    scale: str
    seed: int
    as_of: dt.date
    city_name: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for benchmarks

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class _CityRows:
    """One city's rows, table by table, in the order they must be written."""

    tables: list[tuple[sa.Table, tuple[str, ...], list[tuple]]] = field(default_factory=list)
    donations_by_year: dict[tuple[str | None, int], int] = field(default_factory=dict)

    def add(self, table: sa.Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        self.tables.append((table, columns, rows))

    @property
    def size(self) -> int:
        return sum(len(rows) for _, _, rows in self.tables)


def build_demo(
    engine: Engine,
    scale: str = "city",
    seed: int = 42,
    as_of: dt.date | None = None,
    progress: bool = False,
    warm: bool = True,
) -> DemoSummary:
    """The summary of a fresh deterministic demo data set that replaced all data in `engine`.

    With `warm` (the default), the default period's metrics are then computed into the
    metric cube (`lib.rollup.warm`, phase "rollup"), as an import does.
    """
    if scale not in SCALES:
        raise UserError(
            f"데모 규모는 {', '.join(SCALES)} 중 하나여야 합니다: {scale!r}",
            f"The demo scale must be one of {', '.join(SCALES)}: {scale!r}",
        )
    as_of = as_of or DEFAULT_AS_OF
    started = time.perf_counter()
    city_count, dataset_name = SCALES[scale]
    start, end = window_start(as_of).toordinal(), as_of.toordinal()
    years = list(range(dt.date.fromordinal(start).year, as_of.year + 1))
    names = city_names(city_count, seed)
    counts: Counter[str] = Counter()
    totals: defaultdict[int, int] = defaultdict(int)  # city-wide donations by year
    bar = _progress_bar(city_count * NEIGHBOURHOODS_PER_CITY, progress)

    def generate(index: int) -> _CityRows:
        return _generate_city(make_city(index, names[index], seed), seed, years, start, end)

    def write(conn: sa.Connection, rows: _CityRows) -> None:
        for table, columns, table_rows in rows.tables:
            counts[table.name] += insert_rows(conn, table, table_rows, columns)
        for (_, year), amount in rows.donations_by_year.items():
            totals[year] += amount
        bar.set_postfix(rows=f"{sum(counts.values()):,}", refresh=False)
        bar.update(NEIGHBOURHOODS_PER_CITY)

    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    with bar:
        if city_count == 1:
            with engine.begin() as conn:
                _clear(conn)
                write(conn, generate(0))
                _write_shapes(conn, _city_shapes(make_city(0, names[0], seed), seed), as_of)
                _finish(conn, scale, seed, as_of, dataset_name, years, totals, counts)
            lap("load")
        else:
            with engine.begin() as conn:
                _clear(conn, truncate=True)
            lap("clear")
            with relaxed_for_load(engine, DATA_TABLES):
                lap("relax")
                for index in range(city_count):
                    with engine.begin() as conn:  # one city per transaction bounds memory
                        write(conn, generate(index))
                lap("load")
                bar.set_description("demo: keys and indexes")
            lap("restore")
            with engine.begin() as conn:
                # Every city's map too (≈ 260 bytes a neighbourhood, 2 ms a city).
                shapes = [
                    shape
                    for index in range(city_count)
                    for shape in _city_shapes(make_city(index, names[index], seed), seed)
                ]
                _write_shapes(conn, shapes, as_of)
                _finish(conn, scale, seed, as_of, dataset_name, years, totals, counts)
            lap("finish")
    if warm:
        rollup.warm(engine)
        lap("rollup")
    return DemoSummary(
        scale=scale,
        seed=seed,
        as_of=as_of,
        city_name=dataset_name,
        rows=dict(counts),
        seconds=time.perf_counter() - started,
        phases=phases,
    )


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="읍면동", desc="demo", file=sys.stderr, disable=not enabled)


def _city_shapes(city: City, seed: int) -> list[tuple[str, str]]:
    """(code, GeoJSON text) of the city's generated boundaries."""
    from lib.demo.shapes import demo_boundaries
    from lib.geo import dumps_geometry

    return [(c, dumps_geometry(g)) for c, g in demo_boundaries(city.places, seed, city.index)]


def _write_shapes(conn: sa.Connection, shapes: list[tuple[str, str]], as_of: dt.date) -> None:
    """Every city's generated boundaries, in place of any stored ones."""
    from lib.queries.boundaries import replace_boundaries

    at = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)  # the same rows every build
    replace_boundaries(conn, shapes, at)


def _clear(conn: sa.Connection, truncate: bool = False) -> None:
    """Delete every data table's rows (and the neighbourhoods' shapes and the metric
    values kept from them), children first."""
    tables = (MetricCube.__table__, NeighbourhoodBoundary.__table__, *reversed(DATA_TABLES))
    if truncate and conn.dialect.name == "postgresql":
        # Deleting millions of rows row by row takes minutes; TRUNCATE is instant (but locks
        # the tables, so the city scale that the app builds uses DELETE).
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.execute(sa.text(f"TRUNCATE {names}"))
        return
    for table in tables:
        conn.execute(sa.delete(table))


def _generate_city(city: City, seed: int, years: list[int], start: int, end: int) -> _CityRows:
    """Every row of one city, generated from its own random stream."""
    rng = random.Random(f"itda-demo-data:{seed}:{city.index}")
    out = _CityRows()
    out.add(
        Neighbourhood.__table__,
        ("code", "name", "kind", "households", "population", "province_name", "district_name"),
        [
            (p.code, p.name, p.kind, p.households, p.population, city.province_name, city.name)
            for p in city.places
        ],
    )
    out.add(
        Agency.__table__,
        ("code", "name", "sector", "kind", "neighbourhood_code"),
        [(a.code, a.name, a.sector, a.kind, a.neighbourhood_code) for a in city.agencies],
    )
    cases, services, referrals, disbursements, donations, visits = [], [], [], [], [], []
    for place in city.places:
        generated = case_gen.generate_cases(rng, city, place, start, end)
        cases += generated.cases
        services += generated.services
        referrals += generated.referrals
        disbursements += community.generate_disbursements(
            rng, place, generated.facts, years, start, end
        )
        donations += community.generate_donations(
            rng,
            place.code[:8],
            place.code,
            years,
            start,
            end,
            community.donations_per_year(place),
        )
        visits += community.generate_outreach(rng, place, start, end)
    donations += community.generate_donations(
        rng, f"{city.prefix}W", None, years, start, end, _CITY_WIDE_DONATIONS_PER_YEAR
    )
    out.add(Case.__table__, case_gen.CASE_COLUMNS, cases)
    out.add(Service.__table__, case_gen.SERVICE_COLUMNS, services)
    out.add(Donation.__table__, community.DONATION_COLUMNS, donations)
    out.add(Disbursement.__table__, community.DISBURSEMENT_COLUMNS, disbursements)
    out.add(Referral.__table__, case_gen.REFERRAL_COLUMNS, referrals)
    out.add(OutreachVisit.__table__, community.OUTREACH_COLUMNS, visits)
    out.add(
        SelfSufficiencyParticipant.__table__,
        community.PARTICIPANT_COLUMNS,
        community.generate_participants(rng, city, start, end),
    )
    by_year: defaultdict[tuple[str | None, int], int] = defaultdict(int)
    for row in donations:
        by_year[(row[1], row[2].year)] += row[6]
    out.donations_by_year = dict(by_year)
    out.add(Target.__table__, _TARGET_COLUMNS, _neighbourhood_targets(rng, city, by_year, years))
    return out


_TARGET_COLUMNS = ("year", "neighbourhood_code", "metric", "value")


def _target_value(rng: random.Random, actual: dict[int, int], year: int, last: int) -> float:
    """A yearly donation target as a council would set it: near the year's result for past
    years, a little above last year's result for the current one; 100,000 won steps."""
    if year == last:
        base = actual.get(year - 1, 0) * rng.uniform(1.0, 1.12)
    else:
        base = actual.get(year, 0) * rng.uniform(0.85, 1.15)
    return float(max(1_000_000, round(base / 100_000) * 100_000))


def _neighbourhood_targets(
    rng: random.Random, city: City, by_year: dict, years: list[int]
) -> list[tuple]:
    last = years[-1]
    rows = []
    for place in city.places:
        actual = {y: amount for (code, y), amount in by_year.items() if code == place.code}
        for year in years[-3:]:
            rows.append((year, place.code, "donations_krw", _target_value(rng, actual, year, last)))
    return rows


def _finish(
    conn: sa.Connection,
    scale: str,
    seed: int,
    as_of: dt.date,
    dataset_name: str,
    years: list[int],
    totals: dict[int, int],
    counts: Counter[str],
) -> None:
    """Write the whole data set's yearly targets and the facts about the data set."""
    rng = random.Random(f"itda-demo-targets:{seed}")
    rows = [
        (year, None, "donations_krw", _target_value(rng, totals, year, years[-1]))
        for year in years[-3:]
    ]
    counts[Target.__tablename__] += insert_rows(conn, Target.__table__, rows, _TARGET_COLUMNS)
    set_dataset_info(
        conn,
        city_name=dataset_name,
        is_demo="1",
        seed=str(seed),
        scale=scale,
        generated_at=as_of.isoformat(),
    )
