"""The demo city 한빛시 on SQLite and PostgreSQL: deterministic, valid under the import
contract (checked in SQL), realistic in size, and replaced rather than duplicated."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from lib import enums
from lib.db import make_engine
from lib.demo import DEFAULT_AS_OF, build_demo
from lib.errors import UserError, user_message
from lib.metric_defs import TARGET_METRIC_KEYS
from lib.models import (
    DATA_TABLES,
    Agency,
    Case,
    Disbursement,
    Donation,
    Neighbourhood,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
    Target,
)
from lib.queries.reference import as_of_date, dataset_info

AS_OF = dt.date(2026, 10, 31)
# Three years of data end on the as-of date: 2023-11-01 … 2026-10-31.
FIRST_DAY = dt.date(2023, 11, 1)


def _count(conn: sa.Connection, stmt: sa.Select) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()


def _table_counts(conn: sa.Connection) -> dict[str, int]:
    return {
        t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for t in DATA_TABLES
    }


def _checksum(conn: sa.Connection, table: sa.Table) -> str:
    """A hash of every row of the table in primary-key order."""
    rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


def _fingerprint(conn: sa.Connection) -> dict[str, str]:
    tables = (Case.__table__, Referral.__table__, Donation.__table__, Service.__table__)
    return {t.name: _checksum(conn, t) for t in tables}


def test_same_seed_same_rows_and_a_rebuild_replaces(engine):
    first = build_demo(engine)
    with engine.connect() as conn:
        counts, prints = _table_counts(conn), _fingerprint(conn)
    assert counts == first.rows  # the summary reports what is in the database
    assert first.seconds > 0

    again = build_demo(engine)  # on top of the first: replaces, never duplicates
    with engine.connect() as conn:
        assert _table_counts(conn) == counts
        assert _fingerprint(conn) == prints
    assert again.rows == first.rows

    build_demo(engine, seed=7)
    with engine.connect() as conn:
        other = _fingerprint(conn)
        assert conn.execute(sa.select(sa.func.count()).select_from(Neighbourhood)).scalar() == 17
    assert all(other[name] != prints[name] for name in prints)


def test_rows_do_not_depend_on_the_process(engine, tmp_path):
    """The CLI in another process, with another hash seed, writes the very same rows."""
    build_demo(engine)
    with engine.connect() as conn:
        expected = _fingerprint(conn)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "--database-url", url, "demo", "--seed", "42"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    other = make_engine(url)
    with other.connect() as conn:
        assert _fingerprint(conn) == expected
    other.dispose()


def _orphans(conn: sa.Connection, child: sa.Column, parent: sa.Column) -> int:
    """Rows whose non-empty reference `child` finds no `parent` row."""
    stmt = (
        sa.select(child)
        .select_from(child.table.outerjoin(parent.table, child == parent))
        .where(child.is_not(None), parent.is_(None))
    )
    return _count(conn, stmt)


ENUM_COLUMNS = [
    (Neighbourhood.kind, enums.NEIGHBOURHOOD_KIND),
    (Agency.sector, enums.SECTOR),
    (Agency.kind, enums.AGENCY_KIND),
    (Case.channel, enums.CHANNEL),
    (Case.risk_level, enums.RISK_LEVEL),
    (Case.household_type, enums.HOUSEHOLD_TYPE),
    (Case.close_reason, enums.CLOSE_REASON),
    (Service.category, enums.SERVICE_CATEGORY),
    (Donation.donor_type, enums.DONOR_TYPE),
    (Donation.form, enums.DONATION_FORM),
    (Disbursement.purpose, enums.DISBURSEMENT_PURPOSE),
    (Referral.status, enums.REFERRAL_STATUS),
    (Referral.reason, enums.REFERRAL_REASON),
    (SelfSufficiencyParticipant.programme_kind, enums.PROGRAMME_KIND),
    (SelfSufficiencyParticipant.outcome, enums.SS_OUTCOME),
]


def _contract_violations(conn: sa.Connection) -> dict[str, int]:
    """Rows breaking each rule of shared/spec/import-format.md (all should be 0)."""
    c, r = Case, Referral
    s, v, p = Service, OutreachVisit, SelfSufficiencyParticipant
    checks: dict[str, sa.Select] = {
        "case opened before discovered": sa.select(c.case_id).where(c.opened_on < c.discovered_on),
        "case plan without opened": sa.select(c.case_id).where(
            c.plan_on.is_not(None), c.opened_on.is_(None)
        ),
        "case plan before opened": sa.select(c.case_id).where(c.plan_on < c.opened_on),
        "case closed before opened/discovered": sa.select(c.case_id).where(
            c.closed_on < sa.func.coalesce(c.opened_on, c.discovered_on)
        ),
        "case close_reason iff closed_on": sa.select(c.case_id).where(
            c.closed_on.is_(None) != c.close_reason.is_(None)
        ),
        "service before discovery": sa.select(s.service_id)
        .join(c, c.case_id == s.case_id)
        .where(s.provided_on < c.discovered_on),
        "service amount negative": sa.select(s.service_id).where(s.amount_krw < 0),
        "referral to itself": sa.select(r.referral_id).where(
            r.from_agency_code == r.to_agency_code
        ),
        "referral responded before requested": sa.select(r.referral_id).where(
            r.responded_on < r.requested_on
        ),
        "referral closed before responded/requested": sa.select(r.referral_id).where(
            r.closed_on < sa.func.coalesce(r.responded_on, r.requested_on)
        ),
        "referral reason missing": sa.select(r.referral_id).where(
            r.status.in_(["불수락", "연계실패"]), r.reason.is_(None)
        ),
        "outreach found > visited": sa.select(v.visit_id).where(
            v.households_found > v.households_visited
        ),
        "outreach negative": sa.select(v.visit_id).where(
            sa.or_(v.households_found < 0, v.households_visited < 0)
        ),
        "participant ended before started": sa.select(p.participant_id).where(
            p.ended_on < p.started_on
        ),
        "participant outcome iff ended_on": sa.select(p.participant_id).where(
            p.ended_on.is_(None) != p.outcome.is_(None)
        ),
        "donation amount not positive": sa.select(Donation.donation_id).where(
            Donation.amount_krw <= 0
        ),
        "disbursement amount not positive": sa.select(Disbursement.disbursement_id).where(
            Disbursement.amount_krw <= 0
        ),
        "neighbourhood households negative": sa.select(Neighbourhood.code).where(
            sa.or_(Neighbourhood.households < 0, Neighbourhood.population < 0)
        ),
        "target not allowed or not positive": sa.select(Target.id).where(
            sa.or_(Target.metric.not_in(TARGET_METRIC_KEYS), Target.value <= 0)
        ),
    }
    # The status/date table: which dates each status requires (True) or forbids (False).
    status_dates = {
        "의뢰": (False, False),
        "수락": (True, False),
        "불수락": (True, False),
        "연계완료": (True, True),
        "연계실패": (True, True),
        "회수": (False, True),
    }
    for status, (responded, closed) in status_dates.items():
        wrong = sa.or_(
            r.responded_on.is_(None) if responded else r.responded_on.is_not(None),
            r.closed_on.is_(None) if closed else r.closed_on.is_not(None),
        )
        checks[f"referral {status} dates"] = sa.select(r.referral_id).where(
            r.status == status, wrong
        )
    for column, allowed in ENUM_COLUMNS:
        checks[f"{column} enumeration"] = sa.select(column).where(
            column.is_not(None), column.not_in(list(allowed))
        )
    references = [
        (Agency.neighbourhood_code, Neighbourhood.code),
        (Case.neighbourhood_code, Neighbourhood.code),
        (Case.lead_agency_code, Agency.code),
        (Service.case_id, Case.case_id),
        (Service.agency_code, Agency.code),
        (Donation.neighbourhood_code, Neighbourhood.code),
        (Disbursement.case_id, Case.case_id),
        (Referral.case_id, Case.case_id),
        (Referral.from_agency_code, Agency.code),
        (Referral.to_agency_code, Agency.code),
        (OutreachVisit.neighbourhood_code, Neighbourhood.code),
        (SelfSufficiencyParticipant.neighbourhood_code, Neighbourhood.code),
        (Target.neighbourhood_code, Neighbourhood.code),
    ]
    found = {name: _count(conn, stmt) for name, stmt in checks.items()}
    for child, parent in references:
        found[f"{child} -> {parent}"] = _orphans(conn, child, parent)
    return found


def test_every_contract_rule_holds(engine):
    build_demo(engine)
    with engine.connect() as conn:
        violations = _contract_violations(conn)
        dates_after = _count(
            conn,
            sa.union_all(
                *[
                    sa.select(col.label("d")).where(col > AS_OF)
                    for col in (
                        Case.discovered_on,
                        Case.opened_on,
                        Case.plan_on,
                        Case.closed_on,
                        Service.provided_on,
                        Donation.received_on,
                        Disbursement.paid_on,
                        Referral.requested_on,
                        Referral.responded_on,
                        Referral.closed_on,
                        OutreachVisit.visited_on,
                        SelfSufficiencyParticipant.started_on,
                        SelfSufficiencyParticipant.ended_on,
                    )
                ]
            ),
        )
        assert as_of_date(conn) == AS_OF
    assert {name: n for name, n in violations.items() if n} == {}
    assert len(violations) > 50  # every rule above was checked (19 + 6 + 15 + 13)
    assert dates_after == 0


def test_the_rule_checks_catch_broken_rows(engine):
    """The checks above are not vacuous: two broken rows are found, and nothing else."""
    build_demo(engine)
    with engine.begin() as conn:
        case = conn.execute(
            sa.select(Case.case_id, Case.discovered_on).where(Case.closed_on.is_(None)).limit(1)
        ).one()
        referral = conn.execute(
            sa.select(Referral.referral_id).where(Referral.status == "의뢰").limit(1)
        ).scalar_one()
        conn.execute(
            sa.update(Case).where(Case.case_id == case.case_id).values(close_reason="기타")
        )
        conn.execute(
            sa.update(Referral)
            .where(Referral.referral_id == referral)
            .values(responded_on=AS_OF, to_agency_code=Referral.from_agency_code)
        )
        violations = _contract_violations(conn)
    assert {name: n for name, n in violations.items() if n} == {
        "case close_reason iff closed_on": 1,
        "referral 의뢰 dates": 1,
        "referral to itself": 1,
    }


def _scalar(conn: sa.Connection, stmt) -> int:
    return conn.execute(stmt).scalar_one()


def test_magnitudes_of_the_demo_city(engine):
    build_demo(engine)
    with engine.connect() as conn:
        places = conn.execute(
            sa.select(Neighbourhood.code, Neighbourhood.kind, Neighbourhood.households)
        ).all()
        population = conn.execute(
            sa.select(sa.func.sum(Neighbourhood.population), sa.func.sum(Neighbourhood.households))
        ).one()
        kinds = dict(
            conn.execute(sa.select(Agency.kind, sa.func.count()).group_by(Agency.kind)).all()
        )
        programmes = dict(
            conn.execute(
                sa.select(
                    SelfSufficiencyParticipant.programme_kind,
                    sa.func.count(sa.distinct(SelfSufficiencyParticipant.programme)),
                ).group_by(SelfSufficiencyParticipant.programme_kind)
            ).all()
        )
        ss_active = _scalar(
            conn,
            sa.select(sa.func.count()).where(
                sa.or_(
                    SelfSufficiencyParticipant.ended_on.is_(None),
                    SelfSufficiencyParticipant.ended_on > AS_OF,
                )
            ),
        )
        first_day = _scalar(conn, sa.select(sa.func.min(Case.discovered_on)))
        first_gift = _scalar(conn, sa.select(sa.func.min(Donation.received_on)))
        statuses = set(conn.execute(sa.select(Referral.status).distinct()).scalars())
        waiting = _scalar(
            conn, sa.select(sa.func.count()).where(Referral.status == "의뢰")
        )  # as of the last day, every 의뢰 is pending
        overdue = _scalar(
            conn,
            sa.select(sa.func.count()).where(
                Referral.status == "의뢰", Referral.requested_on < AS_OF - dt.timedelta(days=7)
            ),
        )
        opened_2025 = _scalar(
            conn,
            sa.select(sa.func.count()).where(
                Case.opened_on.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
            ),
        )
        services, managed = (
            _scalar(conn, sa.select(sa.func.count()).select_from(Service)),
            _scalar(conn, sa.select(sa.func.count()).where(Case.opened_on.is_not(None))),
        )
        targets = _scalar(conn, sa.select(sa.func.count()).select_from(Target))

    assert len(places) == 17
    assert all(len(code) == 10 and code.startswith("44200") for code, _, _ in places)
    assert {kind for _, kind, _ in places} == {"읍", "면", "동"}
    assert all(1_500 <= households <= 25_000 for _, _, households in places)
    assert 2.0 <= population[0] / population[1] <= 2.4  # ≈ 2.2 people per household
    assert sum(kinds.values()) == 25
    assert kinds["종합사회복지관"] == 5 and kinds["희망복지지원단"] == 1
    assert programmes == {"자활사업단": 13, "자활기업": 3}
    assert 90 <= ss_active <= 150  # ≈ 120 participants active
    # Data starts ≈ three years before the as-of date.
    assert FIRST_DAY <= first_day <= FIRST_DAY + dt.timedelta(days=14)
    assert FIRST_DAY <= first_gift <= FIRST_DAY + dt.timedelta(days=31)
    assert statuses == set(enums.REFERRAL_STATUS)
    assert waiting > 0 and overdue > 0
    assert 15 * 17 <= opened_2025 <= 40 * 17  # ≈ 18 or more new cases per 읍면동 a year
    assert 5 <= services / managed <= 10  # ≈ 8 services per managed household
    assert targets == 3 * (17 + 1)  # donations_krw for 2024-2026, city and each 읍면동


def test_december_and_holiday_peaks(engine):
    build_demo(engine)
    month = sa.func.extract("month", Donation.received_on)
    with engine.connect() as conn:
        for year in (2024, 2025):
            in_year = Donation.received_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
            total = _scalar(conn, sa.select(sa.func.sum(Donation.amount_krw)).where(in_year))
            december = _scalar(
                conn, sa.select(sa.func.sum(Donation.amount_krw)).where(in_year, month == 12)
            )
            assert december > 2 * total / 12  # well above the year's monthly average
        holiday_months = set(
            conn.execute(
                sa.select(sa.func.extract("month", Disbursement.paid_on))
                .where(Disbursement.purpose == "명절지원")
                .distinct()
            ).scalars()
        )
    # 명절지원 is paid in the two weeks before 설 (Jan/Feb) and 추석 (Sep/Oct) only.
    assert {int(m) for m in holiday_months} <= {1, 2, 9, 10}
    assert holiday_months


def test_the_neighbourhoods_tell_a_story(engine):
    build_demo(engine)
    with engine.connect() as conn:
        raised = conn.execute(
            sa.select(Neighbourhood.name, sa.func.sum(Donation.amount_krw).label("krw"))
            .join(Donation, Donation.neighbourhood_code == Neighbourhood.code)
            .where(Donation.received_on.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
            .group_by(Neighbourhood.name)
            .order_by(sa.desc("krw"))
        ).all()
        overdue = conn.execute(
            sa.select(Neighbourhood.name, sa.func.count().label("n"))
            .select_from(Referral)
            .join(Case, Case.case_id == Referral.case_id)
            .join(Neighbourhood, Neighbourhood.code == Case.neighbourhood_code)
            .where(Referral.status == "의뢰", Referral.requested_on < AS_OF - dt.timedelta(days=7))
            .group_by(Neighbourhood.name)
            .order_by(sa.desc("n"))
        ).all()
        weekly = conn.execute(
            sa.select(OutreachVisit.neighbourhood_code)
            .where(OutreachVisit.visited_on.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
            .group_by(OutreachVisit.neighbourhood_code)
            .having(sa.func.count() >= 40)
        ).all()
    assert {raised[0].name, raised[1].name} == {"중앙동", "푸른읍"}
    assert overdue[0].name == "새솔동"
    assert len(weekly) >= 5  # several 읍면동 visit every week (달행이-like)


def test_dataset_info_and_a_chosen_as_of_date(engine):
    build_demo(engine, seed=5, as_of=dt.date(2025, 6, 30))
    with engine.connect() as conn:
        info = dataset_info(conn)
        latest = as_of_date(conn)
        first_day = _scalar(conn, sa.select(sa.func.min(Case.discovered_on)))
    assert info == {
        "city_name": "한빛시",
        "is_demo": "1",
        "seed": "5",
        "scale": "city",
        "generated_at": "2025-06-30",
    }
    assert dt.date(2025, 6, 23) <= latest <= dt.date(2025, 6, 30)
    assert dt.date(2022, 7, 1) <= first_day <= dt.date(2022, 7, 15)
    assert DEFAULT_AS_OF == AS_OF  # the default never depends on today's date


def test_unknown_scale_is_a_clear_message():
    with pytest.raises(UserError) as caught:
        build_demo(None, scale="planet")  # type: ignore[arg-type]
    assert "city, province, nation" in user_message(caught.value, "en")
    assert "데모 규모" in user_message(caught.value, "ko")
