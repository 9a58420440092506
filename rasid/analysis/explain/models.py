"""The explanation's models: a negative binomial GLM for effects (cluster-robust by unit) and LightGBM with
per-prediction contributions for the attribution of each place's focus to objectives.

The GLM is the NB2 estimator of :func:`rasid.analysis.counts.nb_glm` (Poisson start, Cameron–Trivedi
alpha, NB fit), solved with :func:`rasid.analysis.counts.irls` and a sandwich covariance written out
here: the explanation fits it a dozen times per call, and statsmodels' version costs ~20x more
(tests check the two agree).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy import stats

from rasid.analysis.counts import irls, nb_alpha
from rasid.analysis.explain.panel import MODEL_FEATURES, OBJECTIVES
from rasid.errors import ModelError

__all__ = ["NBFit", "nb_fit", "nb_params", "standardise", "design", "effects_table", "lgb_model", "contrib_by_objective", "place_contrib",
           "shares", "bootstrap", "parallel_map", "BOOT_REGION_ROWS", "PREDICT_RIDGE"]

#: unit-months sampled (once, fixed) for the region mean of each bootstrap refit's contributions
BOOT_REGION_ROWS = 250
#: L2 penalty on the standardised coefficients of the GLMs that *predict* (out of sample, out of place); a feature
#: seen non-zero in a handful of training rows otherwise gets an unbounded coefficient and a ~0 prediction
PREDICT_RIDGE = 1.0
_WORKERS = 2  # refits run on at most two threads


@dataclass
class NBFit:
    """An NB2 GLM fit: coefficients, covariance (cluster-robust by group, or model-based), dispersion."""

    names: list[str]
    params: np.ndarray
    cov: np.ndarray
    alpha: float
    n_groups: int | None

    @property
    def bse(self) -> np.ndarray:
        """Standard errors."""
        return np.sqrt(np.clip(np.diag(self.cov), 0, None))

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided normal p-values."""
        with np.errstate(divide="ignore", invalid="ignore"):
            z = self.params / self.bse
        return 2 * stats.norm.sf(np.abs(z))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Mean counts for design rows ``x``."""
        return np.exp(np.clip(np.asarray(x, float) @ self.params, -30, 15))

    def wald(self, idx: list[int]) -> float:
        """p-value of the joint Wald test that the coefficients at ``idx`` are all zero."""
        b = self.params[idx]
        v = self.cov[np.ix_(idx, idx)]
        try:
            stat = float(b @ np.linalg.solve(v, b))
        except np.linalg.LinAlgError:
            stat = float(b @ np.linalg.pinv(v) @ b)
        return float(stats.chi2.sf(stat, len(idx)))

    def coef(self, name: str) -> tuple[float, float, float]:
        """(coefficient, standard error, p-value) of a named column."""
        i = self.names.index(name)
        return float(self.params[i]), float(self.bse[i]), float(self.pvalues[i])


def nb_params(X: np.ndarray, y: np.ndarray, bounds: tuple[float, float] = (1e-4, 50.0),
              ridge: float = 0.0) -> tuple[np.ndarray, float]:
    """NB2 coefficients and dispersion (Poisson IRLS, Cameron–Trivedi alpha, NB IRLS), with an optional L2 penalty
    on every coefficient but the first (the constant)."""
    pen = np.r_[0.0, np.full(X.shape[1] - 1, ridge)] if ridge else None
    b0 = irls(X, y, 0.0, ridge=pen)
    alpha = nb_alpha(y, np.exp(np.clip(X @ b0, -30, 15)), bounds=bounds)
    return irls(X, y, alpha, start=b0, ridge=pen), alpha


def standardise(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Columns z-scored with the training rows' mean and SD (SD 0 -> 1), with a leading constant column."""
    mu = train.mean(axis=0)
    sd = train.std(axis=0, ddof=1) if len(train) > 1 else np.ones(train.shape[1])
    sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
    return [np.column_stack([np.ones(len(a)), (a - mu) / sd]) for a in (train, *others)]


def nb_fit(y: np.ndarray, x: pd.DataFrame | np.ndarray, groups: np.ndarray | None = None,
           bounds: tuple[float, float] = (1e-4, 50.0)) -> NBFit:
    """NB2 GLM: Poisson IRLS, Cameron–Trivedi alpha, NB IRLS; covariance cluster-robust by ``groups`` if given.

    The cluster covariance is statsmodels' (``cov_type='cluster'``, small-sample corrected): bread the
    inverse observed information, meat the sum over clusters of the outer products of the score sums
    x (y - mu)/(1 + alpha mu), times G/(G-1) (N-1)/(N-K). Without groups: the expected information.
    """
    names = list(x.columns) if isinstance(x, pd.DataFrame) else [f"x{i}" for i in range(np.shape(x)[1])]
    X = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not np.isfinite(X).all():
        raise ModelError("the design matrix has missing or infinite values")
    b, alpha = nb_params(X, y, bounds)
    mu = np.exp(np.clip(X @ b, -30, 15))
    w = mu / (1.0 + alpha * mu)
    bread = X.T @ (X * w[:, None])
    try:
        inv = np.linalg.inv(bread + 1e-10 * np.eye(len(b)))
    except np.linalg.LinAlgError as exc:
        raise ModelError(f"negative binomial GLM cannot be fitted: {exc}") from exc
    if groups is None:
        return NBFit(names, b, inv, alpha, None)
    # the sandwich's bread is the observed information (as statsmodels): x x' mu (1 + alpha y) / (1 + alpha mu)^2
    wo = mu * (1.0 + alpha * y) / (1.0 + alpha * mu) ** 2
    try:
        inv = np.linalg.inv(X.T @ (X * wo[:, None]) + 1e-10 * np.eye(len(b)))
    except np.linalg.LinAlgError as exc:
        raise ModelError(f"negative binomial GLM cannot be fitted: {exc}") from exc
    score = X * ((y - mu) / (1.0 + alpha * mu))[:, None]
    codes, g = np.unique(groups, return_inverse=True)
    sums = np.zeros((len(codes), X.shape[1]))
    np.add.at(sums, g, score)
    n, k, G = len(y), X.shape[1], len(codes)
    corr = (G / max(G - 1, 1)) * ((n - 1) / max(n - k, 1))
    return NBFit(names, b, corr * inv @ (sums.T @ sums) @ inv, alpha, G)


def design(frame: pd.DataFrame, feats: list[str], scale: tuple[pd.Series, pd.Series] | None = None):
    """Standardised design matrix with a constant; returns (X, (mean, sd))."""
    x = frame[feats].astype(float)
    mu, sd = scale if scale is not None else (x.mean(), x.std().replace(0, 1).fillna(1))
    z = (x - mu) / sd
    z.insert(0, "const", 1.0)
    return z, (mu, sd)


def effects_table(fit: NBFit, feats: list[str], sd: pd.Series) -> pd.DataFrame:
    """Tidy IRRs per 1 SD with 95% CIs, plus each objective's joint Wald p-value."""
    joint = {}
    for o in OBJECTIVES:
        idx = [fit.names.index(f) for f in feats if MODEL_FEATURES[f][0] == o]
        if idx:
            joint[o] = fit.wald(idx)
    rows = []
    for f in feats:
        b, s, p = fit.coef(f)
        o = MODEL_FEATURES[f][0]
        rows.append({"objective": o, "feature": f, "description": MODEL_FEATURES[f][1], "sd": float(sd[f]),
                     "irr": np.exp(b), "ci_low": np.exp(b - 1.96 * s), "ci_high": np.exp(b + 1.96 * s),
                     "p_value": p, "objective_p_value": joint.get(o, np.nan)})
    df = pd.DataFrame(rows, columns=["objective", "feature", "description", "sd", "irr", "ci_low", "ci_high",
                                     "p_value", "objective_p_value"])
    df.attrs["nb_alpha"] = fit.alpha
    return df


def lgb_model(seed: int) -> lgb.LGBMRegressor:
    """The attribution model: LightGBM, Poisson objective, 150 trees of 8 leaves, 63 bins, one thread, deterministic."""
    return lgb.LGBMRegressor(objective="poisson", n_estimators=150, learning_rate=0.08, num_leaves=8, max_bin=63,
                             min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                             reg_lambda=1.0, random_state=seed, n_jobs=1, verbose=-1, deterministic=True,
                             force_row_wise=True)


def contrib_by_objective(model, X: pd.DataFrame, feats: list[str]) -> pd.DataFrame:
    """Per row, LightGBM contributions (log-rate scale, TreeSHAP) summed by objective."""
    c = model.predict(X[feats], pred_contrib=True)
    df = pd.DataFrame(c[:, :-1], columns=feats, index=X.index)
    return df.T.groupby(lambda f: MODEL_FEATURES[f][0]).sum().T


def place_contrib(contrib: pd.DataFrame, place_rows: np.ndarray, region: pd.Series | None = None) -> pd.Series:
    """Mean contribution over the place's rows minus the region mean (all rows unless given), per objective."""
    base = contrib.mean() if region is None else region
    return contrib.loc[place_rows].mean() - base


def shares(c: pd.Series) -> pd.Series:
    """Signed shares: contribution / sum of absolute contributions (shares' absolute values sum to 1)."""
    tot = c.abs().sum()
    return c / tot if tot > 0 else c * 0.0


def bootstrap(frame: pd.DataFrame, feats: list[str], chosen: list[str], rows_of: dict[str, np.ndarray],
              seed: int, n_boot: int) -> dict[str, list[pd.Series]]:
    """Cluster bootstrap over units: refit LightGBM, recompute each place's objective contributions.

    Contributions are computed on the places' rows and on a fixed random sample of
    :data:`BOOT_REGION_ROWS` unit-months for the region mean (TreeSHAP on every row of every refit costs
    five times more and moves the interval ends by far less than the bootstrap's own noise).
    """
    out: dict[str, list[pd.Series]] = {c: [] for c in chosen}
    if n_boot <= 0:
        return out
    rng = np.random.default_rng(seed)
    codes = frame.unit_code.unique()
    idx_of = frame.groupby("unit_code").indices
    X, y = frame[feats].to_numpy(dtype=np.float64), frame.y.to_numpy(dtype=np.float64)
    region = np.sort(rng.choice(len(frame), size=min(BOOT_REGION_ROWS, len(frame)), replace=False))
    mine = {c: rows_of[c] for c in chosen}
    score_rows = np.unique(np.concatenate([region, *mine.values()]))
    pos = {r: i for i, r in enumerate(score_rows)}
    region_pos = np.array([pos[r] for r in region])
    mine_pos = {c: np.array([pos[r] for r in rows]) for c, rows in mine.items()}
    group = pd.Index([MODEL_FEATURES[f][0] for f in feats])
    cols = sorted(set(group))
    picks = [np.concatenate([idx_of[c] for c in rng.choice(codes, size=len(codes), replace=True)])
             for _ in range(n_boot)]  # drawn up front: the replicates do not depend on the order they run in

    def refit(b: int) -> np.ndarray | None:
        idx = picks[b]
        if y[idx].sum() == 0:
            return None
        m = lgb_model(seed + b + 1).fit(X[idx], y[idx])
        c = m.predict(X[score_rows], pred_contrib=True)[:, :-1]
        return pd.DataFrame(c, columns=group).T.groupby(level=0).sum().T.to_numpy()

    for by_obj in parallel_map(refit, range(n_boot)):
        if by_obj is None:
            continue
        reg = by_obj[region_pos].mean(axis=0)
        for place, p in mine_pos.items():
            out[place].append(pd.Series(by_obj[p].mean(axis=0) - reg, index=cols))
    return out


def parallel_map(fn, items) -> list:
    """``[fn(x) for x in items]`` on up to two threads (LightGBM and BLAS release the GIL; each model keeps one
    thread), in order: independent refits finish sooner on a two-core machine, with identical results."""
    items = list(items)
    workers = min(_WORKERS, os.cpu_count() or 1, len(items))
    if workers <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))
