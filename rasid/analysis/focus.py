"""Focus table: where an actor's events concentrate in a window compared with a baseline window.

Per unit: events and share of the actor's total in the window and in the baseline, the location
quotient (share / baseline share) with an exact test that conditions on both windows' totals, the
monthly rate ratio with an exact confidence interval, Benjamini-Hochberg q-values over all units and
a plain-language label. Units with no events are in the table. Definitions: ``docs/methods.md``.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from rasid.analysis.aggregate import aggregate, unit_frame
from rasid.errors import QueryError

__all__ = ["baseline_window", "focus_table", "FOCUS_COLUMNS", "LABELS"]

Window = tuple[dt.date, dt.date]
LABELS = ("rising focus", "steady focus", "fading", "new", "none")
FOCUS_COLUMNS = [
    "rank", "unit_code", "unit_en", "unit_ar", "events", "deaths", "share", "baseline_events", "baseline_deaths",
    "baseline_share", "location_quotient", "lq_low", "lq_high", "rate_ratio", "rr_low", "rr_high",
    "p_value", "q_value", "label",
]
_REL = re.compile(r"^\s*(\d+)\s*([my])\s*$", re.IGNORECASE)


def _as_window(window: str | Window) -> Window:
    """A window given as '2018-01..2018-12' or a (start, end) pair of dates."""
    from rasid.events.query import parse_month_window

    if isinstance(window, str):
        return parse_month_window(window)
    try:
        start, end = (pd.Timestamp(w).date() for w in window)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"window {window!r} must be 'YYYY-MM..YYYY-MM' or a (start, end) pair") from exc
    if end < start:
        raise QueryError(f"window {window!r} ends before it starts")
    return start, end


def baseline_window(window: str | Window, spec: str | Window = "12m") -> Window:
    """The baseline for ``window``: '12m' / '2y' = that many months/years just before it, or an explicit window."""
    start, _ = _as_window(window)
    if isinstance(spec, str):
        m = _REL.match(spec)
        if m:
            months = int(m[1]) * (12 if m[2].lower() == "y" else 1)
            if months < 1:
                raise QueryError(f"baseline {spec!r} must cover at least one month")
            b_end = (pd.Timestamp(start) - pd.Timedelta(days=1)).date()
            b_start = (pd.Timestamp(start) - pd.DateOffset(months=months)).date()
            return b_start, b_end
        if ".." not in spec:
            raise QueryError(f"baseline {spec!r} must look like 12m, 2y or 2017-01..2017-12")
    return _as_window(spec)


def _months(w: Window) -> float:
    """Length of a window in (average) months, for rates."""
    return ((pd.Timestamp(w[1]) - pd.Timestamp(w[0])).days + 1) / (365.25 / 12)


def _unit_sums(events: pd.DataFrame, unit: str, w: Window, units: pd.DataFrame) -> pd.DataFrame:
    """Events and deaths per unit inside window ``w`` (every unit present)."""
    lo, hi = pd.Timestamp(w[0]), pd.Timestamp(w[1])
    ev = events[(pd.to_datetime(events["date_start"]) >= lo) & (pd.to_datetime(events["date_start"]) <= hi)]
    panel = aggregate(ev, unit, "month", start=lo, end=hi, units=units)
    return panel.groupby("unit_code", sort=True)[["events", "deaths_best"]].sum()


def _binom_ci(k: np.ndarray, n: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) interval for k successes out of n, vectorised; NaN where n == 0."""
    a = (1 - conf) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(k > 0, stats.beta.ppf(a, k, n - k + 1), 0.0)
        hi = np.where(k < n, stats.beta.ppf(1 - a, k + 1, n - k), 1.0)
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    return lo, hi


def _ratio_from_p(p: np.ndarray, scale: float) -> np.ndarray:
    """Binomial proportion p -> ratio (p / (1 - p)) * scale, inf at p == 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p >= 1, np.inf, p / (1 - p) * scale)


def _label(row_events: np.ndarray, base: np.ndarray, lq: np.ndarray, q: np.ndarray, share: np.ndarray,
           alpha: float, min_share: float) -> np.ndarray:
    """Plain-language label from counts, location quotient and q-value (rules in docs/methods.md)."""
    sig = q < alpha
    out = np.full(len(row_events), "none", dtype=object)
    out[(row_events > 0) & (share >= min_share) & ~sig] = "steady focus"
    out[sig & (lq > 1)] = "rising focus"
    out[sig & (lq < 1)] = "fading"
    out[(base == 0) & (row_events > 0)] = "new"
    return out


def focus_table(
    events: pd.DataFrame,
    *,
    window: str | Window,
    baseline: str | Window = "12m",
    unit: str = "admin1",
    countries: list[str] | None = None,
    alpha: float = 0.05,
    min_share: float = 0.02,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Ranked per-unit focus table (columns :data:`FOCUS_COLUMNS`) of ``events`` in ``window`` vs ``baseline``.

    ``events`` are one actor's events (canonical columns). The p-value is the exact two-sided
    conditional binomial test of the unit's share being unchanged given both windows' totals; q-values
    are Benjamini-Hochberg over all units. Rows are ranked by window events, then deaths, then LQ.
    """
    w = _as_window(window)
    b = baseline_window(w, baseline)
    if b[1] >= w[0] and b[0] <= w[1]:
        raise QueryError(f"baseline {b[0]}..{b[1]} overlaps the window {w[0]}..{w[1]}")
    uf = unit_frame(unit, countries)
    cur = _unit_sums(events, unit, w, uf)
    base = _unit_sums(events, unit, b, uf)
    e = cur["events"].to_numpy(dtype=np.int64)
    eb = base["events"].reindex(cur.index).to_numpy(dtype=np.int64)
    n_w, n_b = int(e.sum()), int(eb.sum())
    if n_w == 0 and n_b == 0:
        raise QueryError(f"no located events at {unit} level in {w[0]}..{w[1]} or in the baseline {b[0]}..{b[1]}")
    m = e + eb
    with np.errstate(divide="ignore", invalid="ignore"):
        share = e / n_w if n_w else np.zeros(len(e))
        bshare = eb / n_b if n_b else np.zeros(len(e))
        lq = np.where(m > 0, share / bshare, np.nan)
    # share test: given m = e + eb, e ~ Bin(m, N_w / (N_w + N_b)) if the unit's share is unchanged
    p0 = n_w / (n_w + n_b)
    pvals = np.array([stats.binomtest(int(k), int(n), p0).pvalue if n > 0 else 1.0
                      for k, n in zip(e, m, strict=True)])
    q = multipletests(pvals, method="fdr_bh")[1] if len(pvals) else pvals
    plo, phi = _binom_ci(e, m, conf)
    lq_lo = _ratio_from_p(plo, n_b / n_w) if n_w and n_b else np.full(len(e), np.nan)
    lq_hi = _ratio_from_p(phi, n_b / n_w) if n_w and n_b else np.full(len(e), np.nan)
    # rate ratio (events per month, window vs baseline): same conditioning, scaled by the windows' lengths
    tw, tb = _months(w), _months(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = np.where(m > 0, (e / tw) / (eb / tb), np.nan)
    rr_lo, rr_hi = _ratio_from_p(plo, tb / tw), _ratio_from_p(phi, tb / tw)
    labels = pd.DataFrame(uf.drop(columns="geometry")).set_index("unit_code").reindex(cur.index)
    out = pd.DataFrame({
        "unit_code": cur.index.to_numpy(),
        "unit_en": labels["unit_en"].to_numpy(),
        "unit_ar": labels["unit_ar"].to_numpy(),
        "country": labels["country"].to_numpy(),
        "events": e,
        "deaths": cur["deaths_best"].to_numpy(dtype=np.int64),
        "share": share,
        "baseline_events": eb,
        "baseline_deaths": base["deaths_best"].reindex(cur.index).to_numpy(dtype=np.int64),
        "baseline_share": bshare,
        "location_quotient": lq,
        "lq_low": lq_lo,
        "lq_high": lq_hi,
        "rate_ratio": rr,
        "rr_low": rr_lo,
        "rr_high": rr_hi,
        "p_value": pvals,
        "q_value": q,
        "label": _label(e, eb, lq, q, share, alpha, min_share),
    })
    out = out.sort_values(["events", "deaths", "location_quotient", "unit_code"],
                          ascending=[False, False, False, True], na_position="last").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs.update(window=(str(w[0]), str(w[1])), baseline=(str(b[0]), str(b[1])), unit=unit,
                     total_events=n_w, baseline_total_events=n_b, alpha=alpha)
    return out
