"""The history releases a scored forecast only to origins at or after its target month."""

from __future__ import annotations

import numpy as np

from rasid.analysis.models import History
from rasid.analysis.predictive import Predictive


def test_release_only_once_the_target_is_observed() -> None:
    hist = History()
    pred = Predictive(np.array([1.0, 2.0]), np.tile(np.arange(10.0), (2, 1)))
    for origin in (10, 11, 12):
        for h in (1, 3):
            hist.record("m", origin, h, pred, np.array([origin, 3.0]))
    hist.record("m", 13, 1, pred, None)  # target beyond the data: nothing to score
    v = hist.view(12)
    assert [e.origin for e in v.entries("m", 1)] == [10, 11]  # 12 + 1 > 12
    assert [e.origin for e in v.entries("m", 3)] == []
    assert [e.origin for e in hist.view(14).entries("m", 3)] == [10, 11]
    assert [e.origin for e in hist.view(20).entries("m", 1, since=11)] == [11, 12]
    e = v.entries("m", 1)[0]
    assert np.allclose(e.e_xy - 0.5 * e.e_xx, e.crps)
    assert e.lo[1] == 0.3 and e.hi[1] == 0.4  # P(X < 3), P(X <= 3) for draws 0..9
    pooled = hist.view(20).pooled("m", 1)
    assert len(pooled["lo"]) == 6 and len(hist.view(0).pooled("m", 1)["lo"]) == 0
    hist.prune(12)
    assert [e.origin for e in hist.view(20).entries("m", 1)] == [12]
