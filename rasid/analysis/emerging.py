"""Emerging hot spot analysis: ESRI's 17 space-time patterns from a Gi* cube and Mann-Kendall trends.

Each unit's series of Gi* bins (significant hot / cold after Benjamini-Hochberg per period) and a
Mann-Kendall test on its Gi* z-scores give one of: new, consecutive, intensifying, persistent,
diminishing, sporadic, oscillating, historical (hot spot or cold spot), or no pattern detected.
The rules follow ESRI's published definitions; where they overlap, or where sfdep deviates, the
choice is documented in ``docs/methods.md``. Everything is vectorised over units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from rasid.analysis.hotspots import bh_qvalues, gi_star_table
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError

__all__ = ["emerging_hotspots", "classify_patterns", "classify_series", "mann_kendall", "PATTERNS",
           "EMERGING_COLUMNS"]

_KINDS = ["new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating", "historical"]
PATTERNS = ["no pattern detected"] + [f"{k} hot spot" for k in _KINDS] + [f"{k} cold spot" for k in _KINDS]
EMERGING_COLUMNS = ["unit_code", "unit_en", "unit_ar", "pattern", "mk_tau", "mk_z", "mk_p", "n_hot", "n_cold",
                    "n_periods", "gi_z", "final_q"]


def mann_kendall(x: np.ndarray, *, decimals: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mann-Kendall (tie-corrected, continuity-corrected; as pymannkendall.original_test) per row of ``x``.

    Returns (tau, z, two-sided p) arrays of length ``x.shape[0]``; tau = S / (n(n-1)/2). Values are
    rounded to ``decimals`` first so float noise does not break ties.
    """
    x = np.round(np.atleast_2d(np.asarray(x, dtype=np.float64)), decimals)
    rows, n = x.shape
    s = np.zeros(rows)
    for d in range(1, n):
        s += np.sign(x[:, d:] - x[:, :-d]).sum(axis=1)
    srt = np.sort(x, axis=1)
    gid = np.concatenate([np.zeros((rows, 1), dtype=np.int64),
                          np.cumsum(srt[:, 1:] != srt[:, :-1], axis=1)], axis=1)
    t = np.bincount((np.arange(rows)[:, None] * n + gid).ravel(), minlength=rows * n).reshape(rows, n)
    t = t.astype(np.float64)
    var = (n * (n - 1) * (2 * n + 5) - (t * (t - 1) * (2 * t + 5)).sum(axis=1)) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (s - np.sign(s)) / np.sqrt(var), 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    tau = s / (n * (n - 1) / 2) if n > 1 else np.zeros(rows)
    return tau, z, p


def _trailing_run(b: np.ndarray) -> np.ndarray:
    """Length of the run of True at the end of each column of ``b`` (periods x units)."""
    return np.cumprod(b[::-1], axis=0).sum(axis=0)


def _side(sig: np.ndarray, trend_up: np.ndarray, trend_down: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Pattern index 0..8 (0 = none, 1..8 = _KINDS) for one side (hot or cold) per unit.

    ``sig``: that side's significant bins (periods x units); ``trend_up``: the MK trend toward that
    side (rising z for hot, falling z for cold) is significant; ``other``: the opposite side's bins.
    """
    t_n = sig.shape[0]
    n_sig = sig.sum(axis=0)
    final = sig[-1]
    frac = n_sig / t_n
    run = _trailing_run(sig)
    ever_other = other.any(axis=0)
    out = np.zeros(sig.shape[1], dtype=np.int64)
    most = frac >= 0.9
    # >= 90 % of bins on this side
    out[most & ~final] = 8  # historical
    out[most & final] = 4  # persistent (no significant trend)
    out[most & final & trend_up] = 3  # intensifying
    out[most & final & trend_down] = 5  # diminishing
    # < 90 %, significant in the final period
    few = ~most & final
    out[few & ~ever_other & (n_sig - run > 0)] = 6  # sporadic: on and off, never the other side
    out[few & ~ever_other & (n_sig == run) & (run >= 2)] = 2  # consecutive: one final run, nothing before
    out[few & ~ever_other & (n_sig == 1)] = 1  # new: the final period is the first
    out[few & ever_other] = 7  # oscillating: was on the other side before
    return out


def classify_patterns(z: np.ndarray, sig: np.ndarray, mk_tau: np.ndarray, mk_p: np.ndarray,
                      alpha: float = 0.05) -> np.ndarray:
    """Pattern names (see :data:`PATTERNS`) per unit from z (periods x units), significance and MK results."""
    z = np.asarray(z, dtype=np.float64)
    sig = np.asarray(sig, dtype=bool)
    hot = sig & (z > 0)
    cold = sig & (z < 0)
    mk_sig = np.asarray(mk_p) < alpha
    up = mk_sig & (np.asarray(mk_tau) > 0)
    down = mk_sig & (np.asarray(mk_tau) < 0)
    h = _side(hot, up, down, cold)
    c = _side(cold, down, up, hot)
    # at most one side can be active in the final period; a final-period pattern beats a historical one
    use_cold = (c > 0) & ((h == 0) | ((h == 8) & (c != 8)))
    idx = np.where(use_cold, c + 8, h)
    return np.asarray(PATTERNS, dtype=object)[idx]


def classify_series(z, sig, alpha: float = 0.05) -> str:
    """Pattern of one unit from its Gi* z series and per-period significance flags (MK computed here)."""
    z = np.asarray(z, dtype=np.float64)
    tau, _, p = mann_kendall(z[None, :])
    return str(classify_patterns(z[:, None], np.asarray(sig, dtype=bool)[:, None], tau, p, alpha)[0])


def _from_hotspot_table(df: pd.DataFrame):
    """(labels, z, q) from a :func:`rasid.analysis.hotspots.hotspots` result."""
    z = df.pivot(index="period", columns="unit_code", values="gi_z").sort_index()
    q = df.pivot(index="period", columns="unit_code", values="q_value").reindex_like(z)
    labels = df.drop_duplicates("unit_code").set_index("unit_code").reindex(z.columns)
    uf = pd.DataFrame({"unit_code": z.columns, "unit_en": labels["unit_en"].to_numpy(),
                       "unit_ar": labels["unit_ar"].to_numpy()})
    return uf, z.to_numpy(), q.to_numpy()


def emerging_hotspots(
    data: pd.DataFrame,
    spec: PanelSpec,
    *,
    method: str = "analytic",
    time_lag: int | None = None,
    permutations: int = 999,
    seed: int | None = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Per unit (columns :data:`EMERGING_COLUMNS`): ESRI emerging hot spot pattern, MK on Gi* z, counts.

    ``data``: events, a long :func:`aggregate` table, or a :func:`hotspots` table (its z and q reused).
    Default is ESRI's method: analytic space-time Gi* with one lagged period (``time_lag=1``); with
    ``method="permutation"`` the Gi* is per period (``time_lag=0``). Bins count as hot/cold when
    the per-period Benjamini-Hochberg q-value is below ``alpha``; the MK trend is significant at ``alpha``.
    """
    if {"gi_z", "q_value", "unit_code", "period"} <= set(data.columns):
        uf, z, q = _from_hotspot_table(data)
    else:
        lag = (1 if method == "analytic" else 0) if time_lag is None else time_lag
        uf, _, z, p = gi_star_table(data, spec, permutations=permutations, seed=seed, method=method,
                                    time_lag=lag)
        q = bh_qvalues(p, axis=1)
    if z.shape[0] < 2:
        raise QueryError("emerging hot spots need at least two periods")
    tau, mkz, mkp = mann_kendall(z.T)
    sig = q < alpha
    pattern = classify_patterns(z, sig, tau, mkp, alpha)
    out = pd.DataFrame({
        "unit_code": np.asarray(uf["unit_code"]),
        "unit_en": np.asarray(uf["unit_en"]),
        "unit_ar": np.asarray(uf["unit_ar"]),
        "pattern": pattern,
        "mk_tau": tau,
        "mk_z": mkz,
        "mk_p": mkp,
        "n_hot": (sig & (z > 0)).sum(axis=0),
        "n_cold": (sig & (z < 0)).sum(axis=0),
        "n_periods": z.shape[0],
        "gi_z": z[-1],
        "final_q": q[-1],
    })
    order = {p: i for i, p in enumerate(PATTERNS[1:] + PATTERNS[:1])}
    out = (out.assign(_o=out.pattern.map(order), _z=-out.gi_z)
           .sort_values(["_o", "_z", "unit_code"]).drop(columns=["_o", "_z"]).reset_index(drop=True))
    out.attrs.update(unit=spec.unit, period=spec.period, method=method, alpha=alpha)
    return out
