"""Mention phrases: tokens with their normalised forms, the keyword tables (directions, near words,
distance units, common words that are also place names) and the parser that splits a mention into
the place meant, a relative anchor and context. Private to :mod:`rasid.geo.geocoder`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasid.lang.normalize import LATIN_ARTICLES, normalize_name, strip_ar_article, strip_ar_prefixes, tokenize

# --- relative phrases ----------------------------------------------------------------------------------
_DIR_AR = {"شمال": "N", "جنوب": "S", "شرق": "E", "غرب": "W", "شمالي": "N", "جنوبي": "S", "شرقي": "E",
           "غربي": "W", "شماليه": "N", "جنوبيه": "S", "شرقيه": "E", "غربيه": "W", "شمالا": "N",
           "جنوبا": "S", "شرقا": "E", "غربا": "W"}
_DIR_EN = {"north": "N", "south": "S", "east": "E", "west": "W", "northern": "N", "southern": "S",
           "eastern": "E", "western": "W", "northeast": "NE", "northwest": "NW", "southeast": "SE",
           "southwest": "SW", "northeastern": "NE", "northwestern": "NW", "southeastern": "SE",
           "southwestern": "SW", "nort": "N", "sout": "S"}
_NEAR_AR = frozenset({"ريف", "اطراف", "ضواحي", "محيط", "قرب", "قريب", "بالقرب", "مقربه", "بادية", "باديه",
                      "تخوم", "اريف", "جوار", "حدود", "مشارف", "اكناف", "اطرف", "اقصي", "اقاصي"})
_NEAR_EN = frozenset({"outskirts", "near", "nearby", "countryside", "around", "close", "vicinity", "rural",
                      "suburbs", "outside", "environs", "desert", "badia", "badiya", "periphery", "edge"})
_LINK = frozenset({"of", "from", "to", "the", "من", "عن", "مدينه", "محافظه", "قضا", "ناحيه", "بلده", "قريه",
                   "in", "city", "town", "province", "governorate", "district", "بمحافظه", "منطقه", "الى"})
_DIST_UNITS = {"كم": 1.0, "كيلو": 1.0, "كيلومتر": 1.0, "كيلومترات": 1.0, "كيلومترا": 1.0, "كيلومترًا": 1.0,
               "كلم": 1.0, "كيلومترين": 1.0, "ميل": 1.609, "اميال": 1.609, "km": 1.0, "kms": 1.0,
               "kilometres": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometer": 1.0, "miles": 1.609,
               "mile": 1.609, "mi": 1.609}
_BEARING = {"N": 0.0, "NE": 45.0, "E": 90.0, "SE": 135.0, "S": 180.0, "SW": 225.0, "W": 270.0, "NW": 315.0}
_SEPARATORS = frozenset({",", "،", ";", "؛", "(", ")", "–", "—", "|"})
_IN_WORDS = frozenset({"in", "في", "بمحافظه", "بقضا", "بناحيه", "within", "inside", "داخل",
                       # relative clauses saying where the place lies: "الكوم التي تقع في السخنة",
                       # "قرية X الواقعة شمال Y", "X التابعة لناحية Y", "X located in Y"
                       "تقع", "يقع", "الواقعة", "الواقع", "التابعة", "التابع", "located", "situated",
                       "ضمن", "بمنطقه"})
# relative pronouns dropped from a mention ("التي تقع في")
_REL_PRONOUNS = frozenset({"التي", "الذي", "اللتي"})



def _nset(words: object) -> frozenset[str]:
    """Keyword set in the normalised form tokens take (so "south" matches its folded key)."""
    return frozenset(k for k in (normalize_name(w) for w in words) if k) | frozenset(words)


def _ndict(d: dict[str, object]) -> dict:
    out = {normalize_name(k): v for k, v in d.items() if normalize_name(k)}
    out.update(d)
    return out


_DIR_AR, _DIR_EN, _DIST_UNITS = _ndict(_DIR_AR), _ndict(_DIR_EN), _ndict(_DIST_UNITS)
_NEAR_AR, _NEAR_EN, _LINK, _IN_WORDS = _nset(_NEAR_AR), _nset(_NEAR_EN), _nset(_LINK), _nset(_IN_WORDS)
_REL_PRONOUNS = _nset(_REL_PRONOUNS)

# single tokens that are place names but far more often ordinary words in news text (normalised forms)
_STOP_AR = frozenset("""
نصر سلام شمال جنوب شرق غرب وحده فجر اصلاح امام جسر مجد حريه عدل رشيد منصور ثوره مدينه امن جيش رياض
حق نور عراق سوريا شام دوله اسلام قوات حشد شعبي مركز محافظه قضا ناحيه قريه هجوم تفجير عبوه داعش تنظيم
خليه عمليه مصدر قائد رئيس وزير حكومه شرطه حدود بيان يوم امس سياره طريق قصف طيران تحالف دولي عرب عربي
حزب مجلس نائب سيطره منطقه حي جامع مسجد مستشفي جامعه سوق ساحه بلد عنه دور علم فرات شبكه دجله شاميه جزيره
صينيه احرار هلال مشروع باب تل حضر عظيم ملتقي رشاد سفيره حديثه قائم خط كتيبه لواء فوج قاعده معسكر مطار
جبل وادي نهر بحيره سد جسر ميدان شارع مقر مبني بيت دار اهالي سكان مدني عسكريه اخر اول ثاني ثالث واحد
قتلي جرحي قتيل شهيد شهدا هدف اهداف غارات غاره سلاح اسلحه ذخيره مخزن خلايا عناصر مسلحين مسلح هيئه
قيادة قياده عمليات مشتركه اتحادي اتحاديه وطني وطنيه عام عامه كبير صغير جديد جديده قديم قديمه
شمالي جنوبي شرقي غربي وسط اوسط عليا سفلي اعلي ادني فوق تحت بين حول خلال قرب بعد قبل عند مع ضد
سنه شهر اسبوع ساعه ليله صباح مساء ظهر عصر فجر جمعه سبت احد اثنين ثلاثا اربعا خميس
ابو ام بني عين بير كفر راس قصر خربه دير سعد سور عاصمه معلمين صحراء شعب دوله مدن قري نبع
""".split())
_STOP_EN = frozenset("""
the a an of in on at by for from with to and or but is was were be been has have had it its this that
islamic state army peace victory liberty freedom unity sunni shia shiite kurdish arab arabs kurds turkey iran
united nations american us usa coalition saudi riyadh jazeera monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november december
north south east west new old city town village district province governorate border security forces
police military government ministry minister president said says news reuters afp ap bbc cnn isis isil
daesh iraq syria iraqi syrian syrians iraqis baath al el road bridge airport base camp station market
mosque school hospital university center centre street square lake river mountain valley desert region area
abu umm bani beni ain ayn ras bir khirbat deir dayr jabal jebel wadi tall tel nada
""".split())
_STOP_AR, _STOP_EN = _nset(_STOP_AR), _nset(_STOP_EN)
# stop words that begin longer names ("أبو ماريا", "Umm Qasr", "Tal Afar"): such a word followed by another
# word of the same name is an unknown longer place, never the one-word place of that spelling
_NAME_HEADS = _nset(frozenset("""
ابو ام بني عين بير كفر راس قصر خربه دير تل جبل وادي abu umm bani beni ain ayn ras bir khirbat deir dayr jabal
jebel wadi tall tel
""".split()))



# --- tokens -----------------------------------------------------------------------------------------------
@dataclass
class _Tok:
    raw: str
    norm: str
    start: int
    end: int
    sep_before: bool  # punctuation between this token and the previous one


@lru_cache(maxsize=200_000)
def _norm_token(raw: str) -> str:
    if raw.endswith(("'s", "’s")):
        raw = raw[:-2]
    if raw.isascii() and raw.lower() in LATIN_ARTICLES:
        return ""  # "al" / "el" / "ad" alone: an article, as inside multi-word names
    return normalize_name(raw)


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    prev_end = 0
    for raw, s, e in tokenize(text):
        gap = text[prev_end:s]
        sep = any(ch in _SEPARATORS or ch == "." for ch in gap) if out else False
        out.append(_Tok(raw, _norm_token(raw), s, e, sep))
        prev_end = e
    return out


@lru_cache(maxsize=200_000)
def _variants_cached(norm: str) -> tuple[tuple[str, float], ...]:
    return tuple(_variants(norm))


def _variants(norm: str) -> list[tuple[str, float]]:
    """Key forms of a first token: itself, then with Arabic clitics removed (slightly penalised)."""
    if not norm or not ("\u0600" <= norm[0] <= "\u06ff"):
        return [(norm, 1.0)]
    out = [(norm, 1.0)]
    for v in strip_ar_prefixes(norm)[1:]:
        v = strip_ar_article(v)
        if len(v) >= 2 and all(v != o for o, _ in out):
            out.append((v, 0.95))
    return out


_CLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "لل", "ولل", "فلل"})


def _is_latin(tok: str) -> bool:
    return bool(tok) and tok[0].isascii()



# --- parsing a mention --------------------------------------------------------------------------------------
def _direction_at(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """Compass direction starting at token ``i`` ("جنوب غرب", "south-west", "north eastern") and the
    number of tokens it uses."""
    def one(t: str) -> str | None:
        if t in _DIR_AR:
            return _DIR_AR[t]
        if t in _DIR_EN:
            return _DIR_EN[t]
        for v in strip_ar_prefixes(t)[1:]:  # "بشمال", "لجنوب"
            if v in _DIR_AR:
                return _DIR_AR[v]
        return None

    if i >= len(toks):
        return None, 0
    d1 = one(toks[i].norm)
    if not d1:
        return None, 0
    if i + 1 < len(toks):
        d2 = one(toks[i + 1].norm)
        if d2 and d1 in "NS" and d2 in "EW":
            return d1 + d2, 2
    return d1, 1


def _is_near_word(t: str) -> bool:
    if t in _NEAR_EN or t in _NEAR_AR:
        return True
    return any(v in _NEAR_AR for v in strip_ar_prefixes(t)[1:])


def _number(t: str) -> float | None:
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class _Parsed:
    head: list[_Tok]
    anchor: list[_Tok]
    context: list[list[_Tok]]
    direction: str | None
    distance_km: float | None
    relative: bool
    tail_start: int | None = None  # character offset of the second segment ("X في Y": where Y starts)


def _parse(toks: list[_Tok]) -> _Parsed:
    """Split a mention into the named place (head), a relative anchor and extra context segments."""
    # segments split by punctuation and by "in"/"في"
    segs: list[list[_Tok]] = [[]]
    for t in toks:
        if (t.sep_before or t.norm in _IN_WORDS) and segs[-1]:
            segs.append([])
        if t.norm in _IN_WORDS or t.norm in _REL_PRONOUNS:
            continue
        segs[-1].append(t)
    segs = [s for s in segs if s]
    tail_start = segs[1][0].start if len(segs) > 1 else None
    head: list[_Tok] = []
    anchor: list[_Tok] = []
    direction: str | None = None
    dist: float | None = None
    relative = False
    context: list[list[_Tok]] = []
    for si, seg in enumerate(segs):
        # find the first relative marker in the segment
        j = 0
        rel_at = -1
        while j < len(seg):
            n = seg[j].norm
            num = _number(n)
            if num is not None and j + 1 < len(seg) and seg[j + 1].norm in _DIST_UNITS:
                rel_at = j
                break
            d, _k = _direction_at(seg, j)
            if d or _is_near_word(n):
                rel_at = j
                break
            j += 1
        if rel_at < 0:
            if si == 0 or (not head and not anchor):
                head = seg
            else:
                context.append(seg)
            continue
        before, rest = seg[:rel_at], seg[rel_at:]
        # parse the relative part: [num unit] [direction] [near-word] [of/من] anchor [direction-adj]
        k = 0
        d_here: str | None = None
        while k < len(rest):
            n = rest[k].norm
            num = _number(n)
            if num is not None and k + 1 < len(rest) and rest[k + 1].norm in _DIST_UNITS:
                dist = num * _DIST_UNITS[rest[k + 1].norm]
                k += 2
                continue
            if n in _DIST_UNITS:
                k += 1
                continue
            d, used = _direction_at(rest, k)
            if d:
                d_here = d_here or d
                k += used
                continue
            if _is_near_word(n) or n in _LINK:
                k += 1
                continue
            break
        anc = rest[k:]
        # trailing direction adjective: "ريف دير الزور الشرقي", "Deir ez-Zor eastern countryside"
        while anc:
            d, _u = _direction_at(anc, len(anc) - 1)
            if d and len(anc) > 1:
                d_here = d_here or d
                anc = anc[:-1]
            elif _is_near_word(anc[-1].norm) and len(anc) > 1:
                anc = anc[:-1]
            else:
                break
        # a second relative phrase inside the anchor: "بادية تدمر شرقي حمص" (Palmyra's desert, east of
        # Homs), "Tadmur desert, east of Homs": the anchor ends before it; the rest is context
        for q in range(1, len(anc) - 1):
            if _direction_at(anc, q)[0] or _is_near_word(anc[q].norm):
                context.append(anc[q:])
                anc = anc[:q]
                break
        if si == 0 and before:
            head = before
            anchor = anc
        elif not head and not anchor:
            anchor = anc
        else:
            if before:
                context.append(before)  # "X في بلدة ذيبان شرق دير الزور": ذيبان is context too
            context.append(rest)  # keep the relative words: "east of X" says X's governorate, not X
            continue
        direction = direction or d_here
        relative = True
    # "Kirkuk countryside" / "Mosul outskirts": a near-word after the name
    if head and not anchor and len(head) > 1 and _is_near_word(head[-1].norm):
        anchor, head, relative = head[:-1], [], True
    return _Parsed(head, anchor, context, direction, dist, relative, tail_start)
