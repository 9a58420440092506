"""The backtest scorecard: ViEWS metrics per model, unit level and horizon, with block-bootstrap intervals.

:func:`summarize` turns per-origin scores (and per-row PIT bounds) into one row per model x level x
horizon: mean CRPS, ignorance (``ign``), 90% interval score (``mis90``), MSE on log1p, Brier, PIT-based
and closed-interval coverage, the PIT's KS distance from uniform, CRPS on active unit-months, and
``crps_skill_vs_<b>`` = 1 - CRPS(model) / CRPS(b) for every baseline b. Every mean and skill has a 90%
interval (``_lo`` / ``_hi``) from a moving-block bootstrap over origins (blocks of max(horizons)
consecutive origins, because forecasts from neighbouring origins overlap; seeded). :func:`scorecard`
gives the same numbers as a long table (one metric per row) and :func:`scorecard_verdict` one line for
the brief, in Arabic or English, driven by those numbers.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from rasid.analysis.scores import ROW_SCORES, pit_ks
from rasid.errors import QueryError

__all__ = ["summarize", "scorecard", "scorecard_verdict", "model_labels", "BOOT_METRICS", "block_indices"]

#: metrics given a bootstrap interval in the summary
BOOT_METRICS = ["crps", "ign", "mis90", "mse_log1p", "brier", "coverage50", "coverage90"]
_LONG_METRICS = [*ROW_SCORES, "pit_ks", "crps_active"]


@lru_cache(maxsize=1)
def model_labels() -> dict[str, dict[str, str]]:
    """name -> {"en": label, "ar": label} from ``rasid/data/forecast/models.csv``."""
    with (resources.files("rasid") / "data" / "forecast" / "models.csv").open(encoding="utf-8", newline="") as fh:
        return {r["name"]: {"en": r["label_en"], "ar": r["label_ar"]} for r in csv.DictReader(fh)}


def block_indices(n: int, block: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n) moving-block bootstrap indices over n ordered origins."""
    rng = np.random.default_rng(seed)
    block = max(1, min(block, n))
    n_blocks = -(-n // block)
    starts = rng.integers(0, n - block + 1, size=(n_boot, n_blocks))
    return (starts[:, :, None] + np.arange(block)).reshape(n_boot, -1)[:, :n]


def _quantiles(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if not len(x):
        return np.nan, np.nan
    return float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))


def summarize(scores: pd.DataFrame, predictions: pd.DataFrame | None, baselines: list[str], *, block: int,
              n_boot: int, seed: int) -> pd.DataFrame:
    """One row per model x unit level x horizon (see the module docstring); sorted by level, horizon, CRPS."""
    keys = ["model", "unit_level", "horizon"]
    pits: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    if predictions is not None and len(predictions):
        for (m, h), g in predictions.groupby(["model", "horizon"], sort=False):
            pits[(m, int(h))] = (g["pit_lo"].to_numpy(), g["pit_hi"].to_numpy())
    rows = []
    for (unit, h), part in scores.groupby(["unit_level", "horizon"], sort=False):
        wide = part.set_index(["origin", "model"])[["n", "n_active", "crps_active", *ROW_SCORES]].unstack("model")
        wide = wide.sort_index()
        models = list(wide["n"].columns)
        n = wide["n"].to_numpy(dtype=np.float64)
        n_act = wide["n_active"].to_numpy(dtype=np.float64)
        idx = block_indices(len(wide), block, n_boot, seed)
        nboot = n[idx].sum(axis=1)
        sums = {m: wide[m].to_numpy(dtype=np.float64) * n for m in ROW_SCORES}
        boots = {m: sums[m][idx].sum(axis=1) for m in BOOT_METRICS}
        crps_full = sums["crps"].sum(axis=0)
        for j, model in enumerate(models):
            ok = np.isfinite(sums["crps"][:, j])
            rec: dict[str, object] = {"model": model, "unit_level": unit, "horizon": h, "n": int(n[ok, j].sum()),
                                      "n_origins": int(ok.sum()), "n_active": int(n_act[ok, j].sum())}
            for m in ROW_SCORES:
                rec[m] = float(sums[m][ok, j].sum() / n[ok, j].sum())
            act = np.nan_to_num(wide["crps_active"].to_numpy(dtype=np.float64)[:, j]) * n_act[:, j]
            rec["crps_active"] = float(act[ok].sum() / rec["n_active"]) if rec["n_active"] else np.nan
            for m in BOOT_METRICS:
                rec[f"{m}_lo"], rec[f"{m}_hi"] = _quantiles(boots[m][:, j] / nboot[:, j])
            for b in baselines:
                if b not in models:
                    continue
                k = models.index(b)
                with np.errstate(divide="ignore", invalid="ignore"):
                    rec[f"crps_skill_vs_{b}"] = float(1 - crps_full[j] / crps_full[k]) if crps_full[k] > 0 else np.nan
                    bs = 1 - boots["crps"][:, j] / boots["crps"][:, k]
                rec[f"crps_skill_vs_{b}_lo"], rec[f"crps_skill_vs_{b}_hi"] = _quantiles(bs)
            if (model, int(h)) in pits:
                rec["pit_ks"] = pit_ks(*pits[(model, int(h))])
            rows.append(rec)
    out = pd.DataFrame(rows)
    first = keys + ["n", "n_origins", "crps", "ign", "mis90", "mse_log1p", "brier", "coverage50", "coverage90",
                    "coverage50_closed", "coverage90_closed", "pit_ks", "n_active", "crps_active"]
    first = [c for c in first if c in out.columns]
    return out[first + [c for c in out.columns if c not in first]].sort_values(
        ["unit_level", "horizon", "crps"], ignore_index=True)


def scorecard(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as a long table: model, unit_level, horizon, metric, value, lo, hi, n, n_origins."""
    recs = []
    skills = [c for c in summary.columns if c.startswith("crps_skill_vs_") and not c.endswith(("_lo", "_hi"))]
    for r in summary.to_dict("records"):
        for m in [*[x for x in _LONG_METRICS if x in r], *skills]:
            recs.append({"model": r["model"], "unit_level": r["unit_level"], "horizon": r["horizon"], "metric": m,
                         "value": r[m], "lo": r.get(f"{m}_lo", np.nan), "hi": r.get(f"{m}_hi", np.nan),
                         "n": r["n"], "n_origins": r["n_origins"]})
    return pd.DataFrame(recs, columns=["model", "unit_level", "horizon", "metric", "value", "lo", "hi", "n",
                                       "n_origins"])


_TEXT = {
    "en": {
        "line": "Over {n} past months, {clause}: CRPS skill {skill} (90% interval {lo} to {hi}); its 90% intervals "
                "held {cov} of the outcomes.",
        "better": "the {model}'s forecasts {ahead} beat the strongest simple baseline ({base})",
        "worse": "the {model}'s forecasts {ahead} did worse than the strongest simple baseline ({base})",
        "same": "the {model}'s forecasts {ahead} were not clearly better than the strongest simple baseline ({base})",
        "ahead1": "one month ahead", "ahead": "{h} months ahead",
    },
    "ar": {
        "line": "على مدى الأشهر السابقة المختبَرة (عددها {n})، {clause}: مهارة CRPS {skill} (مجال الثقة 90٪: من {lo} "
                "إلى {hi})؛ وشملت مجالاتها بنسبة 90٪ ما نسبته {cov} من القيم الفعلية.",
        "better": "تفوّقت توقعات {model} {ahead} على أقوى خط أساس بسيط ({base})",
        "worse": "جاءت توقعات {model} {ahead} أسوأ من أقوى خط أساس بسيط ({base})",
        "same": "لم تتفوّق توقعات {model} {ahead} بوضوح على أقوى خط أساس بسيط ({base})",
        "ahead1": "لشهر واحد مقدمًا", "ahead": "لعدد {h} من الأشهر مقدمًا",
    },
}


def _pct(x: float) -> str:
    return "0%" if round(x, 2) == 0 else f"{x:+.0%}"


def scorecard_verdict(summary: pd.DataFrame, lang: str = "en", *, model: str = "ensemble",
                      horizon: int | None = None, unit_level: str | None = None) -> str:
    """One line for the brief: did ``model`` beat the strongest baseline (lowest CRPS) at ``horizon``?

    "Beat" needs the whole 90% skill interval above zero, "worse" the whole interval below; otherwise
    the line says it was not clearly better. Digits are Latin; the report converts them if asked.
    """
    if lang not in _TEXT:
        raise QueryError(f"unknown language {lang!r}; expected ar or en")
    s = summary if unit_level is None else summary[summary.unit_level == unit_level]
    if s.empty:
        raise QueryError("the scorecard is empty")
    h = int(s.horizon.min()) if horizon is None else int(horizon)
    at = s[s.horizon == h]
    mine = at[at.model == model]
    bases = [c[len("crps_skill_vs_"):] for c in at.columns
             if c.startswith("crps_skill_vs_") and not c.endswith(("_lo", "_hi"))]
    cands = at[at.model.isin([b for b in bases if b != model])]
    if mine.empty or cands.empty:
        raise QueryError(f"the scorecard has no {model!r} and baseline rows at horizon {h}")
    base = str(cands.sort_values("crps").iloc[0].model)
    r = mine.iloc[0]
    skill, lo, hi = (float(r[f"crps_skill_vs_{base}{x}"]) for x in ("", "_lo", "_hi"))
    t = _TEXT[lang]
    case = "better" if lo > 0 else "worse" if hi < 0 else "same"
    labels = model_labels()
    ahead = t["ahead1"] if h == 1 else t["ahead"].format(h=h)
    clause = t[case].format(model=labels.get(model, {}).get(lang, model), ahead=ahead,
                            base=labels.get(base, {}).get(lang, base))
    return t["line"].format(n=int(r["n_origins"]), clause=clause, skill=_pct(skill), lo=_pct(lo), hi=_pct(hi),
                            cov=f"{float(r['coverage90']):.0%}")
