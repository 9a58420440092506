"""The ICD 203 likelihood scale: seven bands, boundaries, words in both languages."""

from __future__ import annotations

import pytest

from rasid.report.likelihood import likelihood, scale


def test_scale_is_contiguous_and_bilingual():
    bands = scale()
    assert [b.key for b in bands] == ["almost_no_chance", "very_unlikely", "unlikely", "even_chance", "likely",
                                      "very_likely", "almost_certain"]
    assert bands[0].low == 0.01 and bands[-1].high == 0.99
    for a, b in zip(bands, bands[1:], strict=False):
        assert a.high == b.low
    assert all(b.en and b.ar and b.ar_lead and b.source_url.startswith("https://") for b in bands)


@pytest.mark.parametrize("p,key", [(0.0, "almost_no_chance"), (0.03, "almost_no_chance"), (0.05, "very_unlikely"),
                                   (0.3, "unlikely"), (0.5, "even_chance"), (0.55, "likely"), (0.79, "likely"),
                                   (0.8, "very_likely"), (0.95, "almost_certain"), (1.0, "almost_certain")])
def test_band_of_probability(p, key):
    assert likelihood(p).key == key


def test_nan_refused():
    with pytest.raises(ValueError):
        likelihood(float("nan"))
