"""Fit the geocoder's calibrated confidence (``rasid/data/geo/geocode_calibration.json``) on the build and
dev splits of the labelled mentions, and draw the reliability plot (``docs/geo_reliability.png``).

Called by ``python benchmarks/eval_geo.py --fit``. Two logistic regressions (scikit-learn) over the
features of :mod:`rasid.geo._confidence`: P(top candidate in the right district) and P(right
governorate). Out-of-fold predictions (5 folds, grouped by mention) give the reliability table, the
Brier score and the thresholds: the district threshold is the lowest at which answered never-seen
names are right at least 88 % of the time out of fold; the governorate threshold the lowest giving 96 %.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rasid.geo import _confidence as conf
from rasid.geo import geocoder

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rasid" / "data" / "geo" / "geocode_calibration.json"
PLOT = ROOT / "docs" / "geo_reliability.png"
DISTRICT_TARGET = 0.88
GOV_TARGET = 0.96


def _reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict]:
    edges = np.linspace(0, 1, bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if m.sum():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "mean_p": round(float(p[m].mean()), 3),
                        "observed": round(float(y[m].mean()), 3)})
    return out


def _threshold(p: np.ndarray, y: np.ndarray, target: float) -> float:
    for t in np.arange(0.05, 0.96, 0.01):
        m = p >= t
        if m.sum() >= 20 and y[m].mean() >= target:
            return round(float(t), 2)
    return 0.95


def fit(rows: list[dict], run: Callable[[list[dict], str], list[dict]]) -> None:
    """Fit on ``rows`` geocoded with and without context; write the JSON model and the plot."""
    # scikit-learn is a dev-only dependency, needed only when refitting
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.model_selection import GroupKFold  # noqa: PLC0415

    conf.load_model.cache_clear()
    if OUT.exists():
        OUT.unlink()  # features are computed without a model; abstention must not change the guesses
    geocoder.clear_caches()
    res = run(rows, "country") + run(rows, "context")
    res = [r for r in res if r["features"] is not None]
    X = np.array([[r["features"][f] for f in conf.FEATURES] for r in res])
    groups = np.array([hash((r["set"], r["id"])) for r in res])
    spec: dict = {"features": list(conf.FEATURES), "fitted_on": "build+dev splits (UCDP GED + news), "
                  "mention+country and mention+context", "n_rows": len(res)}
    oof: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    hard: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for level, truth_key, guess_key in (("district", "admin2", "guess2"), ("governorate", "admin1", "guess1")):
        keep = np.array([bool(r[truth_key]) for r in res])
        y = np.array([r[guess_key] == r[truth_key] for r in res], dtype=float)[keep]
        Xk, gk = X[keep], groups[keep]
        p = np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=5).split(Xk, y, gk):
            m = LogisticRegression(C=1.0, max_iter=2000).fit(Xk[tr], y[tr])
            p[te] = m.predict_proba(Xk[te])[:, 1]
        m = LogisticRegression(C=1.0, max_iter=2000).fit(Xk, y)
        oof[level] = (p, y)
        unseen = np.array([r["seen"] == "unseen" for r in res])[keep]
        hard[level] = (p[unseen], y[unseen])
        spec[level] = {"coef": {f: round(float(w), 5) for f, w in zip(conf.FEATURES, m.coef_[0], strict=True)},
                       "intercept": round(float(m.intercept_[0]), 5), "n": int(len(y)),
                       "base_rate": round(float(y.mean()), 3),
                       "brier_oof": round(float(np.mean((p - y) ** 2)), 4),
                       "reliability_oof": _reliability(p, y)}
    # thresholds set on the never-seen names (the hard case the targets are about), out of fold
    spec["threshold"] = _threshold(*hard["district"], DISTRICT_TARGET)
    spec["gov_threshold"] = _threshold(*hard["governorate"], GOV_TARGET)
    spec["threshold_rule"] = (f"lowest p at which never-seen names answered are right >= {DISTRICT_TARGET} "
                              f"(district) / >= {GOV_TARGET} (governorate), out of fold")
    OUT.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in spec.items() if k not in ("district", "governorate")}, indent=1))
    for level in ("district", "governorate"):
        print(level, "brier(oof)", spec[level]["brier_oof"], "base rate", spec[level]["base_rate"])
        for b in spec[level]["reliability_oof"]:
            print("  ", b)
    _plot(oof)


def _plot(oof: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    import matplotlib  # noqa: PLC0415 - heavy, only for the plot

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5), dpi=110)
    ax.plot([0, 1], [0, 1], ls="--", c="grey", lw=1, label="perfect calibration")
    for level, (p, y) in oof.items():
        rel = _reliability(p, y)
        ax.plot([b["mean_p"] for b in rel], [b["observed"] for b in rel], marker="o", label=f"{level} (out of fold)")
    ax.set_xlabel("predicted probability of a right answer")
    ax.set_ylabel("observed share right")
    ax.set_title("Geocoder confidence: reliability (build+dev, 5-fold)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT)
    print(f"plot -> {PLOT.relative_to(ROOT)}")
