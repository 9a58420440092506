"""Spatial neighbours of units (one home for weights): queen contiguity for polygons, k-nearest for the grid.

esda/libpysal pitfalls handled here: libpysal's default contiguity is rook, so queen (shared
points or edges, with a ~1 km tolerance for the gaps between the two countries' boundary
files) is built explicitly; islands (units with no neighbour) are joined to their nearest unit so every
unit has a neighbourhood.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from libpysal import weights
from scipy import sparse

from rasid.geo.units import unit_frame

__all__ = ["unit_weights", "row_standardised", "spatial_lag", "neighbour_matrix"]


def unit_weights(units: gpd.GeoDataFrame, unit: str, *, k: int = 8) -> weights.W:
    """Binary weights over ``units`` (ids = ``unit_code``): queen for admin units, k-NN on centroids for grid."""
    ids = units["unit_code"].astype(str).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if unit == "grid":
            pts = np.column_stack([units.geometry.centroid.x, units.geometry.centroid.y])
            w = weights.KNN.from_array(pts, k=min(k, len(ids) - 1), ids=ids)
        else:
            w = _fuzzy_queen(units, ids)
            if w.islands:
                knn = weights.KNN.from_array(
                    np.column_stack([units.geometry.representative_point().x,
                                     units.geometry.representative_point().y]), k=1, ids=ids)
                neigh = {i: list(w.neighbors[i]) or list(knn.neighbors[i]) for i in ids}
                w = weights.W(neigh, ids=ids, silence_warnings=True)
    w.transform = "B"
    return w


def _fuzzy_queen(units: gpd.GeoDataFrame, ids: list[str], tol: float = 0.01) -> weights.W:
    """Queen contiguity that tolerates the small gaps between the Iraqi and Syrian boundary files (~1 km)."""
    geoms = units.geometry.values
    tree = shapely.STRtree(geoms)
    src, dst = tree.query(shapely.buffer(geoms, tol), predicate="intersects")
    neigh: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in zip(src, dst, strict=True):
        if a != b:
            neigh[ids[a]].append(ids[b])
    return weights.W(neigh, ids=ids, silence_warnings=True)


def row_standardised(w: weights.W):
    """Sparse neighbour matrix (rows and columns in ``w.id_order``) whose rows sum to 1: a lag is a neighbour mean."""
    m = w.sparse.astype(float).tocsr()
    deg = np.asarray(m.sum(axis=1)).ravel()
    deg[deg == 0] = 1.0
    return sparse.diags(1.0 / deg) @ m


def spatial_lag(panel: pd.DataFrame, w: weights.W, column: str = "events", *, mean: bool = True) -> pd.Series:
    """Per unit-period, the mean (or sum) of ``column`` over the unit's neighbours; aligned to ``panel``."""
    wide = panel.pivot(index="period", columns="unit_code", values=column).reindex(columns=w.id_order).fillna(0)
    m = row_standardised(w) if mean else w.sparse.astype(float)
    lag = (m @ wide.to_numpy().T).T
    lagged = pd.DataFrame(lag, index=wide.index, columns=wide.columns).stack().rename(f"{column}_lag")
    idx = pd.MultiIndex.from_frame(panel[["period", "unit_code"]])
    return pd.Series(lagged.reindex(idx).to_numpy(), index=panel.index, name=f"{column}_lag")


@lru_cache(maxsize=16)
def _binary(unit: str, codes: tuple[str, ...], countries: tuple[str, ...]) -> sparse.csr_matrix:
    uf = unit_frame(unit, countries).set_index("unit_code").loc[list(codes)].reset_index()
    w = unit_weights(uf, unit)
    order = {c: i for i, c in enumerate(w.id_order)}
    perm = np.array([order[c] for c in codes])
    return w.sparse.astype(float).tocsr()[perm][:, perm]


def neighbour_matrix(unit: str, codes: list[str] | tuple[str, ...], countries: tuple[str, ...],
                     *, standardise: bool = False) -> sparse.csr_matrix:
    """Binary (or row-standardised) neighbour matrix over ``codes``, rows and columns in that order (cached)."""
    m = _binary(unit, tuple(str(c) for c in codes), tuple(countries)).copy()
    if standardise:
        deg = np.asarray(m.sum(axis=1)).ravel()
        deg[deg == 0] = 1.0
        m = (sparse.diags(1.0 / deg) @ m).tocsr()
    return m
