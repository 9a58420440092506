"""Per-unit trends in event counts: Mann-Kendall, a negative-binomial slope with CI, a recent change flag.

For each unit of a unit x period panel: the Mann-Kendall test on the counts (vectorised, the same
statistic as pymannkendall's original test), a negative-binomial log-linear trend (statsmodels GLM,
dispersion estimated by the Cameron-Trivedi moment regression) reported as % change per period,
and a test of the last ``recent`` periods against the earlier ones (a step term in the same NB
model, Wald test), with Benjamini-Hochberg q-values over units. See ``docs/methods.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from rasid.analysis.counts import nb_glm
from rasid.analysis.emerging import mann_kendall
from rasid.analysis.panel import build_panel
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError

__all__ = ["trend_table", "nb_fit", "TREND_COLUMNS"]

TREND_COLUMNS = ["unit_code", "unit_en", "unit_ar", "n_periods", "events", "recent_events", "mk_tau", "mk_p",
                 "mk_trend", "slope_pct", "slope_low", "slope_high", "slope_p", "dispersion", "recent_ratio",
                 "change_p", "change_q", "change_flag"]


def nb_fit(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Negative-binomial GLM of counts ``y`` on design ``x`` (with constant): (coefs, standard errors, alpha)."""
    res = nb_glm(y, x, bounds=(1e-8, np.inf))
    return np.asarray(res.params), np.asarray(res.bse), res.nb_alpha


def _unit_trend(y: np.ndarray, recent: int, conf: float) -> dict[str, float]:
    """NB slope (% per period, CI, p) and the recent-step rate ratio and p for one unit's series."""
    t_n = len(y)
    t = (np.arange(t_n) - (t_n - 1) / 2) / max(t_n - 1, 1)  # centred, scaled to [-0.5, 0.5]
    zc = stats.norm.ppf(0.5 + conf / 2)
    out = dict.fromkeys(["slope_pct", "slope_low", "slope_high", "slope_p", "dispersion", "recent_ratio",
                         "change_p"], np.nan)
    try:
        b, se, alpha = nb_fit(y, sm.add_constant(t))
        per = 1 / max(t_n - 1, 1)  # one period on the scaled axis
        out.update(slope_pct=100 * np.expm1(b[1] * per), slope_low=100 * np.expm1((b[1] - zc * se[1]) * per),
                   slope_high=100 * np.expm1((b[1] + zc * se[1]) * per),
                   slope_p=float(2 * stats.norm.sf(abs(b[1] / se[1]))), dispersion=alpha)
        step = (np.arange(t_n) >= t_n - recent).astype(float)
        if 0 < recent < t_n:
            before, after = y[:-recent].mean(), y[-recent:].mean()
            out["recent_ratio"] = after / before if before > 0 else (np.inf if after > 0 else np.nan)
            if y[:-recent].sum() > 0 and y[-recent:].sum() > 0:
                b2, se2, _ = nb_fit(y, sm.add_constant(step))
                out["change_p"] = float(2 * stats.norm.sf(abs(b2[1] / se2[1])))
            elif y.sum() > 0:
                # one side all zero: exact conditional Poisson test of the split (NB step has no finite MLE)
                out["change_p"] = float(stats.binomtest(int(y[-recent:].sum()), int(y.sum()), recent / t_n).pvalue)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError):
        pass
    return out


def trend_table(
    data: pd.DataFrame,
    spec: PanelSpec,
    *,
    recent: int = 3,
    min_events: int = 5,
    alpha: float = 0.05,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Per-unit trend table (columns :data:`TREND_COLUMNS`) of ``spec.measure`` from events or a long panel.

    Units with fewer than ``min_events`` in total get Mann-Kendall only (no NB fit). ``change_flag`` is
    'surge' / 'drop' when the last ``recent`` periods differ from the earlier ones at BH q < ``alpha``.
    """
    panel = build_panel(data, spec)
    uf = panel.units
    wide = panel.wide()
    y = wide.to_numpy(dtype=np.float64)
    t_n, n = y.shape
    if t_n < 3:
        raise QueryError(f"trends need at least three periods, got {t_n}")
    if not 0 < recent < t_n:
        raise QueryError(f"recent={recent} must be between 1 and {t_n - 1} periods")
    tau, _, mkp = mann_kendall(y.T)
    rows = []
    for j in range(n):
        col = y[:, j]
        rows.append(_unit_trend(col, recent, conf) if col.sum() >= min_events else
                    dict.fromkeys(["slope_pct", "slope_low", "slope_high", "slope_p", "dispersion",
                                   "recent_ratio", "change_p"], np.nan))
    fit = pd.DataFrame(rows)
    cp = fit["change_p"].to_numpy()
    cq = np.full(n, np.nan)
    ok = ~np.isnan(cp)
    if ok.any():
        cq[ok] = multipletests(cp[ok], method="fdr_bh")[1]
    ratio = fit["recent_ratio"].to_numpy()
    flag = np.where(cq < alpha, np.where(ratio > 1, "surge", "drop"), "none")
    out = pd.DataFrame({
        "unit_code": uf.unit_code.to_numpy(),
        "unit_en": uf.unit_en.to_numpy(),
        "unit_ar": uf.unit_ar.to_numpy(),
        "n_periods": t_n,
        "events": y.sum(axis=0).astype(np.int64),
        "recent_events": y[-recent:].sum(axis=0).astype(np.int64),
        "mk_tau": tau,
        "mk_p": mkp,
        "mk_trend": np.where(mkp < alpha, np.where(tau > 0, "increasing", "decreasing"), "no trend"),
        **{c: fit[c].to_numpy() for c in ["slope_pct", "slope_low", "slope_high", "slope_p", "dispersion",
                                          "recent_ratio"]},
        "change_p": cp,
        "change_q": cq,
        "change_flag": flag,
    })
    out = out.sort_values(["events", "unit_code"], ascending=[False, True]).reset_index(drop=True)
    out.attrs.update(unit=spec.unit, period=spec.period, recent=recent, alpha=alpha,
                     periods=(str(wide.index.min().date()), str(wide.index.max().date())))
    return out
