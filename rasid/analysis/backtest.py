"""Rolling-origin backtests of the forecast models against the baselines, with proper scores and skill intervals.

For each origin T in [start, end] every model is fitted on data up to T only and forecasts T+1..T+H;
forecasts whose target month lies after the last month of data are not scored. Scores per unit-month:

- ``mse_log1p``: (log1p(mean) - log1p(y))^2;
- ``crps``: ensemble CRPS of the samples (the "nrg" form, equal to ``properscoring.crps_ensemble`` and
  ``scoringrules.crps_ensemble(..., estimator="nrg")``); |mean - y| for point masses;
- ``log_score``: ViEWS-style ignorance, -log2 of the binned predictive probability of y with one
  pseudo-count per bin (bins 0, 1-2, 3-5, 6-10, 11-25, 26-50, 51-100, 101-250, 251-500, 501-1000, >1000);
- ``brier``: (P(y >= 1) - 1[y >= 1])^2;
- ``coverage50`` / ``coverage90``: y inside [q25, q75] / [q05, q95].

The summary averages them per model, unit level and horizon; ``crps_skill_vs_<b>`` is
1 - CRPS(model) / CRPS(baseline b) on the same unit-months, with a 90% moving-block bootstrap
interval over origins (blocks of max(horizons) origins, since forecasts from nearby origins overlap).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rasid.analysis.forecast import MODELS, QUANTILES, predict_origin, prepare
from rasid.analysis.forecast_baselines import BASELINES, Predictive
from rasid.analysis.panel import to_month
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window

__all__ = ["backtest", "BacktestResult", "crps_samples", "crps", "log_score", "brier_score", "coverage",
           "IGN_BINS", "SCORES"]

IGN_BINS = np.array([0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5])
SCORES = ["mse_log1p", "crps", "log_score", "brier", "coverage50", "coverage90"]
_POINT_MASS_SIZE = 1000  # ensemble size a point mass stands for in the binned log score


def crps_samples(samples: np.ndarray, y: np.ndarray, *, is_sorted: bool = False) -> np.ndarray:
    """Ensemble CRPS per row: mean|X - y| - 1/(2 m^2) sum|X_i - X_j| (O(m log m) via sorted samples)."""
    x = np.asarray(samples, dtype=np.float64)
    if not is_sorted:
        x = np.sort(x, axis=1)
    m = x.shape[1]
    yy = np.asarray(y, dtype=np.float64)[:, None]
    w = (2.0 * np.arange(1, m + 1) - m - 1) / (m * m)
    return np.abs(x - yy).mean(axis=1) - x @ w


def crps(pred: Predictive, y: np.ndarray) -> np.ndarray:
    """CRPS of a predictive (samples, or |mean - y| for a point mass)."""
    if pred.samples is None:
        return np.abs(pred.mean - y)
    return crps_samples(pred.samples, y, is_sorted=True)


def log_score(pred: Predictive, y: np.ndarray) -> np.ndarray:
    """Binned ignorance (bits): -log2((samples in y's bin + 1) / (m + n_bins))."""
    nb = len(IGN_BINS)
    ybin = np.searchsorted(IGN_BINS, np.asarray(y, dtype=np.float64), side="right") - 1
    if pred.samples is None:
        m = _POINT_MASS_SIZE
        hits = (np.searchsorted(IGN_BINS, pred.mean, side="right") - 1 == ybin) * m
    else:
        m = pred.samples.shape[1]
        lo = IGN_BINS[ybin]
        hi = np.append(IGN_BINS[1:], np.inf)[ybin]
        s = pred.samples
        hits = (np.sum(s < hi[:, None], axis=1) - np.sum(s < lo[:, None], axis=1))
    return -np.log2((hits + 1.0) / (m + nb))


def brier_score(p: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """(p - outcome)^2 per row."""
    return (np.asarray(p, dtype=np.float64) - np.asarray(outcome, dtype=np.float64)) ** 2


def coverage(pred: Predictive, y: np.ndarray, level: float) -> np.ndarray:
    """1 where y lies in the central ``level`` interval [q_(1-level)/2, q_(1+level)/2], else 0."""
    q = pred.quantiles(((1 - level) / 2, (1 + level) / 2))
    return ((y >= q[:, 0]) & (y <= q[:, 1])).astype(np.float64)


@dataclass
class BacktestResult:
    """Per-origin scores, the summary table, per-row predictions (for calibration) and timings."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    predictions: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    unit: str = "admin1"
    target: str = "events"

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write scores/summary CSVs and calibration/skill PNGs into ``out_dir``; return the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tag = f"{self.unit}_{self.target}"
        paths = [out / f"backtest_summary_{tag}.csv", out / f"backtest_scores_{tag}.csv"]
        self.summary.to_csv(paths[0], index=False)
        self.scores.to_csv(paths[1], index=False)
        paths.append(plot_calibration(self, out / f"calibration_{tag}.png"))
        paths.append(plot_skill(self, out / f"skill_{tag}.png"))
        return paths


def _row_scores(pred: Predictive, y: np.ndarray) -> dict[str, np.ndarray]:
    """Every score per unit-month."""
    return {
        "mse_log1p": (np.log1p(np.maximum(pred.mean, 0)) - np.log1p(y)) ** 2,
        "crps": crps(pred, y),
        "log_score": log_score(pred, y),
        "brier": brier_score(pred.prob_ge(1), y >= 1),
        "coverage50": coverage(pred, y, 0.5),
        "coverage90": coverage(pred, y, 0.9),
    }


def backtest(
    events: pd.DataFrame,
    spec: PanelSpec,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    horizons: Sequence[int] = (1, 2, 3, 4, 5, 6),
    models: Sequence[str] = MODELS,
    n_samples: int = 1000,
    seed: int = 0,
    window: int | None = None,
    n_boot: int = 1000,
    data_end: str | pd.Timestamp | None = None,
    context: bool = False,
) -> BacktestResult:
    """Rolling-origin backtest of ``spec.measure`` per ``spec.unit``: origins ``start``..``end`` (months).

    Each model is refitted at every origin; ``spec.window`` is ignored (the whole history is used).
    ``data_end`` is the last month the source covers (default: the month of the last event); ``context``
    adds the rasid.context covariates to the learned models.
    """
    horizons = sorted({int(h) for h in horizons})
    if not horizons or horizons[0] < 1:
        raise QueryError(f"horizons must be positive integers, got {horizons}")
    models = list(dict.fromkeys(models))
    bad = [m for m in models if m not in MODELS]
    if bad:
        raise QueryError(f"unknown model {bad[0]!r}; expected one of {', '.join(MODELS)}")
    if not len(events):
        raise QueryError("no events to backtest on (check the actor and country filters)")
    dates = pd.to_datetime(events["date_start"])
    first, last = to_month(dates.min()), to_month(dates.max())
    if data_end is not None:
        last = max(last, to_month(data_end))
    lo, hi = to_month(start), min(to_month(end), last)
    if lo > last:
        raise QueryError(f"backtest start {lo:%Y-%m} is after the last month with events ({last:%Y-%m})")
    if hi < lo:
        raise QueryError(f"backtest window {lo:%Y-%m}..{to_month(end):%Y-%m} is empty")
    t_start = time.perf_counter()
    unit = spec.unit
    span = Window(first, (last + pd.offsets.MonthEnd(0)).date())
    prep = prepare(events, spec.replace(window=span), use_context=context)
    timings: dict[str, float] = {"prepare": time.perf_counter() - t_start}
    months = prep.panel.months
    o_lo, o_hi = prep.panel.month_index(lo), prep.panel.month_index(hi)
    if o_lo < 12:
        raise QueryError(f"backtest start {lo:%Y-%m} leaves less than 12 months of history (data from {first:%Y-%m})")
    last_idx = len(months) - 1
    codes = prep.panel.units.unit_code.to_numpy()
    score_rows, pred_frames = [], []
    state: dict = {}
    for origin in range(o_lo, o_hi + 1):
        hs = [h for h in horizons if origin + h <= last_idx]
        if not hs:
            continue
        preds = predict_origin(prep, origin, hs, models, n_samples=n_samples, seed=seed, window=window,
                               timings=timings, state=state)
        t0 = time.perf_counter()
        for name in models:
            cache: dict[int, dict[str, np.ndarray]] = {}
            for h in hs:
                p = preds[name][h]
                y = prep.panel.y[:, origin + h]
                sc = _row_scores(p, y)
                cache[h] = sc
                active = y > 0
                score_rows.append({"model": name, "unit_level": unit, "origin": months[origin],
                                   "horizon": h, "n": len(y), "n_active": int(active.sum()),
                                   **{k: float(v.mean()) for k, v in sc.items()},
                                   "crps_active": float(sc["crps"][active].mean()) if active.any() else np.nan})
                q = p.quantiles(QUANTILES)
                pred_frames.append(pd.DataFrame({
                    "model": name, "origin": months[origin], "horizon": h, "unit_code": codes, "y": y,
                    "mean": p.mean, "q05": q[:, 0], "q25": q[:, 1], "q50": q[:, 2], "q75": q[:, 3], "q95": q[:, 4],
                    "p_any": p.prob_ge(1)}))
        timings["scoring"] = timings.get("scoring", 0.0) + time.perf_counter() - t0
    if not score_rows:
        raise QueryError(f"no origin in {lo:%Y-%m}..{hi:%Y-%m} has an observed target month (data end {last:%Y-%m})")
    scores = pd.DataFrame(score_rows)
    summary = _summary(scores, [b for b in BASELINES if b in models], max(horizons), n_boot, seed)
    timings["total"] = time.perf_counter() - t_start
    return BacktestResult(scores, summary, pd.concat(pred_frames, ignore_index=True), timings, unit,
                          "deaths" if prep.panel.spec.measure == "deaths_best" else prep.panel.spec.measure)


def _block_indices(n: int, block: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n) moving-block bootstrap indices over n ordered origins."""
    rng = np.random.default_rng(seed)
    block = max(1, min(block, n))
    n_blocks = -(-n // block)
    starts = rng.integers(0, n - block + 1, size=(n_boot, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)).reshape(n_boot, -1)[:, :n]
    return idx


def _summary(scores: pd.DataFrame, baselines: list[str], block: int, n_boot: int, seed: int) -> pd.DataFrame:
    """Mean scores per model, unit level and horizon, with CRPS skill vs each baseline and bootstrap intervals."""
    keys = ["model", "unit_level", "horizon"]
    w = scores.assign(**{s: scores[s] * scores["n"] for s in SCORES},
                      crps_active=scores["crps_active"].fillna(0) * scores["n_active"])
    g = w.groupby(keys, sort=False)
    out = g[["n", "n_active", *SCORES, "crps_active"]].sum()
    for s in SCORES:
        out[s] = out[s] / out["n"]
    out["crps_active"] = out["crps_active"] / out["n_active"].where(out["n_active"] > 0)
    out["n_origins"] = g.size()
    out = out.reset_index()
    rows = []
    for (unit, h), part in scores.groupby(["unit_level", "horizon"], sort=False):
        wide = part.pivot(index="origin", columns="model", values="crps").sort_index()
        nn = part.pivot(index="origin", columns="model", values="n").sort_index().iloc[:, 0].to_numpy()
        tot = wide.to_numpy() * nn[:, None]
        idx = _block_indices(len(wide), block, n_boot, seed)
        boot = tot[idx].sum(axis=1)  # (n_boot, models)
        full = tot.sum(axis=0)
        for j, m in enumerate(wide.columns):
            rec = {"model": m, "unit_level": unit, "horizon": h}
            for b in baselines:
                k = list(wide.columns).index(b)
                with np.errstate(divide="ignore", invalid="ignore"):
                    sk = 1 - full[j] / full[k] if full[k] > 0 else np.nan
                    bs = 1 - boot[:, j] / boot[:, k]
                bs = bs[np.isfinite(bs)]
                rec[f"crps_skill_vs_{b}"] = sk
                rec[f"crps_skill_vs_{b}_lo"] = float(np.quantile(bs, 0.05)) if len(bs) else np.nan
                rec[f"crps_skill_vs_{b}_hi"] = float(np.quantile(bs, 0.95)) if len(bs) else np.nan
            rows.append(rec)
    out = out.merge(pd.DataFrame(rows), on=keys, how="left")
    cols = ["model", "unit_level", "horizon", "n", "n_origins", "mse_log1p", "crps", "log_score", "brier",
            "coverage50", "coverage90", "n_active", "crps_active"]
    return out[cols + [c for c in out.columns if c not in cols]].sort_values(["unit_level", "horizon", "crps"],
                                                                            ignore_index=True)


def _figure(nrows: int, ncols: int, size: tuple[float, float]):
    """A matplotlib figure drawn without pyplot (no display or backend needed)."""
    fig = Figure(figsize=size, constrained_layout=True)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def plot_calibration(result: BacktestResult, path: str | Path) -> Path:
    """Reliability diagram of P(y >= 1) per horizon and interval coverage by horizon; saved as PNG."""
    pr = result.predictions
    hs = sorted(pr.horizon.unique())
    show_h = [hs[0]] + ([hs[-1]] if len(hs) > 1 else [])
    fig, axes = _figure(1, len(show_h) + 1, (5 * (len(show_h) + 1), 4.5))
    models = [m for m in pr.model.unique() if m not in ("zero", "no_change", "mean3", "mean12")]
    bins = np.linspace(0, 1, 11)
    for ax, h in zip(axes[0], show_h, strict=False):
        sub = pr[pr.horizon == h]
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
        for m in models:
            s = sub[sub.model == m]
            b = np.clip(np.digitize(s.p_any, bins) - 1, 0, 9)
            grp = pd.DataFrame({"b": b, "p": s.p_any, "o": s.y >= 1}).groupby("b").agg(p=("p", "mean"),
                                                                                     o=("o", "mean"), n=("p", "size"))
            grp = grp[grp.n >= 10]
            ax.plot(grp.p, grp.o, marker="o", ms=3, label=m)
        ax.set(title=f"P(at least one) reliability, horizon {h}", xlabel="forecast probability",
               ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1))
        ax.legend(fontsize=7)
    ax = axes[0][-1]
    summ = result.summary
    for m in models:
        s = summ[summ.model == m].sort_values("horizon")
        line, = ax.plot(s.horizon, s.coverage90, marker="o", label=f"{m} 90%")
        ax.plot(s.horizon, s.coverage50, marker="s", ls=":", color=line.get_color())
    ax.axhline(0.9, color="grey", lw=0.8, ls="--")
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax.set(title="interval coverage (solid 90%, dotted 50%)", xlabel="horizon (months)", ylabel="coverage",
           ylim=(0, 1.02))
    ax.legend(fontsize=7)
    fig.suptitle(f"backtest calibration: {result.unit}, {result.target}")
    fig.savefig(path, dpi=110)
    return Path(path)


def plot_skill(result: BacktestResult, path: str | Path, baseline: str | None = None) -> Path:
    """CRPS skill by horizon against one baseline (default no_change, else the first present), with intervals."""
    summ = result.summary
    cands = [c[len("crps_skill_vs_"):] for c in summ.columns if c.startswith("crps_skill_vs_") and
             not c.endswith(("_lo", "_hi"))]
    b = baseline or ("no_change" if "no_change" in cands else (cands[0] if cands else None))
    fig, axes = _figure(1, 1, (7, 4.5))
    ax = axes[0][0]
    if b is not None:
        for m in summ.model.unique():
            if m == b:
                continue
            s = summ[summ.model == m].sort_values("horizon")
            col = f"crps_skill_vs_{b}"
            ax.errorbar(s.horizon, s[col], yerr=[s[col] - s[f"{col}_lo"], s[f"{col}_hi"] - s[col]],
                        marker="o", capsize=3, label=m)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(title=f"CRPS skill vs {b} ({result.unit}, {result.target}); 90% block-bootstrap intervals",
               xlabel="horizon (months)", ylabel=f"1 - CRPS / CRPS({b})")
        ax.legend(fontsize=7)
    fig.savefig(path, dpi=110)
    return Path(path)
