"""Focus table: where an actor's events concentrate in a window compared with a baseline window.

Per unit: events and share of the actor's total in the window and in the baseline, the location
quotient (share / baseline share) with an exact test that conditions on both windows' totals, the
monthly rate ratio with an exact confidence interval, Benjamini-Hochberg q-values over all units and
a plain-language label. Units with no events are in the table. Definitions: ``docs/methods.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window, WindowLike
from rasid.geo.units import unit_frame

__all__ = ["focus_table", "FOCUS_COLUMNS", "LABELS"]

LABELS = ("rising focus", "steady focus", "fading", "new", "none")
FOCUS_COLUMNS = [
    "rank", "unit_code", "unit_en", "unit_ar", "events", "deaths", "share", "baseline_events", "baseline_deaths",
    "baseline_share", "location_quotient", "lq_low", "lq_high", "rate_ratio", "rr_low", "rr_high",
    "p_value", "q_value", "label",
]


def _unit_sums(events: pd.DataFrame, spec: PanelSpec, w: Window) -> pd.DataFrame:
    """Events and deaths per unit inside window ``w`` (every unit present)."""
    panel = build_panel(events[w.mask(events["date_start"])], spec.replace(period="month", window=w,
                                                                         measure="events"))
    idx = panel.units.unit_code.to_numpy()
    return pd.DataFrame({"events": panel.y.sum(axis=1), "deaths_best": panel.matrix("deaths_best").sum(axis=1)},
                        index=pd.Index(idx, name="unit_code")).sort_index()


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
    spec: PanelSpec,
    *,
    baseline: WindowLike = "12m",
    alpha: float = 0.05,
    min_share: float = 0.02,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Ranked per-unit focus table (columns :data:`FOCUS_COLUMNS`) of ``events`` in ``spec.window`` vs ``baseline``.

    ``events`` are one actor's events (canonical columns). The p-value is the exact two-sided
    conditional binomial test of the unit's share being unchanged given both windows' totals; q-values
    are Benjamini-Hochberg over all units. Rows are ranked by window events, then deaths, then LQ.
    """
    w = spec.need_window()
    b = w.baseline(baseline)
    if b.end >= w.start and b.start <= w.end:
        raise QueryError(f"baseline {b} overlaps the window {w}")
    unit = spec.unit
    cur = _unit_sums(events, spec, w)
    base = _unit_sums(events, spec, b)
    uf = pd.DataFrame(unit_frame(unit, spec.countries).drop(columns="geometry"))
    e = cur["events"].to_numpy(dtype=np.int64)
    eb = base["events"].reindex(cur.index).to_numpy(dtype=np.int64)
    n_w, n_b = int(e.sum()), int(eb.sum())
    if n_w == 0 and n_b == 0:
        raise QueryError(f"no located events at {unit} level in {w} or in the baseline {b}")
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
    tw, tb = w.months, b.months
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = np.where(m > 0, (e / tw) / (eb / tb), np.nan)
    rr_lo, rr_hi = _ratio_from_p(plo, tb / tw), _ratio_from_p(phi, tb / tw)
    labels = uf.set_index("unit_code").reindex(cur.index)
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
    out.attrs.update(window=(str(w.start), str(w.end)), baseline=(str(b.start), str(b.end)), unit=unit,
                     total_events=n_w, baseline_total_events=n_b, alpha=alpha)
    return out
