"""The learned layer of extraction, where word rules stop generalising. Rules keep dates, numbers and
the gazetteer; two small linear models, fitted on the TRAIN split only (``python -m rasid.text.train``,
``make models``) and shipped in ``rasid/data/text/models/``, decide:

* :func:`relabel` — which counts of a clause are killed / wounded / captured / attackers killed /
  other (ages, units, dates, totals of other acts): features are the words around the count (by
  position), the trigger words and their distances, the rules' own role, the size of the number
  and the clause's cues;
* :func:`attack_probability` — whether the clause that opens a candidate event reports an attack
  (not a statement, a trial, an anniversary, a motive, an analysis): features are the clause's words,
  the rules' cues and the bundled multilingual sentence encoder (:mod:`rasid.text.encoder`).

A model overrides the rules only when it is confident (thresholds chosen on the train split by
cross-validation and stored with the weights). Without the model files, or with ``learned=False``,
extraction is rules only.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from rasid.text import encoder
from rasid.text.extract.casualties import TOKEN, Chain, strip_clitic, trigger_roles

__all__ = ["NUMBER_CLASSES", "LinearModel", "number_features", "clause_features", "relabel", "attack_probability",
           "number_model", "attack_model", "hashed", "models_status"]

NUMBER_CLASSES = ("killed", "wounded", "captured", "attackers", "other")
_WINDOW = 5  # tokens each side of a count


@dataclass
class LinearModel:
    """A multinomial (or binary) logistic model over hashed string features plus optional dense ones."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (hash_dim + dense_dim, n_out)
    bias: np.ndarray  # (n_out,)
    hash_dim: int
    dense_dim: int
    threshold: float
    card: dict

    def proba(self, idx: np.ndarray, dense: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities for one example given its hashed feature indices (and dense vector)."""
        z = self.bias + self.weights[idx].sum(axis=0)
        if self.dense_dim and dense is not None:
            z = z + dense @ self.weights[self.hash_dim:]
        if len(self.classes) == 2 and z.shape[0] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[0]))
            return np.array([1.0 - p1, p1])
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()


def hashed(feats: list[str], dim: int) -> np.ndarray:
    """Stable hashed indices of string features (crc32, the same in training and at run time)."""
    return np.fromiter({zlib.crc32(f.encode("utf-8")) % dim for f in feats}, dtype=np.int64)


def _load(name: str) -> LinearModel | None:
    base = resources.files("rasid") / "data" / "text" / "models"
    try:
        card = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
        with (base / f"{name}.npz").open("rb") as fh:
            arr = np.load(fh)
            w, b = arr["weights"].astype("float32"), arr["bias"].astype("float32")
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return None
    return LinearModel(tuple(card["classes"]), w, b, int(card["hash_dim"]), int(card.get("dense_dim", 0)),
                       float(card["threshold"]), card)


@lru_cache(maxsize=1)
def number_model() -> LinearModel | None:
    """The count-role model, or None when its files are missing."""
    return _load("number_roles")


@lru_cache(maxsize=1)
def attack_model() -> LinearModel | None:
    """The attack-clause model, or None when its files are missing."""
    return _load("attack_clause")


def models_status() -> dict[str, str]:
    """Which learned components are available."""
    return {"number_roles": "loaded" if number_model() else "missing",
            "attack_clause": "loaded" if attack_model() else "missing", "encoder": encoder.status()}


def _bucket(v: int | None) -> str:
    if v is None:
        return "vague"
    for hi, name in ((0, "0"), (1, "1"), (2, "2"), (5, "3-5"), (10, "6-10"), (30, "11-30"), (100, "31-100"), (1000, "101-1000")):
        if v <= hi:
            return name
    return "big"


def _clause_cues(c) -> list[str]:
    """The rules' view of a clause, as features."""
    out = []
    for name in ("strong", "background", "past", "earlier", "update", "claim_source", "denial", "no_casualties",
                 "separate", "foreign", "assault", "is_generic", "is_suspect", "unknown_actor"):
        if getattr(c, name, False):
            out.append("cue=" + name)
    if c.claim:
        out.append("cue=claim")
    if c.is_spans:
        out.append("cue=is")
    if c.gov_actor:
        out.append("cue=gov_actor")
    if c.skip:
        out.append("skip=" + c.skip)
    if any(d.precision in ("day", "days") for d in c.dates):
        out.append("date=day")
    if c.places:
        w = max(w for w, _pm, _fs in c.places)
        out.append("place=" + ("strong" if w >= 0.8 else "weak" if w >= 0.3 else "faint"))
    else:
        out.append("place=none")
    for t, _a, _b in c.types[:4]:
        out.append("type=" + t)
    for g, _a, _b in c.targets[:4]:
        out.append("target=" + g)
    return out


def number_features(c, ch: Chain) -> list[str]:
    """Features of one count (chain) of clause ``c``: its neighbours by position, triggers, size, cues."""
    t = c.text
    toks = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(t)]
    a, b = ch.start - c.fs, ch.end - c.fs
    i0 = next((i for i, (_w, s, _e) in enumerate(toks) if s >= a), len(toks))
    i1 = next((i for i in range(len(toks) - 1, -1, -1) if toks[i][2] <= b), i0)
    roles = trigger_roles(t, toks[max(0, i0 - 12):i1 + 13])
    off = max(0, i0 - 12)
    feats = ["rule=" + ch.role, "size=" + _bucket(ch.total), "ntok=" + str(min(i1 - i0 + 1, 4))]
    for k in range(1, _WINDOW + 1):
        if i0 - k >= 0:
            w = strip_clitic(toks[i0 - k][0].lower())
            feats += [f"L{k}={w}", f"L*={w}"]
        if i1 + k < len(toks):
            w = strip_clitic(toks[i1 + k][0].lower())
            feats += [f"R{k}={w}", f"R*={w}"]
    for i in range(i0, i1 + 1):
        feats.append("in=" + strip_clitic(toks[i][0].lower()))
    for j, r in enumerate(roles):
        if r:
            k = j + off
            side = "L" if k < i0 else "R" if k > i1 else "I"
            dist = i0 - k if side == "L" else k - i1 if side == "R" else 0
            feats.append(f"trig{side}{min(dist, 6)}={r}")
            feats.append(f"trig{side}={r}")
    if i0 > 0:
        feats.append("L1L2=" + "_".join(strip_clitic(x[0].lower()) for x in toks[max(0, i0 - 2):i0]))
    if i1 + 1 < len(toks):
        feats.append("R1R2=" + "_".join(strip_clitic(x[0].lower()) for x in toks[i1 + 1:i1 + 3]))
    feats += _clause_cues(c)
    return feats


def clause_features(c, index: int) -> list[str]:
    """Features of a clause that opens a candidate event: words, word pairs, the rules' cues."""
    words = [strip_clitic(m.group().lower()) for m in TOKEN.finditer(c.text[:400]) if not m.group().isdigit()]
    feats = ["w=" + w for w in words]
    feats += ["b=" + a + "_" + b for a, b in zip(words, words[1:], strict=False)]
    feats += _clause_cues(c)
    feats.append("first" if index == 0 else "later")
    roles = {ch.role for ch in c.chains if ch.total is not None}
    feats += ["count=" + r for r in roles]
    return feats


def relabel(c) -> None:
    """Re-role the counts of clause ``c`` where the number model is confident; counts it calls
    ``other`` are dropped, unroled counts it gives a role are kept. Combined figures stay."""
    model = number_model()
    if model is None:
        c.chains = [ch for ch in c.chains if ch.role != "none"]
        return
    out = []
    for ch in c.chains:
        if ch.role == "combined" or ch.total is None:
            if ch.role != "none":
                out.append(ch)
            continue
        p = model.proba(hashed(number_features(c, ch), model.hash_dim))
        k = int(np.argmax(p))
        new = model.classes[k]
        if p[k] >= model.threshold and new != _as_class(ch.role):
            if new == "other":
                continue
            ch.role = new
        if ch.role != "none":
            out.append(ch)
    c.chains = out


def _as_class(role: str) -> str:
    return "other" if role == "none" else role


def attack_probability(clauses: list) -> list[float]:
    """P(reports an attack) of each clause (the opening clauses of candidate events), in one batch."""
    model = attack_model()
    if model is None or not clauses:
        return [1.0] * len(clauses)
    dense = encoder.embed([c.text for c in clauses]) if model.dense_dim else None
    if model.dense_dim and dense is None:
        return [1.0] * len(clauses)  # no encoder: the rules decide
    out = []
    for k, c in enumerate(clauses):
        p = model.proba(hashed(clause_features(c, getattr(c, "index", k)), model.hash_dim),
                        None if dense is None else dense[k])
        out.append(float(p[-1]))
    return out
