"""Rolling-origin backtests of the forecast models against the baselines, scored as in the ViEWS challenge.

For each origin T in [start, end] every model is fitted on data up to T only and forecasts T+1..T+H;
forecasts whose target month lies after the last month of data are not scored. The walk starts
``warmup`` origins before ``start`` (unscored) so that the ensemble weights and the recalibration at
``start`` learn from as many past forecasts as a live forecast at that month would
(:class:`rasid.analysis.forecast.Forecaster`). Scores per unit-month are those of :mod:`rasid.analysis.scores`
(CRPS, ignorance, 90% interval score, MSE on log1p, Brier, PIT-based and closed-interval coverage); the
summary (:mod:`rasid.analysis.scorecard`) averages them per model, unit level and horizon, with the CRPS
skill against every baseline and moving-block bootstrap intervals over origins.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rasid.analysis.forecast import MODELS, QUANTILE_COLUMNS, QUANTILES, ForecastConfig, Forecaster, prepare
from rasid.analysis.models import REGISTRY
from rasid.analysis.panel import to_month
from rasid.analysis.scorecard import scorecard, scorecard_verdict, summarize
from rasid.analysis.scores import (
    IGN_BINS,
    ROW_SCORES,
    brier_score,
    coverage,
    crps,
    crps_samples,
    interval_score,
    log_score,
    pit_coverage,
    pit_histogram,
    pit_ks,
    row_scores,
)
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window

__all__ = ["backtest", "BacktestResult", "crps_samples", "crps", "log_score", "brier_score", "coverage",
           "interval_score", "pit_coverage", "pit_ks", "IGN_BINS", "SCORES"]

SCORES = ROW_SCORES


@dataclass
class BacktestResult:
    """Per-origin scores, the summary table, per-row predictions (with PIT bounds) and timings."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    predictions: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    unit: str = "admin1"
    target: str = "events"

    @property
    def scorecard(self) -> pd.DataFrame:
        """The summary as a long table (model, unit_level, horizon, metric, value, lo, hi, n, n_origins)."""
        return scorecard(self.summary)

    def verdict(self, lang: str = "en", *, model: str | None = None, horizon: int | None = None) -> str:
        """One line on whether ``model`` (default: the ensemble, else the best learned model) beat the baselines."""
        if model is None:
            learned = [m for m in self.summary.model.unique() if m in REGISTRY and not REGISTRY[m].baseline]
            model = "ensemble" if "ensemble" in learned else (learned[0] if learned else str(self.summary.model.iloc[0]))
        return scorecard_verdict(self.summary, lang, model=model, horizon=horizon)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write summary, scorecard and per-origin CSVs and calibration/skill PNGs into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tag = f"{self.unit}_{self.target}"
        paths = [out / f"backtest_summary_{tag}.csv", out / f"scorecard_{tag}.csv", out / f"backtest_scores_{tag}.csv"]
        self.summary.to_csv(paths[0], index=False)
        self.scorecard.to_csv(paths[1], index=False)
        self.scores.to_csv(paths[2], index=False)
        paths.append(plot_calibration(self, out / f"calibration_{tag}.png"))
        paths.append(plot_skill(self, out / f"skill_{tag}.png"))
        return paths


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
    calibrate: bool = True,
    config: ForecastConfig | None = None,
) -> BacktestResult:
    """Rolling-origin backtest of ``spec.measure`` per ``spec.unit``: origins ``start``..``end`` (months).

    Each model is refitted at every origin; ``spec.window`` is ignored (the whole history is used).
    ``data_end`` is the last month the source covers (default: the month of the last event); ``context``
    adds the rasid.context covariates to the learned models; ``calibrate=False`` scores the forecasts
    before recalibration; ``config`` overrides the walk's hyper-parameters (for validation runs).
    """
    horizons = sorted({int(h) for h in horizons})
    if not horizons or horizons[0] < 1:
        raise QueryError(f"horizons must be positive integers, got {horizons}")
    models = list(dict.fromkeys(models))
    bad = [m for m in models if m not in REGISTRY]
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
    if o_lo + horizons[0] > last_idx:
        raise QueryError(f"no origin in {lo:%Y-%m}..{hi:%Y-%m} has an observed target month (data end {last:%Y-%m})")
    cfg = config or ForecastConfig()
    if not calibrate:
        cfg = dataclasses.replace(cfg, calibrate=False)
    runner = Forecaster(prep, models, horizons, n_samples=n_samples, seed=seed, window=window, config=cfg,
                        timings=timings)
    codes = prep.panel.units.unit_code.to_numpy()
    score_rows, pred_frames = [], []
    for origin in range(runner.first_origin(o_lo), o_hi + 1):
        hs = [h for h in horizons if origin + h <= last_idx]
        scored = origin >= o_lo and bool(hs)
        preds = runner.step(origin, output=scored)
        if not scored:
            continue
        t0 = time.perf_counter()
        for name in models:
            for h in hs:
                p = preds[name][h]
                y = prep.panel.y[:, origin + h]
                sc = row_scores(p, y)
                active = y > 0
                score_rows.append({"model": name, "unit_level": unit, "origin": months[origin],
                                   "horizon": h, "n": len(y), "n_active": int(active.sum()),
                                   **{k: float(sc[k].mean()) for k in ROW_SCORES},
                                   "crps_active": float(sc["crps"][active].mean()) if active.any() else np.nan})
                q = p.quantiles(QUANTILES)
                frame = {"model": name, "origin": months[origin], "horizon": h, "unit_code": codes, "y": y,
                         "mean": p.mean}
                frame.update({c: q[:, i] for i, c in enumerate(QUANTILE_COLUMNS)})
                frame.update({"p_any": p.prob_ge(1), "pit_lo": sc["pit_lo"], "pit_hi": sc["pit_hi"]})
                pred_frames.append(pd.DataFrame(frame))
        timings["scoring"] = timings.get("scoring", 0.0) + time.perf_counter() - t0
    scores = pd.DataFrame(score_rows)
    predictions = pd.concat(pred_frames, ignore_index=True)
    t0 = time.perf_counter()
    summary = summarize(scores, predictions, [m for m in models if REGISTRY[m].baseline], block=max(horizons),
                        n_boot=n_boot, seed=seed)
    timings["summary"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return BacktestResult(scores, summary, predictions, timings, unit,
                          "deaths" if prep.panel.spec.measure == "deaths_best" else prep.panel.spec.measure)


def _figure(nrows: int, ncols: int, size: tuple[float, float]):
    """A matplotlib figure drawn without pyplot (no display or backend needed)."""
    fig = Figure(figsize=size, constrained_layout=True)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def _probabilistic(pr: pd.DataFrame) -> list[str]:
    """Models whose forecasts are distributions somewhere (not point masses everywhere)."""
    return [m for m, g in pr.groupby("model", sort=False) if bool((g.q05 != g.q95).any())]


def plot_calibration(result: BacktestResult, path: str | Path) -> Path:
    """Reliability of P(y >= 1) at the first and last horizon, PIT histograms and coverage by horizon; PNG."""
    pr = result.predictions
    hs = sorted(pr.horizon.unique())
    show_h = [hs[0]] + ([hs[-1]] if len(hs) > 1 else [])
    fig, axes = _figure(1, len(show_h) + 2, (5 * (len(show_h) + 2), 4.5))
    models = _probabilistic(pr)
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
    ax = axes[0][len(show_h)]
    sub = pr[pr.horizon == hs[0]]
    centres = (bins[:-1] + bins[1:]) / 2
    for m in models:
        s = sub[sub.model == m]
        ks = pit_ks(s.pit_lo.to_numpy(), s.pit_hi.to_numpy())
        ax.plot(centres, pit_histogram(s.pit_lo.to_numpy(), s.pit_hi.to_numpy(), 10) * 10, marker="o", ms=3,
                label=f"{m} (KS {ks:.3f})")
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set(title=f"randomised PIT histogram, horizon {hs[0]} (flat = calibrated)", xlabel="PIT",
           ylabel="density", xlim=(0, 1), ylim=(0, None))
    ax.legend(fontsize=7)
    ax = axes[0][-1]
    summ = result.summary
    for m in models:
        s = summ[summ.model == m].sort_values("horizon")
        line, = ax.plot(s.horizon, s.coverage90, marker="o", label=f"{m} 90%")
        ax.plot(s.horizon, s.coverage50, marker="s", ls=":", color=line.get_color())
    for level in (0.5, 0.9):
        ax.axhspan(level - 0.05, level + 0.05, color="grey", alpha=0.15, lw=0)
        ax.axhline(level, color="grey", lw=0.8, ls="--")
    ax.set(title="PIT coverage of the central 90% (solid) and 50% (dotted) intervals", xlabel="horizon (months)",
           ylabel="coverage", ylim=(0, 1.02))
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
