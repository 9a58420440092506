"""Gi* hot spots: exact agreement with esda, planted clusters found, noise not flagged, FDR, real data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from libpysal import weights
from scipy import stats
from statsmodels.stats.multitest import multipletests

from rasid.analysis.hotspots import (
    HOTSPOT_COLUMNS,
    bh_qvalues,
    gi_star_analytic,
    gi_star_permutation,
    hotspots,
    star_matrix,
)
from rasid.analysis.spec import PanelSpec
from rasid.errors import QueryError
from rasid.events.window import Window


@pytest.fixture(scope="module")
def lattice() -> weights.W:
    """A 10 x 10 queen lattice, binary."""
    w = weights.lat2W(10, 10, rook=False)
    w.transform = "B"
    return w


def _esda_g(y, w, seed):
    import esda

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=seed)


def test_analytic_z_equals_esda(lattice):
    rng = np.random.default_rng(3)
    y = rng.poisson(2.0, (4, 100)).astype(float)
    z = gi_star_analytic(y, star_matrix(lattice))
    for t in range(4):
        np.testing.assert_allclose(z[t], _esda_g(y[t], lattice, 1).Zs, atol=1e-10)


@pytest.mark.parametrize("counts", [True, False])  # integer counts (float32 path); continuous values (float64)
def test_permutation_reproduces_esda_with_its_draws(lattice, counts):
    rng = np.random.default_rng(4)
    y = rng.poisson(1.5, 100).astype(float) if counts else rng.gamma(1.5, 1.0, 100)
    y[44:47] += 6
    g = _esda_g(y, lattice, 12345)
    kmax = max(lattice.cardinalities.values())
    np.random.seed(12345)  # esda's vec_permutations
    draws = np.array([np.random.choice(99, size=kmax, replace=False) for _ in range(999)])
    r = gi_star_permutation(y[None, :], star_matrix(lattice), draws=draws)
    np.testing.assert_allclose(r["p_directed"][0], g.p_sim, atol=1e-6)  # esda's default (directed) p
    np.testing.assert_allclose(r["z_sim"][0], g.z_sim, atol=1e-9)
    # the two-sided p we report is at least twice the directed one (more with tied counts), capped at 1
    assert (r["p_two_sided"][0] >= np.minimum(1, 2 * g.p_sim) - 1e-6).all()


def test_draws_are_uniform_in_every_column():
    from rasid.analysis.hotspots import _draws

    d = _draws(10, 5, 20000, np.random.default_rng(0))
    assert (np.sort(d, axis=1)[:, 1:] != np.sort(d, axis=1)[:, :-1]).all()  # distinct within a row
    for col in range(5):  # sites use only the first c_i columns: each must be uniform on its own
        counts = np.bincount(d[:, col], minlength=10)
        assert stats.chisquare(counts).pvalue > 1e-3


def test_permutation_vectorised_over_periods_matches_single(lattice):
    rng = np.random.default_rng(5)
    y = rng.poisson(1.0, (6, 100)).astype(float)
    a = star_matrix(lattice)
    both = gi_star_permutation(y, a, permutations=199, seed=9)
    for t in range(6):
        one = gi_star_permutation(y[t:t + 1], a, permutations=199, seed=9)
        np.testing.assert_array_equal(both["p_two_sided"][t], one["p_two_sided"][0])
    small = gi_star_permutation(y, a, permutations=199, seed=9, max_cells=5000)  # chunking changes nothing
    np.testing.assert_array_equal(both["n_ge"], small["n_ge"])


def test_space_time_z_matches_brute_force():
    rng = np.random.default_rng(6)
    w = weights.lat2W(4, 4, rook=False)
    a = star_matrix(w).toarray()
    y = rng.poisson(1.0, (5, 16)).astype(float)
    k = 2
    z = gi_star_analytic(y, star_matrix(w), time_lag=k)
    x = y.ravel()
    nn = x.size
    xbar, s = x.mean(), np.sqrt((x**2).mean() - x.mean() ** 2)
    for t in range(5):
        for i in range(16):
            wt = np.zeros((5, 16))
            for lag in range(k + 1):
                if t - lag >= 0:
                    wt[t - lag] = a[i]
            wv = wt.ravel()
            expect = (wv @ x - xbar * wv.sum()) / (s * np.sqrt((nn * (wv**2).sum() - wv.sum() ** 2) / (nn - 1)))
            assert z[t, i] == pytest.approx(expect, abs=1e-10)


def test_planted_cluster_is_found(lattice):
    rng = np.random.default_rng(7)
    y = rng.poisson(0.5, (3, 100)).astype(float)
    cluster = [33, 34, 35, 43, 44, 45, 53, 54, 55]
    y[:, cluster] += rng.poisson(5.0, (3, 9))
    a = star_matrix(lattice)
    q_perm = bh_qvalues(gi_star_permutation(y, a, permutations=9999, seed=1)["p_two_sided"], axis=1)
    z = gi_star_analytic(y, a)
    q_an = bh_qvalues(2 * stats.norm.sf(np.abs(z)), axis=1)
    for q in (q_perm, q_an):
        hot = (q < 0.05) & (z > 0)
        assert hot[:, [34, 43, 44, 45, 54]].all()  # centre and edge cells, every period (corners see 4/9)
        assert hot[:, cluster].mean() >= 5 / 9
        far = [0, 9, 90, 99]
        assert not hot[:, far].any()


def test_pure_noise_rarely_significant(lattice):
    a = star_matrix(lattice)
    flagged = 0
    for seed in range(20):
        y = np.random.default_rng(100 + seed).poisson(1.0, (1, 100)).astype(float)
        q = bh_qvalues(gi_star_permutation(y, a, permutations=9999, seed=seed)["p_two_sided"], axis=1)
        flagged += bool((q < 0.05).any())
    assert flagged <= 2  # FDR 5 %: at most ~1 in 20 under the global null


def test_bh_qvalues_match_statsmodels():
    p = np.random.default_rng(8).uniform(size=(3, 50)) ** 3
    q = bh_qvalues(p, axis=1)
    for r in range(3):
        np.testing.assert_allclose(q[r], multipletests(p[r], method="fdr_bh")[1])


def test_empty_period_gives_no_statistic(lattice):
    y = np.zeros((2, 100))
    y[1, 5] = 3
    a = star_matrix(lattice)
    assert (gi_star_analytic(y, a)[0] == 0).all()
    assert (gi_star_permutation(y, a, permutations=99)["p_two_sided"][0] == 1).all()


def test_hotspots_on_real_data(is_events):
    df = hotspots(is_events, PanelSpec(unit="admin2", window=Window("2017-01-01", "2018-12-31")), permutations=9999, seed=0)
    assert list(df.columns) == HOTSPOT_COLUMNS
    assert df.groupby("period").size().eq(df.unit_code.nunique()).all()  # zero-event units included
    assert set(df.hotspot_class) <= {"hot", "cold", "none"}
    assert set(df.confidence) <= {0, 90, 95, 99}
    assert (df.q_value >= df.p_value - 1e-12).all()
    dec = df[df.period == df.period.max()].set_index("unit_code")
    assert dec.loc["SY.DY.MY", "hotspot_class"] == "hot"  # Al Mayadin, Euphrates valley pocket
    again = hotspots(is_events, PanelSpec(unit="admin2", window=Window("2017-01-01", "2018-12-31")), permutations=9999, seed=0)
    assert again.equals(df)  # seeded


def test_hotspots_errors(is_events):
    with pytest.raises(QueryError):
        hotspots(is_events, PanelSpec(unit="admin1"), method="magic")
    with pytest.raises(QueryError):
        hotspots(is_events, PanelSpec(unit="admin1"), method="permutation", time_lag=1)
