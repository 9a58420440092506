"""Alert digests: bilingual Markdown and JSON, every text from data escaped, written atomically.

A digest is a plain dict (what ``rasid watch`` and ``rasid alerts --format md|json`` produce): when it
was made, what the update fetched, what the store holds, and per actor the alerts with their evidence.
Markdown escapes every string that comes from data or from a server (place names, actor names, source
texts, error messages), so a hostile source text cannot inject links, HTML or layout; links are written
only for http(s) URLs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from rasid.events.actors import actor_label, canonical_actor
from rasid.events.fetch import atomic_write
from rasid.report.format import Formatter

__all__ = ["md_escape", "md_link", "alerts_section", "digest_markdown", "digest_json", "write_digest",
           "alerts_payload"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_KIND_LABEL = {
    "new_hotspot": ("new hot spot", "بؤرة ساخنة جديدة"), "intensifying": ("intensifying", "تصاعد"),
    "spread": ("spread", "امتداد"), "forecast_exceedance": ("above forecast", "فوق التوقع"),
    "lethality": ("deadlier", "أشد دموية"),
}


def md_escape(value: object) -> str:
    """Text safe inside Markdown: one line, HTML characters as entities, Markdown punctuation backslashed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(label: str, url: object) -> str:
    """``[label](url)`` for an http(s) URL (percent-encoded so it cannot break out), else the escaped label."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/?#]+", url.strip(), re.IGNORECASE):
        return md_escape(label)
    safe = quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._").replace("(", "%28").replace(")", "%29")
    return f"[{md_escape(label)}]({safe})"


def alerts_payload(df: pd.DataFrame) -> dict:
    """One actor's alerts as JSON-ready data (attrs included)."""
    items = []
    for r in df.to_dict("records"):
        item = {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
        for k in ("events", "deaths", "baseline_events", "baseline_deaths", "n_evidence"):
            if item.get(k) is not None:
                item[k] = int(item[k])
        items.append(item)
    return {**{k: v for k, v in df.attrs.items()}, "alerts": items}


def _evidence_md(ev: dict, lang: str) -> str:
    f = Formatter(lang, "arabic" if lang == "ar" else "latin")
    bits = [f.date(ev.get("date")), md_escape(ev.get("location"))]
    who = " – ".join(md_escape(x) for x in (ev.get("actor1"), ev.get("actor2")) if x)
    if who:
        bits.append(who)
    if ev.get("deaths_best") is not None:
        n = int(ev["deaths_best"])
        bits.append(f"{n:,} death{'' if n == 1 else 's'}" if lang == "en" else f"القتلى: {f.num(n)}")
    src = f"{ev.get('source') or ''} {ev.get('source_version') or ''}".strip()
    line = ("; " if lang == "en" else "؛ ").join(b for b in bits if b)
    text = ev.get("source_text")
    quote_ = f" — {md_escape(text[:240] + ('…' if len(text) > 240 else ''))}" if text else ""
    link = f" ({md_link('link' if lang == 'en' else 'رابط', ev.get('source_url'))})" if ev.get("source_url") else ""
    return f"{line} [{md_escape(src)}]{quote_}{link}"


def alerts_section(payload: dict, lang: str) -> str:
    """The Markdown of one actor's alerts in one language."""
    f = Formatter(lang, "arabic" if lang == "ar" else "latin")
    aid = canonical_actor(payload.get("actor")) if payload.get("actor") else None
    who = actor_label(aid, lang) if aid else ("all actors" if lang == "en" else "جميع الأطراف")
    month = f.month(pd.Timestamp(payload["as_of"])) if payload.get("as_of") else ""
    unit = {"admin1": ("governorates", "المحافظات"), "admin2": ("districts", "الأقضية والمناطق")}.get(
        payload.get("unit"), (payload.get("unit"), payload.get("unit")))
    where = ", ".join(payload.get("countries") or [])
    if lang == "en":
        head = f"### {md_escape(who)}: {md_escape(month)} ({md_escape(where)}, {unit[0]})"
        none = "No alert: nothing in the latest month crossed a threshold."
        ev_head = "Evidence"
    else:
        head = f"### {md_escape(who)}: {md_escape(month)} ({md_escape(where)}، {unit[1]})"
        none = "لا تنبيهات: لم يتجاوز أي تغيير في الشهر الأخير العتبات المحددة."
        ev_head = "الأدلة"
    lines = [head, ""]
    items = payload.get("alerts") or []
    if not items:
        lines.append(none)
    for i, a in enumerate(items, 1):
        label = _KIND_LABEL.get(a["kind"], (a["kind"], a["kind"]))[0 if lang == "en" else 1]
        place = a.get("unit_en") if lang == "en" else (a.get("unit_ar") or a.get("unit_en"))
        text = a.get("text_en") if lang == "en" else a.get("text_ar")
        sep = ", " if lang == "en" else "، "
        month = f.month(pd.Timestamp(a["month"])) if a.get("month") else ""
        lines.append(f"{i}. **{md_escape(place)}** ({md_escape(label)}{sep}{md_escape(month)}): {md_escape(text)}")
        evidence = a.get("evidence") or []
        if evidence:
            more = (a.get("n_evidence") or len(evidence)) - len(evidence)
            tail = (f" (+{more} more)" if lang == "en" else f" (و{f.num(more)} غيرها)") if more > 0 else ""
            lines.append(f"   {ev_head}{tail}:")
            lines += [f"   - {_evidence_md(e, lang)}" for e in evidence]
    for note in payload.get("notes") or []:
        lines.append(f"\n_{md_escape(note)}_")
    return "\n".join(lines) + "\n"


def digest_markdown(digest: dict) -> str:
    """The whole digest, English then Arabic (right to left)."""
    when = md_escape(digest.get("generated_at", ""))
    en = [f"# rasid digest, {when}", ""]
    ar = ['<div dir="rtl" lang="ar">', "", f"# موجز راصد، {when}", ""]
    upd = digest.get("update")
    if upd:
        en.append("## Update")
        ar.append("## التحديث")
        for r in upd.get("summaries", []):
            en.append(f"- {md_escape(r)}")
            ar.append(f"- {md_escape(r)}")
        for n in upd.get("notes", []):
            en.append(f"- {md_escape(n)}")
            ar.append(f"- {md_escape(n)}")
        if upd.get("error"):
            en.append(f"- **error**: {md_escape(upd['error'])}")
            ar.append(f"- **خطأ**: {md_escape(upd['error'])}")
        en.append("")
        ar.append("")
    data = digest.get("data") or []
    if data:
        en.append("## Data")
        ar.append("## البيانات")
        for d in data:
            line = (f"{md_escape(d.get('source'))}: {int(d.get('rows', 0)):,} events, "
                    f"{md_escape(d.get('min_date'))}..{md_escape(d.get('max_date'))} "
                    f"({md_escape(', '.join(map(str, d.get('versions') or [])))})")
            en.append(f"- {line}")
            ar.append(f"- {line}")
        en.append("")
        ar.append("")
    en.append("## Alerts")
    ar.append("## التنبيهات")
    for p in digest.get("alerts", []):
        en += ["", alerts_section(p, "en")]
        ar += ["", alerts_section(p, "ar")]
    for e in digest.get("errors", []):
        en.append(f"- **error**: {md_escape(e)}")
        ar.append(f"- **خطأ**: {md_escape(e)}")
    ar += ["", "</div>"]
    return "\n".join(en) + "\n\n" + "\n".join(ar) + "\n"


def digest_json(digest: dict) -> str:
    """The digest as UTF-8 JSON (Arabic kept readable)."""
    return json.dumps(digest, ensure_ascii=False, indent=2, default=str) + "\n"


def write_digest(digest: dict, out_dir: str | Path, stamp: str) -> list[Path]:
    """Write ``digest-<stamp>.json`` / ``.md`` and refresh ``latest.json`` / ``latest.md``, each atomically."""
    out = Path(out_dir).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a process killed mid-write
        stale.unlink(missing_ok=True)
    js, md = digest_json(digest).encode("utf-8"), digest_markdown(digest).encode("utf-8")
    paths = [out / f"digest-{stamp}.json", out / f"digest-{stamp}.md"]
    atomic_write(paths[0], js)
    atomic_write(paths[1], md)
    atomic_write(out / "latest.json", js)
    atomic_write(out / "latest.md", md)
    return paths
