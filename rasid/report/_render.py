"""Rendering of a :class:`BriefData`: template context, charts, map, and the HTML / Markdown / PDF files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from rasid.errors import ReportError
from rasid.events.actors import actor_label
from rasid.geo.units import unit_frame
from rasid.report.arabic import font_face_css
from rasid.report.assets import citations, data_uri, template_env
from rasid.report.charts import Chart, monthly_chart, shares_chart
from rasid.report.format import Formatter
from rasid.report.maps import focus_map, hotspot_map
from rasid.report.pdf import html_to_pdf
from rasid.report.sources import article_line

# short chart and map labels (not sentences: the sentences live in the templates)
_LABELS = {
    "en": {"events": "events", "deaths": "deaths", "monthly_title": "Events and deaths per month",
           "baseline": "baseline", "window": "window", "share_axis": "share of the actor's located events",
           "shares_title": "Share of events before and during the window", "share": "share of events in the window",
           "rising": "significant rise in share (q < 0.05)", "focus_title": "Share of the actor's located events by district",
           "no_pattern": "no pattern detected",
           "hotspot_title": "Emerging hot spot pattern by district", "no_data": "no data"},
    "ar": {"events": "الأحداث", "deaths": "القتلى", "monthly_title": "الأحداث والقتلى شهرياً",
           "baseline": "فترة المقارنة", "window": "فترة التقرير", "share_axis": "الحصة من أحداث التنظيم محددة الموقع",
           "shares_title": "حصة كل منطقة من الأحداث قبل فترة التقرير وخلالها",
           "share": "الحصة من الأحداث خلال فترة التقرير", "rising": "ارتفاع دالّ إحصائياً في الحصة",
           "focus_title": "حصة كل قضاء أو منطقة من أحداث التنظيم محددة الموقع", "no_pattern": "لا نمط واضحاً", "hotspot_title": "أنماط البؤر الساخنة الناشئة حسب القضاء أو المنطقة",
           "no_data": "لا بيانات"},
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
_FONT_STACK = '"Noto Sans Arabic", "Rasid Latin", sans-serif'


def _name(row: dict | pd.Series, lang: str, col: str = "unit") -> str:
    """A place's name in the language, English as fallback."""
    ar, en = row.get(f"{col}_ar"), row.get(f"{col}_en")
    if lang == "ar" and isinstance(ar, str) and ar:
        return ar
    return en if isinstance(en, str) else ""


def _records(df: pd.DataFrame | None) -> list[dict]:
    """DataFrame rows as dicts (NaN kept as NaN; the formatter shows a dash)."""
    if df is None or len(df) == 0:
        return []
    return pd.DataFrame(df).drop(columns="geometry", errors="ignore").to_dict("records")


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
    if data.unit not in ("admin1", "admin2"):
        return out
    admin2, admin1 = unit_frame(data.unit, data.countries), unit_frame("admin1", data.countries)
    focus = data.tables.get("focus")
    if focus is not None and len(focus):
        alpha = float(focus.attrs.get("alpha", 0.05))
        rising = (focus["q_value"] < alpha) & (focus["location_quotient"] > 1)
        out["map"] = focus_map(admin2, admin1, focus[["unit_code", "share"]].assign(rising=rising.to_numpy()),
                               {"title": lab["focus_title"], "share": lab["share"], "rising": lab["rising"]}, fmt)
    hs = data.tables.get("hotspots")
    if hs is not None and len(hs) and "pattern" in hs:
        pat = hs["pattern"].astype(str)
        shown = pat.map(_HOTSPOT_AR).fillna(pat) if lang == "ar" else pat
        out["hotspots"] = hotspot_map(admin2, admin1, pd.DataFrame({"unit_code": hs["unit_code"], "pattern": pat,
                                                                    "pattern_label": shown}),
                                      {"title": lab["hotspot_title"], "none": lab["no_pattern"]}, fmt)
    return out


def _context(data, lang: str, fmt: Formatter, charts: dict[str, Chart], images: dict[str, str]) -> dict:
    """Everything the templates see."""
    top = _records(data.top)
    for r in top:
        r["name"], r["gov"] = _name(r, lang), _name(r, lang, "admin1")
    attacks = _records(data.tables.get("attacks"))
    for r in attacks:
        r["place"], r["gov"] = _name(r, lang, "admin2") or str(r.get("location") or ""), _name(r, lang, "admin1")
        r["opponent"] = actor_label(r.get("opponent_id"), lang) if r.get("opponent_id") else ""
        r["article"] = article_line(r.get("source_text"))
    names = {r["unit_code"]: r["name"] for r in top}
    fc = _records(data.tables.get("forecast"))
    for r in fc:
        r["name"] = names.get(r.get("unit_code"), r.get("unit_code"))
    calendar = _records(data.tables.get("calendar"))
    quotes: dict[str, list[dict]] = {}
    for r in _records(data.tables.get("place_sources")):
        quotes.setdefault(r["unit_code"], []).append(r)
    exp = data.explanation
    if exp:
        for p in exp.get("places", []):
            p["name"] = names.get(p.get("unit_code")) or _name(p, lang)
            p["quotes"] = quotes.get(p.get("unit_code"), [])
            p["drivers"] = [o for o in p.get("objectives", []) if o.get("kind") != "control" and (o.get("share") or 0) > 0]
    focus = data.tables.get("focus")
    counts = {}
    if focus is not None and len(focus):
        counts = focus["label"].value_counts().to_dict()
    return {
        "d": data, "lang": lang, "top": top, "attacks": attacks, "forecast": fc, "calendar": calendar,
        "counts": counts, "explanation": exp, "quotes": quotes, "backtest": data.backtest, "missing": data.missing,
        "images": images, "alts": {k: c.alt for k, c in charts.items()}, "citations": citations(),
        "params_json": json.dumps({"params": data.params, "data_versions": data.data_versions}, ensure_ascii=False,
                                  default=str),
        "actor_name": data.actor_label.get(lang, data.actor), "font_stack": _FONT_STACK,
        "page_counter": "arabic-indic" if fmt.arabic_digits else "decimal",
        "countries_names": [_COUNTRY[lang].get(c, c) for c in data.countries],
    }


_COUNTRY = {"en": {"IQ": "Iraq", "SY": "Syria"}, "ar": {"IQ": "العراق", "SY": "سوريا"}}


def _render_template(name: str, ctx: dict, fmt: Formatter) -> str:
    """Render one template with the formatter's filters."""
    env = template_env(fmt)
    return env.get_template(name).render(**ctx, f=fmt)


def write(data, lang: str, formats: list[str], out: Path, stem: str, digits: str) -> list[Path]:
    """Render and write the requested formats; returns the paths written."""
    paths: list[Path] = []
    fmt_html = Formatter(lang, digits, isolate=True)  # signed values kept whole in RTL text
    charts = _charts(data, lang, fmt_html)
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
            images[k] = img.name
        ctx = _context(data, lang, fmt_md, charts, images)
        p = out / f"{stem}.md"
        p.write_text(_render_template(f"brief.{lang}.md.j2", ctx, fmt_md), encoding="utf-8")
        paths.append(p)
    if not paths:
        raise ReportError(f"nothing rendered for formats {formats}")
    return paths
