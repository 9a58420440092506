"""Rendering of a :class:`BriefData`: template context, charts, map, and the HTML / Markdown / PDF files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from rasid.errors import ReportError
from rasid.events.actors import actor_label
from rasid.geo.units import unit_frame
from rasid.report.arabic import FONT_FAMILY, font_face_css, has_arabic
from rasid.report.assets import citations, data_uri, template_env
from rasid.report.charts import Chart, fan_chart, monthly_chart, shares_chart
from rasid.report.format import Formatter
from rasid.report.judgements import key_judgements, why_summary
from rasid.report.likelihood import scale as likelihood_scale
from rasid.report.maps import focus_map, hotspot_map
from rasid.report.pdf import html_to_pdf
from rasid.report.places import BEARINGS, ar_spelling, site_name
from rasid.report.safety import CSP, MdRaw, safe_url
from rasid.report.sources import article_line

# short chart and map labels (not sentences: the sentences live in the templates)
_LABELS = {
    "en": {"events": "events", "deaths": "deaths", "monthly_title": "Events and deaths per month",
           "baseline": "baseline", "window": "window", "share_axis": "share of the actor's located events",
           "shares_title": "Share of events before and during the window", "share": "share of events in the window",
           "rising": "significant rise in share (q < 0.05)", "focus_title": "Share of the actor's located events by district",
           "no_pattern": "no pattern detected",
           "hotspot_title": "Emerging hot spot pattern by district", "no_data": "no data",
           "no_events": "no events in the window", "grid_title": "Share of the actor's located events by grid cell",
           "fan_title": "Monthly {measure} and the forecast", "observed": "observed", "fan_mean": "forecast mean",
           "interval": "{pct} interval"},
    "ar": {"events": "الأحداث", "deaths": "القتلى", "monthly_title": "الأحداث والقتلى شهرياً",
           "baseline": "فترة المقارنة", "window": "فترة التقرير", "share_axis": "الحصة من أحداث التنظيم محددة الموقع",
           "shares_title": "حصة كل منطقة من الأحداث قبل فترة التقرير وخلالها",
           "share": "الحصة من الأحداث خلال فترة التقرير", "rising": "ارتفاع دالّ إحصائياً في الحصة",
           "focus_title": "حصة كل قضاء أو منطقة من أحداث التنظيم محددة الموقع", "no_pattern": "لا نمط واضحاً", "hotspot_title": "أنماط البؤر الساخنة الناشئة حسب القضاء أو المنطقة",
           "no_data": "لا بيانات", "no_events": "لا أحداث خلال فترة التقرير",
           "grid_title": "حصة كل خلية من أحداث التنظيم محددة الموقع",
           "fan_title": "{measure} شهرياً والتوقعات", "observed": "المرصود", "fan_mean": "متوسط التوقع",
           "interval": "مجال {pct}"},
}
_HOTSPOT_AR = {
    "new hot spot": "بؤرة ساخنة جديدة", "consecutive hot spot": "بؤرة ساخنة متتالية",
    "intensifying hot spot": "بؤرة ساخنة متصاعدة", "persistent hot spot": "بؤرة ساخنة مستمرة",
    "diminishing hot spot": "بؤرة ساخنة متراجعة", "sporadic hot spot": "بؤرة ساخنة متقطعة",
    "oscillating hot spot": "بؤرة ساخنة متذبذبة", "historical hot spot": "بؤرة ساخنة سابقة", "hot spot": "بؤرة ساخنة",
    "new cold spot": "بؤرة باردة جديدة", "consecutive cold spot": "بؤرة باردة متتالية",
    "intensifying cold spot": "بؤرة باردة متزايدة", "persistent cold spot": "بؤرة باردة مستمرة",
    "diminishing cold spot": "بؤرة باردة متراجعة", "sporadic cold spot": "بؤرة باردة متقطعة",
    "oscillating cold spot": "بؤرة باردة متذبذبة", "historical cold spot": "بؤرة باردة سابقة", "cold spot": "بؤرة باردة",
}
_FONT_STACK = f'"{FONT_FAMILY}", "Rasid Latin", sans-serif'


_NUMBER = re.compile(r"([+\-\u2212]?)(\d+(?:\.\d+)?)([%\u066a]?)")


def _verdict(backtest: dict | None, lang: str, fmt: Formatter) -> str:
    """The scorecard's one-line verdict in the language, its numbers written by the brief's formatter."""
    text = ((backtest or {}).get("verdict") or {}).get(lang) or ""

    def number(m: re.Match) -> str:
        sign, digits, pct = m.groups()
        v = float(digits) * (-1 if sign in ("-", "\u2212") else 1)
        if pct:
            return fmt.signed_pct(v / 100, 0) if sign else fmt.pct(v / 100, 0)
        return fmt.num(v)
    return _NUMBER.sub(number, text)


def _name(row: dict | pd.Series, lang: str, col: str = "unit") -> str:
    """A place's name in the language (Arabic in its standard hamza spelling), English as fallback."""
    ar, en = row.get(f"{col}_ar"), row.get(f"{col}_en")
    if lang == "ar" and isinstance(ar, str) and ar:
        return ar_spelling(ar)
    return en if isinstance(en, str) else ""


def _records(df: pd.DataFrame | None) -> list[dict]:
    """DataFrame rows as dicts (NaN kept as NaN; the formatter shows a dash)."""
    if df is None or len(df) == 0:
        return []
    return pd.DataFrame(df).drop(columns="geometry", errors="ignore").to_dict("records")


def _map_places(data, lang: str) -> pd.DataFrame:
    """The places the brief discusses, as map labels: top places (and grid cells by their nearest town)."""
    rows = []
    for r in _records(data.top):
        name = _name(r, lang)
        info = (getattr(data, "places", None) or {}).get(str(r["unit_code"]), {})
        loc = info.get("locator") or {}
        x = info.get("lon", float("nan")) if data.unit == "grid" else float("nan")
        y = info.get("lat", float("nan")) if data.unit == "grid" else float("nan")
        if data.unit == "grid" and loc:
            town = loc["town_ar"] if lang == "ar" else loc["town_en"]
            name = town if loc.get("near") else (f"{town} ({_BEARING_AR[loc['bearing']] if lang == 'ar' else loc['bearing']})")
        rows.append({"unit_code": r["unit_code"], "label": name, "short": name, "x": x, "y": y})
    return pd.DataFrame(rows, columns=["unit_code", "label", "short", "x", "y"])


def _charts(data, lang: str, fmt: Formatter) -> dict[str, Chart]:
    """The monthly and shares charts and the map, in the language."""
    lab = _LABELS[lang]
    top = data.top
    out: dict[str, Chart] = {}
    if len(top):
        places = [(r["unit_code"], _name(r, lang)) for r in _records(top)]
        out["monthly"] = monthly_chart(data.tables["monthly"], places,
                                       {"events": lab["events"], "deaths": lab["deaths"],
                                        "title": lab["monthly_title"], "window": lab["window"]}, fmt,
                                       window_start=data.window[0])
        rows = pd.DataFrame({"name": [p[1] for p in places], "baseline_share": top["baseline_share"].to_numpy(),
                             "share": top["share"].to_numpy()})
        out["shares"] = shares_chart(rows, {"baseline": lab["baseline"], "window": lab["window"],
                                            "axis": lab["share_axis"], "title": lab["shares_title"]}, fmt)
        fc = data.tables.get("forecast")
        if fc is not None and len(fc) and {"q25", "q75"} <= set(fc.columns):
            deaths = getattr(getattr(data, "spec", None), "measure", "events") == "deaths_best"
            out["fan"] = fan_chart(data.tables["monthly"], fc, places,
                                   {"title": lab["fan_title"].format(measure=lab["deaths" if deaths else "events"]),
                                    "observed": lab["observed"], "mean": lab["fan_mean"],
                                    "band50": lab["interval"].format(pct=fmt.pct(0.5, 0)),
                                    "band90": lab["interval"].format(pct=fmt.pct(0.9, 0))}, fmt,
                                   measure="deaths_best" if deaths else "events")
    units = unit_frame(data.unit, data.countries)
    admin1 = unit_frame("admin1", data.countries)
    places = _map_places(data, lang)
    focus = data.tables.get("focus")
    if focus is not None and len(focus):
        alpha = float(focus.attrs.get("alpha", 0.05))
        rising = (focus["q_value"] < alpha) & (focus["location_quotient"] > 1)
        out["map"] = focus_map(units, admin1, focus[["unit_code", "share"]].assign(rising=rising.to_numpy()),
                               {"title": lab["grid_title" if data.unit == "grid" else "focus_title"],
                                "share": lab["share"], "rising": lab["rising"], "none": lab["no_events"]}, fmt,
                               places=places)
    hs = data.tables.get("hotspots")
    if hs is not None and len(hs) and "pattern" in hs:
        pat = hs["pattern"].astype(str)
        shown = pat.map(_HOTSPOT_AR).fillna(pat) if lang == "ar" else pat
        out["hotspots"] = hotspot_map(units, admin1, pd.DataFrame({"unit_code": hs["unit_code"], "pattern": pat,
                                                                    "pattern_label": shown}),
                                      {"title": lab["hotspot_title"], "none": lab["no_pattern"]}, fmt, places=places)
    return out


def _flat_params(params: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Nested query parameters as (name, value) rows for the appendix table (never a raw JSON dump)."""
    rows: list[tuple[str, str]] = []
    for k, v in params.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            rows += _flat_params(v, name + ".")
        elif isinstance(v, list | tuple):
            rows.append((name, ", ".join(str(x) for x in v)))
        else:
            rows.append((name, str(v)))
    return rows


def _pairs(rows: list[tuple[str, str]]) -> list[tuple]:
    """Rows laid out two per line (name, value, name, value): the parameter table takes half the height."""
    half = -(-len(rows) // 2)
    left, right = rows[:half], rows[half:] + [("", "")] * (2 * half - len(rows))
    return [(*a, *b) for a, b in zip(left, right, strict=True)]


def _prefer_language(items: list[dict], lang: str, key: str = "quote") -> list[dict]:
    """Quotes in the brief's language first; in an Arabic brief only Arabic ones when any exist."""
    ar = [e for e in items if has_arabic(str(e.get(key) or ""))]
    other = [e for e in items if not has_arabic(str(e.get(key) or ""))]
    if lang == "ar":
        return ar or other
    return other + ar


def _place_label(code: str, sites: dict, lang: str) -> dict:
    """Sites and locator of one place in the brief's language (names fall back to the source's Latin)."""
    info = sites.get(str(code))
    if not info:
        return {}
    shown = []
    for st in info["sites"]:
        name = st["ar"] if lang == "ar" and st.get("ar") else st["en"]
        shown.append({"name": name, "latin": lang == "ar" and not st.get("ar"), "events": st["events"]})
    loc = info.get("locator") or {}
    if loc and loc.get("near") and any(st["en"] == loc["town_en"] or st.get("ar") == loc["town_ar"]
                                       for st in info["sites"]):
        loc = {}  # "Damascus, in or near Damascus" says nothing
    if loc:
        loc = {**loc, "town": loc["town_ar"] if lang == "ar" else loc["town_en"],
               "bearing_word": (_BEARING_AR if lang == "ar" else _BEARING_EN)[loc["bearing"]]}
    return {"sites": shown, "site_events": info["site_events"], "events": info["events"], "locator": loc}


_BEARING_EN = {b: b for b in BEARINGS}
_BEARING_AR = dict(zip(BEARINGS, ("شمال", "شمال شرق", "شرق", "جنوب شرق", "جنوب", "جنوب غرب", "غرب", "شمال غرب"),
                       strict=True))


def _context(data, lang: str, fmt: Formatter, charts: dict[str, Chart], images: dict[str, str]) -> dict:
    """Everything the templates see."""
    sites = getattr(data, "places", None) or {}
    top = _records(data.top)
    grid_names = {}
    if data.unit == "grid":  # a cell is named by its nearest town: "Hajin (cell 179722)"
        for _, g in _map_places(data, lang).iterrows():
            cell = fmt.digits_of(g["unit_code"])
            grid_names[g["unit_code"]] = f"{g['label']} (الخلية {cell})" if lang == "ar" else f"{g['label']} (cell {cell})"
    for r in top:
        r["name"], r["gov"] = grid_names.get(r["unit_code"]) or _name(r, lang), _name(r, lang, "admin1")
        r["where"] = _place_label(r["unit_code"], sites, lang)
    names = {r["unit_code"]: r["name"] for r in top}
    focus = data.tables.get("focus")
    all_names = {}
    if focus is not None and len(focus):
        all_names = {c: _name(r, lang) for c, r in zip(focus["unit_code"], _records(focus), strict=True)}
    all_names.update(names)
    site_ar = {st["en"]: st["ar"] for info in sites.values() for st in info.get("sites", []) if st.get("ar")}
    attacks = _records(data.tables.get("attacks"))
    for r in attacks:
        r["place"], r["gov"] = _name(r, lang, "admin2") or str(r.get("location") or ""), _name(r, lang, "admin1")
        site = site_name(r.get("location"))
        site = site if site and site != _name(r, "en", "admin2") else ""
        # the Arabic name the top place's sites use, else the one found at the attack's own coordinates
        own = r.get("site_ar") if isinstance(r.get("site_ar"), str) else ""
        r["site"] = ((site_ar.get(site) or own or site) if site else "") if lang == "ar" else site
        r["site_latin"] = bool(site) and not has_arabic(r["site"])
        r["opponent"] = actor_label(r.get("opponent_id"), lang) if r.get("opponent_id") else ""
        r["article"] = article_line(r.get("source_text"))
        r["article_ar"] = has_arabic(r["article"] or "")
        r["url"] = safe_url(r.get("source_url"))
        r["ref_is_url"] = r.get("source_ref") == r.get("source_url") and r["url"] is not None
    has_range = any(_differs(a.get("killed_low"), a.get("killed_high")) for a in attacks)
    has_wounded = any(not _missing(a.get("wounded")) for a in attacks)
    fc = _records(data.tables.get("forecast"))
    for r in fc:
        r["name"] = names.get(r.get("unit_code"), r.get("unit_code"))
    calendar = _records(data.tables.get("calendar"))
    for c in calendar:
        c["url"] = safe_url(c.get("source_url"))
    quotes: dict[str, list[dict]] = {}
    for r in _records(data.tables.get("place_sources")):
        r["url"] = safe_url(r.get("source_url"))
        quotes.setdefault(r["unit_code"], []).append(r)
    exp = data.explanation
    why = why_summary(exp)
    if exp:
        why_places = {p["unit_code"]: p for p in (why or {}).get("places", [])}
        for p in exp.get("places", []):
            p["name"] = names.get(p.get("unit_code")) or _name(p, lang)
            p["quotes"] = quotes.get(p.get("unit_code"), [])
            p["why"] = why_places.get(p.get("unit_code"), {})
            ev = []
            for o in p.get("objectives", []) or []:
                ev += [{**e, "objective": o.get("objective")} for e in o.get("evidence", []) or []]
            for obj, items in (p.get("text_only_evidence") or {}).items():
                ev += [{**e, "objective": obj} for e in items]
            for e in ev:
                e["url"] = safe_url(e.get("url"))
            p["evidence_shown"] = _prefer_language(ev, lang)[:4]
    judgements = key_judgements(data)
    for j in judgements:
        for key in ("unit_code",):
            if j.get(key):
                j["name"] = all_names.get(j[key], j[key])
        if j.get("away"):
            j["away"]["name"] = all_names.get(j["away"]["unit_code"], j["away"]["unit_code"])
        if j.get("best"):
            j["best"]["name"] = all_names.get(j["best"]["unit_code"], j["best"]["unit_code"])
    counts = {}
    if focus is not None and len(focus):
        counts = focus["label"].value_counts().to_dict()
    return {
        "d": data, "lang": lang, "top": top, "attacks": attacks, "has_range": has_range, "has_wounded": has_wounded,
        "forecast": fc, "calendar": calendar, "counts": counts, "explanation": exp, "why": why, "quotes": quotes,
        "judgements": judgements, "scale": [b.to_dict() for b in likelihood_scale()],
        "backtest": data.backtest, "verdict": _verdict(data.backtest, lang, fmt),
        "missing": data.missing, "images": images,
        "alts": {k: c.alt for k, c in charts.items()}, "citations": citations(), "csp": CSP,
        "params_json": json.dumps({"params": data.params, "data_versions": data.data_versions}, ensure_ascii=False,
                                  default=str),
        "params_rows": _flat_params(data.params),
        "params_pairs": _pairs(_flat_params(data.params)),
        "actor_name": data.actor_label.get(lang, data.actor), "font_stack": _FONT_STACK,
        "page_counter": "arabic-indic" if fmt.arabic_digits else "decimal",
        "countries_names": [_COUNTRY[lang].get(c, c) for c in data.countries],
    }


def _missing(x: object) -> bool:
    """None or NaN/NA."""
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _differs(a: object, b: object) -> bool:
    """Both bounds known and different (a real range)."""
    return not _missing(a) and not _missing(b) and float(a) != float(b)


_COUNTRY = {"en": {"IQ": "Iraq", "SY": "Syria"}, "ar": {"IQ": "العراق", "SY": "سوريا"}}


def _render_template(name: str, ctx: dict, fmt: Formatter) -> str:
    """Render one template with the formatter's filters (Markdown templates escape every printed value)."""
    env = template_env(fmt, markdown=name.endswith(".md.j2"))
    return env.get_template(name).render(**ctx, f=fmt)


def write(data, lang: str, formats: list[str], out: Path, stem: str, digits: str, *, charts: bool = True) -> list[Path]:
    """Render and write the requested formats; returns the paths written."""
    paths: list[Path] = []
    fmt_html = Formatter(lang, digits, isolate=True)  # numbers kept whole in RTL text
    charts = _charts(data, lang, Formatter(lang, digits)) if charts else {}  # no bidi controls in matplotlib text
    if "html" in formats or "pdf" in formats:
        ctx = _context(data, lang, fmt_html, charts, {k: data_uri(c.png) for k, c in charts.items()})
        body = _render_template(f"brief.{lang}.html.j2", {**ctx, "font_css": ""}, fmt_html)
        html = body.replace("/*FONTS*/", font_face_css(body))
        if "html" in formats:
            p = out / f"{stem}.html"
            p.write_text(html, encoding="utf-8")
            paths.append(p)
        if "pdf" in formats:
            p = out / f"{stem}.pdf"
            html_to_pdf(html, p)
            paths.append(p)
    if "md" in formats:
        fmt_md = Formatter(lang, digits, isolate=True)
        images = {}
        for k, c in charts.items():
            img = out / f"{stem}_{k}.png"
            img.write_bytes(c.png)
            images[k] = MdRaw(img.name)
        ctx = _context(data, lang, fmt_md, charts, images)
        p = out / f"{stem}.md"
        p.write_text(_render_template(f"brief.{lang}.md.j2", ctx, fmt_md), encoding="utf-8")
        paths.append(p)
    if not paths:
        raise ReportError(f"nothing rendered for formats {formats}")
    return paths
