"""Bad input never crashes extraction: a clear message or an empty result."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.text import extract_document, extract_events, find_dates, find_quantities, make_document
from rasid.text.documents import MAX_CHARS
from rasid.text.motives import extract_motives


def test_empty_and_tiny() -> None:
    assert extract_events("") == []
    assert extract_events("   \n ") == []
    assert extract_events(None) == []  # type: ignore[arg-type]
    assert extract_document("").events == []


def test_only_diacritics() -> None:
    assert extract_events("ًٌٍَُِّْ" * 200) == []


def test_twenty_megabytes() -> None:
    lead = "قتل جندي في هجوم لداعش على نقطة للجيش في قضاء الدبس بمحافظة كركوك. "
    text = (lead + "- " * 10_000_000)[:20_000_000]
    doc = make_document(text)
    assert len(doc.text) == MAX_CHARS  # cut, not choked on
    evs = extract_events(doc)
    assert [(e.admin1_en, e.killed) for e in evs] == [("Kirkuk", 1)]


def test_html_with_scripts() -> None:
    html = ("<html><head><script>document.write('قتل 500 شخص في بغداد')</script><style>p{}</style></head>"
            "<body><p>لا شيء هنا سوى نص عادي عن الطقس في المدينة.</p></body></html>")
    assert extract_events(html) == []


def test_mixed_rtl_ltr_with_numbers() -> None:
    text = "\u202bقتل 3 soldiers و٤ مدنيين in Kirkuk كركوك\u202c ISIS ٢٠٢١-٠٥-٠١ 12:00 %50 $15,000"
    evs = extract_events(text)
    assert isinstance(evs, list)
    for e in evs:
        for a, b in e.evidence.values():
            assert 0 <= a <= b <= len(text)


def test_binary_and_invalid_utf8_strings() -> None:
    junk = bytes(range(256)).decode("latin-1")
    assert isinstance(extract_events(junk), list)
    assert isinstance(extract_events("\udcff\udcfe broken surrogates قتل"), list)


def test_no_event() -> None:
    assert extract_events("ارتفعت أسعار الطماطم في أسواق بغداد اليوم بسبب موجة الحر.") == []
    assert extract_events("The weather in Erbil will be sunny tomorrow.") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("قتلمصرعجنديفيهجومداعشكركوك٠١٢٣456 .،؛:()\n-أإآةىئؤءًٌُ")) |
               st.characters(), max_size=400),
       st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_fuzz(text: str, published) -> None:
    evs = extract_events(text, published=published)
    assert isinstance(evs, list)
    for e in evs:
        for a, b in e.evidence.values():
            assert 0 <= a <= b <= len(text) + 1
    assert isinstance(find_dates(text, published), list)
    assert isinstance(find_quantities(text), list)
    assert isinstance(extract_motives(text, use_encoder=False), list)
