"""The pandas baseline of the page benchmark: read the big tables whole, compute in pandas.

    python benchmarks/pandas_baseline.py --database-url URL --code 4420051000 --period 2025

What a dashboard without SQL aggregation would do for one neighbourhood's page: read
`welfare_case`, `service`, `disbursement`, `referral`, `donation` and `neighbourhood` whole
into pandas (every row, every column), then compute the neighbourhood page's headline
metrics of metrics.md there, for the period and the previous one, for every neighbourhood
at once (the page shows the city's value and the neighbourhood's rank, so all are needed)
and for the city.

Metrics covered (metrics.md): caseload `discovered`, `opened`, `active`, `closed`,
`active_per_1000`, `high_risk_share`, `isolated_active`, `served_households`, `services`,
`plan_on_time_rate`, `median_days_open`; donations `donations_krw`, `donation_count`,
`donors`, `disbursed_krw`, `supported_households`; case-sharing `referrals_sent`,
`acceptance_rate`, `median_response_days`, `pending`, `overdue`, `completion_rate`.
Left out: outreach and self-sufficiency (two more small tables), the cash/in-kind split,
`donation_target_rate`, the charts' monthly series and breakdowns, and suppression: the
baseline is a lower bound of what the pandas way would cost for the whole page.

Prints one JSON object: seconds reading, seconds computing, rows read, the process's peak
memory (VmHWM) and the neighbourhood's values (`benchmarks/bench_pages.py` runs it in a
child process per run, so that its memory is its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.db import make_engine  # noqa: E402
from lib.period import Period  # noqa: E402

TABLES = ("neighbourhood", "welfare_case", "service", "disbursement", "referral", "donation")
DATE_COLUMNS = {
    "welfare_case": ("discovered_on", "opened_on", "plan_on", "closed_on"),
    "service": ("provided_on",),
    "disbursement": ("paid_on",),
    "referral": ("requested_on", "responded_on", "closed_on"),
    "donation": ("received_on",),
}
ACCEPTED = ("수락", "연계완료", "연계실패")


def read_tables(url: str) -> tuple[dict[str, pd.DataFrame], float, int]:
    """Every table of TABLES whole: ({name: frame}, seconds, rows)."""
    engine = make_engine(url)
    started = time.perf_counter()
    frames = {}
    with engine.connect() as conn:
        for name in TABLES:
            frame = pd.read_sql(sa.text(f"SELECT * FROM {name}"), conn)
            for column in DATE_COLUMNS.get(name, ()):
                frame[column] = pd.to_datetime(frame[column])
            frames[name] = frame
    engine.dispose()
    return frames, time.perf_counter() - started, sum(len(f) for f in frames.values())


def _in(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return (series >= start) & (series <= end)


def _median(values: pd.Series) -> pd.Series:
    return values.median()


def metrics_by_neighbourhood(
    f: dict[str, pd.DataFrame], period: Period, response_limit_days: int = 7
) -> pd.DataFrame:
    """One row per neighbourhood code (and "city"), one column per covered metric."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    hoods = f["neighbourhood"].set_index("code")
    codes = hoods.index
    cases = f["welfare_case"]
    nb_of_case = cases.set_index("case_id")["neighbourhood_code"]
    out = pd.DataFrame(index=codes)

    def count(mask: pd.Series, frame: pd.DataFrame, key: str = "neighbourhood_code"):
        return frame.loc[mask, key].value_counts().reindex(codes, fill_value=0)

    # Caseload.
    out["discovered"] = count(_in(cases["discovered_on"], start, end), cases)
    out["opened"] = count(_in(cases["opened_on"], start, end), cases)
    active = (cases["opened_on"] <= end) & (cases["closed_on"].isna() | (cases["closed_on"] > end))
    out["active"] = count(active, cases)
    closed = cases["opened_on"].notna() & _in(cases["closed_on"], start, end)
    out["closed"] = count(closed, cases)
    out["isolated_active"] = count(active & cases["isolated"].astype(bool), cases)
    high = count(active & (cases["risk_level"] == "고위험"), cases)
    services = f["service"].assign(nb=lambda s: s["case_id"].map(nb_of_case))
    service_in = _in(services["provided_on"], start, end)
    out["services"] = count(service_in, services, "nb")
    paid = f["disbursement"].assign(nb=lambda d: d["case_id"].map(nb_of_case))
    paid_in = paid[_in(paid["paid_on"], start, end)]
    served = pd.concat([services.loc[service_in, ["case_id", "nb"]], paid_in[["case_id", "nb"]]])
    served = served.drop_duplicates("case_id")
    out["served_households"] = served["nb"].value_counts().reindex(codes, fill_value=0)
    due = _in(cases["opened_on"], start, end) & (cases["opened_on"] + pd.Timedelta(days=30) <= end)
    on_time = (
        due
        & cases["plan_on"].notna()
        & (cases["plan_on"] <= cases["opened_on"] + pd.Timedelta(days=30))
    )
    due_n, on_time_n = count(due, cases), count(on_time, cases)
    days_open = (cases.loc[closed, "closed_on"] - cases.loc[closed, "opened_on"]).dt.days
    median_open = days_open.groupby(cases.loc[closed, "neighbourhood_code"]).median()
    out["median_days_open"] = median_open.reindex(codes)

    # Donations (a donation without a neighbourhood counts for the city only).
    donations = f["donation"]
    given = donations[_in(donations["received_on"], start, end)]
    local = given[given["neighbourhood_code"].notna()]
    out["donations_krw"] = (
        local.groupby("neighbourhood_code")["amount_krw"].sum().reindex(codes, fill_value=0)
    )
    out["donation_count"] = local["neighbourhood_code"].value_counts().reindex(codes, fill_value=0)
    donor_keys = local["donor_id"].fillna("#" + local["donation_id"].astype(str))
    out["donors"] = (
        donor_keys.groupby(local["neighbourhood_code"]).nunique().reindex(codes, fill_value=0)
    )
    out["disbursed_krw"] = paid_in.groupby("nb")["amount_krw"].sum().reindex(codes, fill_value=0)
    out["supported_households"] = (
        paid_in.groupby("nb")["case_id"].nunique().reindex(codes, fill_value=0)
    )

    # Case-sharing (a referral counts where its case belongs).
    refs = f["referral"].assign(nb=lambda r: r["case_id"].map(nb_of_case))
    sent = _in(refs["requested_on"], start, end)
    out["referrals_sent"] = count(sent, refs, "nb")
    answered = sent & (refs["responded_on"] <= end)
    accepted = count(answered & refs["status"].isin(ACCEPTED), refs, "nb")
    declined = count(answered & (refs["status"] == "불수락"), refs, "nb")
    response_days = (
        refs.loc[answered, "responded_on"] - refs.loc[answered, "requested_on"]
    ).dt.days
    out["median_response_days"] = (
        response_days.groupby(refs.loc[answered, "nb"]).median().reindex(codes)
    )
    withdrawn = (refs["status"] == "회수") & (refs["closed_on"] <= end)
    pending = (
        (refs["requested_on"] <= end)
        & (refs["responded_on"].isna() | (refs["responded_on"] > end))
        & ~withdrawn
    )
    out["pending"] = count(pending, refs, "nb")
    late = pending & ((end - refs["requested_on"]).dt.days > response_limit_days)
    out["overdue"] = count(late, refs, "nb")
    finished = sent & refs["status"].isin(ACCEPTED) & (refs["closed_on"] <= end)
    completed = count(finished & (refs["status"] == "연계완료"), refs, "nb")
    failed = count(finished & (refs["status"] == "연계실패"), refs, "nb")

    # The city: sums of the counts (city-wide donations included), rates from the sums.
    city = out.sum(numeric_only=True)
    city["donations_krw"] = given["amount_krw"].sum()
    city["donation_count"] = len(given)
    city["donors"] = given["donor_id"].fillna("#" + given["donation_id"].astype(str)).nunique()
    city["median_days_open"] = _median(days_open)
    city["median_response_days"] = _median(response_days)
    city["served_households"] = len(served)
    city["supported_households"] = paid_in["case_id"].nunique()
    households = hoods["households"].reindex(codes)

    def ratio(numerator, denominator, scale=100.0):
        return numerator / denominator.where(denominator > 0) * scale

    out["active_per_1000"] = ratio(out["active"], households, 1000.0)
    out["high_risk_share"] = ratio(high, out["active"])
    out["plan_on_time_rate"] = ratio(on_time_n, due_n)
    out["acceptance_rate"] = ratio(accepted, accepted + declined)
    out["completion_rate"] = ratio(completed, completed + failed)
    for key, (num, den, scale) in {
        "active_per_1000": (city["active"], households.sum(), 1000.0),
        "high_risk_share": (high.sum(), city["active"], 100.0),
        "plan_on_time_rate": (on_time_n.sum(), due_n.sum(), 100.0),
        "acceptance_rate": (accepted.sum(), (accepted + declined).sum(), 100.0),
        "completion_rate": (completed.sum(), (completed + failed).sum(), 100.0),
    }.items():
        city[key] = num / den * scale if den else float("nan")
    out.loc["city"] = city
    return out


def neighbourhood_page(
    frames: dict[str, pd.DataFrame], code: str, period: Period
) -> dict[str, dict[str, float | None]]:
    """The page's numbers: the neighbourhood's values now and before, the city's, the ranks."""
    now = metrics_by_neighbourhood(frames, period)
    before = metrics_by_neighbourhood(frames, period.previous())
    hoods = now.drop(index="city")
    ranks = hoods.rank(ascending=False, method="min")

    def clean(row: pd.Series) -> dict[str, float | None]:
        return {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}

    return {
        "current": clean(now.loc[code]),
        "previous": clean(before.loc[code]),
        "city": clean(now.loc["city"]),
        "rank": clean(ranks.loc[code]),
    }


def _peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run(url: str, code: str, period: Period) -> dict:
    """Read and compute once; the timings, rows read, peak memory and the page's numbers."""
    frames, read_s, rows = read_tables(url)
    started = time.perf_counter()
    page = neighbourhood_page(frames, code, period)
    compute_s = time.perf_counter() - started
    return {
        "read_s": read_s,
        "compute_s": compute_s,
        "total_s": read_s + compute_s,
        "rows": rows,
        "peak_mb": _peak_mb(),
        "values": page,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--code", required=True, help="the neighbourhood's code")
    parser.add_argument("--period", default="2025")
    args = parser.parse_args()
    result = run(args.database_url, args.code, Period.parse(args.period))
    json.dump(result, sys.stdout, ensure_ascii=False, default=_json_default)
    print()
    return 0


def _json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return float(value)


if __name__ == "__main__":
    raise SystemExit(main())
