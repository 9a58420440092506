"""The extraction pipeline of one document: fold, find dates and places, cut clauses, analyse them,
group them into events and build each event's fields. Linear in the text: mentions are bucketed to
clauses by position, clauses are bounded in length, and grouping looks back a bounded distance."""

from __future__ import annotations

import bisect
import re

import numpy as np

from rasid.geo.geocoder import find_places
from rasid.lang.fold import Folded, fold
from rasid.text.dates import find_dates, parse_published
from rasid.text.documents import Document, make_document
from rasid.text.extract.background import mark_background
from rasid.text.extract.clauses import FRAME_NOT_NEWS, JUDICIAL, Clause, analyse, split_clauses
from rasid.text.extract.discourse import references
from rasid.text.extract.fields import build
from rasid.text.extract.grouping import group
from rasid.text.extract.learned import attack_model, attack_probability, relabel
from rasid.text.extract.model import ExtractedEvent, Extraction
from rasid.text.extract.places import (
    context_admin1,
    doc_country,
    homonym_elsewhere,
    mention_weight,
    plausible_place,
    unknown_village,
)
from rasid.text.extract.when import compatible_date
from rasid.text.motives import extract_motives

__all__ = ["extract_events", "extract_document", "analyse_document", "lead_clause", "WINDOW", "windows"]

WINDOW = 100_000  # characters per extraction window; a longer text is read window by window
_BREAK = re.compile(r"\n|[.!?؟]\s")


def lead_clause(d) -> Clause:
    """The clause that opens a draft's act (the first with an attack word or a count)."""
    return next((c for c in d.clauses if c.acts), d.clauses[0])


def windows(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """``[start, end)`` windows of at most ``size`` characters covering ``text``, cut after the last
    line break or sentence end of each (or hard, when a window has none)."""
    out = []
    a, n = 0, len(text)
    while n - a > size:
        cut = None
        for m in _BREAK.finditer(text, a + size // 2, a + size):
            cut = m.end()
        b = cut if cut else a + size
        out.append((a, b))
        a = b
    if a < n or not out:
        out.append((a, n))
    return out


def _inverse(fd: Folded) -> list[int]:
    """Folded offset of every original offset (the next folded character at or after it)."""
    idx = np.asarray(fd.index, dtype=np.int64)
    return np.searchsorted(idx, np.arange(fd.original_length + 1), side="left").tolist()


def _in_spans(spans: list[tuple[int, int]]):
    """A test ``offset -> bool``: whether the offset falls in one of the sorted ``[a, b)`` spans."""
    starts = [a for a, _b in spans]

    def inside(x: int) -> bool:
        k = bisect.bisect_right(starts, x) - 1
        return k >= 0 and x < spans[k][1]

    return inside


def _clauses(text: str, fd: Folded, doc: Document, numbers: str = "rules") -> list[Clause]:
    """Analysed clauses of a document, each with its own date and place mentions.

    ``numbers``: ``rules`` (counts roled by trigger words), ``learned`` (re-roled by the number
    model where it is confident) or ``keep`` (rules, plus unroled counts: training material)."""
    dates = find_dates(text, doc.published, folded=fd)
    inv = _inverse(fd)
    for d in dates:
        d._fs = inv[d.start] if d.start < len(inv) else len(fd.text)  # type: ignore[attr-defined]
    dates.sort(key=lambda d: d._fs)  # type: ignore[attr-defined]
    in_date = _in_spans(sorted((d.start, d.end) for d in dates))
    places = []
    for pm in find_places(text, country=doc_country(fd.text)):
        if plausible_place(pm, text, in_date, fd.text, inv):
            places.append((inv[pm.start] if pm.start < len(inv) else len(fd.text), pm))
    places.sort(key=lambda x: x[0])
    refs = references(fd.text, places, fd.span)
    if refs:
        inside = _in_spans(sorted((pm.start, pm.end) for _fs, pm in refs))
        places = [(fs, pm) for fs, pm in places if not inside(pm.start)] + refs  # "المدينة الثانية" is no village
        places.sort(key=lambda x: x[0])
    p_starts = [fs for fs, _pm in places]
    d_starts = [d._fs for d in dates]  # type: ignore[attr-defined]
    out = []
    unknown_villages: set = set()  # names told as a village the gazetteer lacks ("قرية المحمودية" near Hawija)
    spans = split_clauses(fd.text)
    weighted = []
    for a, b in spans:
        cp = []
        for fs, pm in places[bisect.bisect_left(p_starts, a):bisect.bisect_left(p_starts, b)]:
            w = mention_weight(pm, text, fd.text[a:fs])
            pid = pm.candidate.place_id if pm.candidate is not None else None
            if unknown_village(pm):
                unknown_villages.add(pid)
            elif pid in unknown_villages:
                w *= 0.3  # "مختار المحمودية" later: still that village, not the district
            cp.append((w, pm, fs))
        weighted.append(cp)
    # the governorates the text names as units, landmarks and datelines aside ("250 كلم شمال بغداد")
    # unless it names none but them ("the Safra village, 30km southwest of Kirkuk")
    named_admin1 = context_admin1([pm for cp in weighted for w, pm, _fs in cp if w >= 0.5]) or \
        context_admin1([pm for _fs, pm in places])
    for (a, b), cp in zip(spans, weighted, strict=True):
        cp = [(w * 0.3 if homonym_elsewhere(pm, named_admin1) else w, pm, fs) for w, pm, fs in cp]
        cd = dates[bisect.bisect_left(d_starts, a):bisect.bisect_left(d_starts, b)]
        c = analyse(fd.text, a, b, cp, cd, unroled=numbers != "rules")
        c.index = len(out)
        if numbers == "learned":
            relabel(c)
        out.append(c)
    frame = _frame(out, doc)
    if frame:
        # a trial, a funeral or an anniversary: the acts it recounts are charges or memories, unless
        # the text dates one to a day near publication (a new act reported alongside)
        for c in out:
            if not any(d.precision in ("day", "days") and d.date_start and doc.published
                       and abs((doc.published - d.date_start).days) <= 3 for d in c.dates) or c.skip:
                c.skip = c.skip or frame
    return out


def _frame(clauses: list[Clause], doc: Document) -> str | None:
    """``judicial`` or ``not_news`` when the title or the first sentence that says something is a
    trial, a funeral or an anniversary; else None."""
    lead = [c for c in clauses if len(c.text) > 30][:1]
    head = fold(doc.title).text if doc.title else ""
    if (lead and lead[0].skip == "judicial") or (head and JUDICIAL.search(head)):
        return "judicial"
    if (lead and FRAME_NOT_NEWS.search(lead[0].text)) or (head and FRAME_NOT_NEWS.search(head)):
        return "not_news"
    return None


def extract_events(doc: Document | str, published: object = None, *, doc_id: str | None = None,
                   learned: bool = False) -> list[ExtractedEvent]:
    """Events of one document (a :class:`Document` or a string), in text order.

    ``published`` overrides or supplies the publication date used for relative dates. ``learned``
    lets the learned layer (:mod:`.learned`) re-role counts and drop candidate events whose opening
    clause does not report an attack. The default is rules only: on the dev split the hybrid did not
    do better (docs/extraction.md). Empty or unusable text gives an empty list."""
    if not isinstance(doc, Document):
        if not isinstance(doc, str):
            return []
        doc = make_document(doc, id=doc_id, published=published)
    elif published is not None:
        doc = Document(**{**doc.__dict__, "published": parse_published(published)})
    text = doc.text if isinstance(doc.text, str) else ""
    if len(text.strip()) < 10:
        return []
    if len(text) <= WINDOW:
        return [ev for ev, _d in analyse_document(text, doc, learned=learned)]
    events: list[ExtractedEvent] = []
    for a, b in windows(text):
        for ev, _d in analyse_document(text[a:b], doc, learned=learned):
            _shift(ev, a, text)
            events.append(ev)
    return events


def _shift(ev: ExtractedEvent, by: int, text: str) -> None:
    """Move an event's spans from window offsets to document offsets."""
    ev.evidence = {k: (s + by, e + by) for k, (s, e) in ev.evidence.items()}
    ev.sentence_spans = [(s + by, e + by) for s, e in ev.sentence_spans]
    ev.text = text


def analyse_document(text: str, doc: Document, *, learned: bool = True, numbers: str | None = None) -> list:
    """``(event, draft)`` pairs of one window of a document's text, in text order (the drafts keep the
    analysed clauses behind each event: training material for :mod:`rasid.text.train`)."""
    fd = fold(text)
    if not re.search(r"[^\W\d_]{2}", fd.text):
        return []
    mode = numbers or ("learned" if learned else "rules")
    drafts = group(_clauses(text, fd, doc, mode), fd.text)
    pairs: list[tuple[ExtractedEvent, object]] = []
    prev = None
    for k, dr in enumerate(drafts):
        ev = build(dr, fd, text, doc, prev)
        if ev is None:
            if dr.nowhere:
                continue  # placed between two governorates: no event, and nothing to lend
            nxt = drafts[k + 1] if k + 1 < len(drafts) else None
            if nxt is not None and compatible_date(dr.day, dr.offset, nxt.day, nxt.offset, tol=1) is not False:
                nxt.clauses[:0] = dr.clauses  # no place yet: the next part of the text gives it
            continue
        prev = ev._place  # type: ignore[attr-defined]
        pairs.append((ev, dr))
    model = attack_model() if learned and pairs else None
    if model is not None and model.threshold > 0:
        probs = attack_probability([lead_clause(d) for _ev, d in pairs])
        pairs = [(ev, d) for (ev, d), p in zip(pairs, probs, strict=True) if p >= model.threshold]
    mark_background(pairs, doc.published)
    return pairs


def extract_document(doc: Document | str, published: object = None, *, motives: bool = True,
                     use_encoder: bool = True, learned: bool = False) -> Extraction:
    """Events and (optionally) stated motives of one document (``learned``: see :func:`extract_events`)."""
    if not isinstance(doc, Document):
        doc = make_document(doc if isinstance(doc, str) else "", published=published)
    elif published is not None:
        doc = Document(**{**doc.__dict__, "published": parse_published(published)})
    events = extract_events(doc, learned=learned)
    mots = []
    if motives:
        mots = extract_motives(doc.text, doc_id=doc.id, use_encoder=use_encoder)
    return Extraction(doc, events, mots)
