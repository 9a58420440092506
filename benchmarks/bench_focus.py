"""Speed of Gi* hot spots and emerging hot spot classes against esda's G_Local called per period.

Case 1: Iraq + Syria admin2 (161 districts, queen) x 60 months of Islamic State events from the
bundled UCDP GED (2014-2018): Gi* with 999 permutations + emerging hot spot classes.
Case 2: a ViEWS-size grid (13,110 cells, 8 nearest neighbours) x 60 months of sparse synthetic
counts (>= 99 % zeros, a few moving clusters): ESRI space-time Gi* (analytic z, one time lag) +
classes, per-month analytic and per-month permutation variants, and esda per month with 999
permutations timed on a few months and extrapolated to 60 (printed as such).

Timings exclude building the panel and the weights (shared by both sides); each rasid timing is
the best of three runs after one warm-up. Run: ``python benchmarks/bench_focus.py``.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import stats

from rasid.analysis.emerging import classify_patterns, mann_kendall
from rasid.analysis.hotspots import (
    bh_qvalues,
    gi_star_analytic,
    gi_star_permutation,
    star_matrix,
)
from rasid.analysis.panel import build_panel
from rasid.analysis.spatial import neighbour_matrix
from rasid.analysis.spec import PanelSpec

ALPHA = 0.05
ESDA_GRID_MONTHS = 3


def _best(fn, runs: int = 3):
    """(best wall time of ``runs`` after a warm-up, last result)."""
    res = fn()
    best = np.inf
    for _ in range(runs):
        t = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t)
    return best, res


def _classes(z: np.ndarray, p: np.ndarray, fdr: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(per-bin class -1/0/1 at BH q < ALPHA per period (or raw p < ALPHA), per-unit EHSA pattern)."""
    q = bh_qvalues(p, axis=1) if fdr else p
    sig = q < ALPHA
    tau, _, mkp = mann_kendall(z.T)
    return np.where(sig, np.sign(z), 0).astype(int), classify_patterns(z, sig, tau, mkp, ALPHA)


def _perm_pipeline(y, a, permutations=999, seed=0):
    z = gi_star_analytic(y, a)
    p = gi_star_permutation(y, a, permutations=permutations, seed=seed)["p_two_sided"]
    return z, p, *_classes(z, p)


def _analytic_pipeline(y, a, time_lag):
    z = gi_star_analytic(y, a, time_lag=time_lag)
    p = 2 * stats.norm.sf(np.abs(z))
    return z, p, *_classes(z, p)


def _esda_month(y_t, w, seed):
    """esda G_Local on one period; two-sided p from its kept simulations (ties count both ways)."""
    import esda

    if y_t.sum() == 0:
        return np.zeros_like(y_t), np.ones_like(y_t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = esda.G_Local(y_t, w, transform="B", star=True, permutations=999, seed=seed, keep_simulations=True)
    sim = g.rGs  # units x permutations
    ge = (sim >= g.Gs[:, None] - 1e-12).sum(1)
    le = (sim <= g.Gs[:, None] + 1e-12).sum(1)
    return g.Zs, np.minimum(1, 2 * (np.minimum(ge, le) + 1) / 1000)


def _agree(a: np.ndarray, b: np.ndarray) -> str:
    return f"{(a == b).mean() * 100:.2f} %"


def case_admin2() -> None:
    from libpysal import weights

    from rasid.events import EventFilter, Store

    print("== Case 1: Iraq + Syria admin2 x 60 months, IS events (bundled UCDP GED 2014-2018) ==")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "b.duckdb")
        store.ingest_file(Path(str(resources.files("rasid") / "data" / "events" / "ucdp_ged_iq_sy.csv.gz")))
        ev = store.events(EventFilter(actors=["IS"], countries=["IQ", "SY"]))
        store.close()
    t0 = time.perf_counter()
    panel = build_panel(ev, PanelSpec(unit="admin2", window="2014-01..2018-12"))
    wide, uf = panel.wide(), panel.units
    t_panel = time.perf_counter() - t0
    t0 = time.perf_counter()
    a = star_matrix(neighbour_matrix("admin2", tuple(uf.unit_code), panel.spec.countries))
    t_w = time.perf_counter() - t0
    y = wide.to_numpy(dtype=float)
    print(f"panel {y.shape[1]} units x {y.shape[0]} months, {int(y.sum()):,} events, {np.mean(y == 0) * 100:.1f} % zero "
          f"bins; prep (not timed below): panel {t_panel:.2f} s, queen weights {t_w:.2f} s")

    t_perm, (z, p, bins_p, pat_p) = _best(lambda: _perm_pipeline(y, a))
    t_an, (_, _, bins_a, pat_a) = _best(lambda: _analytic_pipeline(y, a, 0))
    t_st, (_, _, _, pat_st) = _best(lambda: _analytic_pipeline(y, a, 1))
    t_9999, (_, p9, bins_9, pat_9) = _best(lambda: _perm_pipeline(y, a, 9999), runs=1)

    w = weights.W({uf.unit_code[i]: [uf.unit_code[j] for j in a[i].indices if j != i] for i in range(len(uf))},
                  id_order=list(uf.unit_code), silence_warnings=True)
    t0 = time.perf_counter()
    esda_z, esda_p = zip(*[_esda_month(y[t], w, seed=t + 1) for t in range(y.shape[0])], strict=True)
    t_esda = time.perf_counter() - t0
    esda_p = np.array(esda_p)
    bins_e, pat_e = _classes(np.array(esda_z), esda_p)

    print(f"esda G_Local per month, 999 perms, 60 months: {t_esda:8.3f} s")
    print(f"rasid Gi* 999 perms (all months) + EHSA:      {t_perm:8.3f} s   ({t_esda / t_perm:,.0f}x faster)")
    print(f"rasid Gi* 9999 perms + EHSA:                  {t_9999:8.3f} s")
    print(f"rasid analytic Gi* per month + EHSA:          {t_an:8.3f} s")
    print(f"rasid analytic space-time Gi* (lag 1) + EHSA: {t_st:8.3f} s")
    print(f"  |z - esda Zs| max: {np.abs(z - np.array(esda_z)).max():.2e}; "
          f"|p - esda two-sided p| mean {np.abs(p - esda_p).mean():.4f}, "
          f"max {np.abs(p - esda_p).max():.3f} (MC s.e. at p=0.5: {np.sqrt(0.25 / 999):.3f})")
    print(f"  raw p < .05 bins: rasid {int((p < .05).sum())}, esda {int((esda_p < .05).sum())}; "
          f"FDR bins (999 perms) rasid {int((bins_p != 0).sum())}, esda {int((bins_e != 0).sum())}; "
          f"9999 perms {int((bins_9 != 0).sum())}; analytic {int((bins_a != 0).sum())}")
    print(f"  bin classes rasid-perm vs esda: {_agree(bins_p, bins_e)}; EHSA patterns: {_agree(pat_p, pat_e)}")
    print(f"  EHSA patterns 9999 perms vs analytic per month: {_agree(pat_9, pat_a)}")
    _print_patterns("  patterns, analytic space-time (ESRI)", pat_st)


def _print_patterns(title: str, pat: np.ndarray) -> None:
    vals, counts = np.unique(pat, return_counts=True)
    print(title + ": " + ", ".join(f"{v} {c}" for v, c in sorted(zip(vals, counts, strict=True), key=lambda x: -x[1])))


def _grid_counts(rows: int = 114, cols: int = 115, months: int = 60, seed: int = 0) -> np.ndarray:
    """Sparse synthetic event counts: a low background plus clusters that appear, grow, fade or move."""
    rng = np.random.default_rng(seed)
    rr, cc = np.mgrid[0:rows, 0:cols]
    lam = np.full((months, rows, cols), 0.002)
    for k in range(25):
        r0, c0 = rng.uniform(5, rows - 5), rng.uniform(5, cols - 5)
        dr, dc = rng.normal(0, 0.05, 2)  # drift in cells per month
        start = int(rng.integers(0, months - 6))
        kind = k % 4
        for t in range(start, months):
            age = t - start
            amp = {0: 1.5, 1: 0.2 + 0.05 * age, 2: max(0.0, 2.0 - 0.05 * age), 3: 1.5 * (age % 6 < 3)}[kind]
            d2 = (rr - r0 - dr * age) ** 2 + (cc - c0 - dc * age) ** 2
            lam[t] += amp * np.exp(-d2 / 2.0)
    return rng.poisson(lam).reshape(months, rows * cols).astype(float)


def case_grid() -> None:
    import geopandas as gpd
    import shapely

    from rasid.analysis.spatial import unit_weights

    print("\n== Case 2: ViEWS-size grid, 13,110 cells (8 nearest neighbours) x 60 months, sparse counts ==")
    rows, cols = 114, 115
    y = _grid_counts(rows, cols)
    t0 = time.perf_counter()
    rr, cc = np.mgrid[0:rows, 0:cols]
    cells = gpd.GeoDataFrame({"unit_code": [str(i) for i in range(rows * cols)]},
                             geometry=shapely.points(cc.ravel() * 0.5, rr.ravel() * 0.5), crs="EPSG:4326")
    w = unit_weights(cells, "grid")
    a = star_matrix(w)
    t_w = time.perf_counter() - t0
    print(f"{y.shape[1]:,} cells x {y.shape[0]} months, {int(y.sum()):,} events, {np.mean(y == 0) * 100:.2f} % zero bins; "
          f"KNN weights (not timed below) {t_w:.2f} s")

    t_st, (_, _, _, pat_st) = _best(lambda: _analytic_pipeline(y, a, 1))
    t_an, (_, _, _, pat_an) = _best(lambda: _analytic_pipeline(y, a, 0))
    t_perm, (z, p, bins_p, pat_p) = _best(lambda: _perm_pipeline(y, a, 999, seed=0), runs=1)
    _, (_, p2, _, _) = _best(lambda: _perm_pipeline(y, a, 999, seed=1), runs=0)

    t0 = time.perf_counter()
    months = np.linspace(0, y.shape[0] - 1, ESDA_GRID_MONTHS).astype(int)
    esda_p = np.array([_esda_month(y[t], w, seed=t + 1)[1] for t in months])
    t_esda = (time.perf_counter() - t0) / ESDA_GRID_MONTHS * y.shape[0]
    print(f"esda G_Local per month, 999 perms: {t_esda:8.1f} s  (EXTRAPOLATED from {ESDA_GRID_MONTHS} months timed)")
    print(f"rasid analytic space-time Gi* (lag 1) + EHSA: {t_st:6.3f} s  ({t_esda / t_st:,.0f}x faster than esda)")
    print(f"rasid analytic per-month Gi* + EHSA:          {t_an:6.3f} s  ({t_esda / t_an:,.0f}x)")
    print(f"rasid permutation (999, all months) + EHSA:   {t_perm:6.3f} s  ({t_esda / t_perm:,.1f}x)")
    d = np.abs(p[months] - esda_p)
    print(f"  on the esda months: |p_rasid - p_esda| mean {d.mean():.4f}, bins with p<.05 on one side only "
          f"{int(((p[months] < .05) != (esda_p < .05)).sum())} of {d.size:,}")
    print(f"  FDR (BH per month, q<.05): permutation bins {int((bins_p != 0).sum())} (999 perms cannot reach "
          f"q<.05 among {y.shape[1]:,} tests: min p = 0.002); analytic per-month patterns: "
          f"{int((pat_an != 'no pattern detected').sum())}")
    raw = {k: _classes(zz, pp, fdr=False) for k, (zz, pp) in
           {"an": (z, 2 * stats.norm.sf(np.abs(z))), "p0": (z, p), "p1": (z, p2)}.items()}
    mc = raw["p0"][1] != raw["p1"][1]
    dis = raw["an"][1] != raw["p0"][1]
    print(f"  raw p<.05 rule (as sfdep): EHSA patterns differ perm seed 0 vs seed 1 (Monte Carlo error) in "
          f"{int(mc.sum())} cells, analytic vs perm seed 0 in {int(dis.sum())} cells of {y.shape[1]:,}; "
          f"bins differ {int((raw['p0'][0] != raw['p1'][0]).sum())} vs {int((raw['an'][0] != raw['p0'][0]).sum())}")
    _print_patterns("  patterns, permutation per month, raw p<.05", raw["p0"][1])
    _print_patterns("  patterns, analytic per month, raw p<.05", raw["an"][1])
    _print_patterns("  patterns, analytic space-time (ESRI), FDR", pat_st)
    _print_patterns("  patterns, analytic per month, FDR", pat_an)


def main() -> None:
    case_admin2()
    case_grid()


if __name__ == "__main__":
    main()
