// A place's panel: focus figures with CIs, emerging hot spot class, monthly series, forecast fan, explanation, events.
// Every text that comes from data or news is set with textContent; links only for http(s) URLs.
import * as api from "./api.js";
import { fanChart, seriesChart } from "./charts.js";
import * as i18n from "./i18n.js";

const t = i18n.t;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function section(title, id) {
  const s = el("section", { id });
  s.append(el("h3", { text: title }));
  return s;
}

function ci(lo, hi, f = i18n.ratio) {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return "";
  return ` [${f(lo)}–${f(hi)}]`;
}

function status(node, text, cls = "note") {
  const p = el("p", { class: cls, text });
  node.append(p);
  return p;
}

function figures(rows) {
  const dl = el("dl", { class: "figures" });
  for (const [k, v] of rows) dl.append(el("dt", { text: k }), el("dd", { text: v }));
  return dl;
}

function link(url, text) {
  const href = api.safeUrl(url);
  if (!href) return document.createTextNode(text);
  return el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text });
}

export class Panel {
  constructor(ctx) {
    this.ctx = ctx;   // {state, actorLabel(id), units: {code: props}, focusRow(code), series, view params}
    this.body = document.getElementById("panel-body");
    this.hint = document.getElementById("panel-hint");
    this.token = 0;
  }

  close() {
    this.token++;
    this.body.hidden = true;
    this.body.replaceChildren();
    this.hint.hidden = false;
  }

  async open(code) {
    const tok = ++this.token;
    const ctx = this.ctx;
    const p = ctx.units[code];
    if (!p) return this.close();
    this.hint.hidden = true;
    this.body.hidden = false;
    this.body.replaceChildren();
    this.body.dataset.code = code;
    const head = el("div", { class: "head" });
    const names = el("div", {}, el("h2", { id: "place-name", text: i18n.placeName(p) }));
    const sub = [];
    if (ctx.state.unit === "admin2") sub.push(`${t("governorate")}: ${i18n.placeName(p, "admin1")}`);
    sub.push(t(`country_${p.country}`, p.country));
    names.append(el("p", { class: "sub", text: sub.join(" · ") }));
    const close = el("button", { type: "button", class: "secondary", id: "panel-close", text: t("close") });
    close.addEventListener("click", () => ctx.onClose());
    head.append(names, close);
    this.body.append(head);

    this.focusSection(code);
    const em = section(t("emerging"), "panel-emerging");
    this.body.append(em);
    const ser = section(t("series"), "panel-series");
    this.body.append(ser);
    const fc = section(t("forecast"), "panel-forecast");
    this.body.append(fc);
    const ex = section(t("explanation"), "panel-explain");
    this.body.append(ex);
    const evs = section(t("events_list"), "panel-events");
    this.body.append(evs);

    this.seriesSection(ser, code);
    this.explainSection(ex, code, tok);
    this.eventsSection(evs, code, tok, 0);
    this.emergingSection(em, code, tok);
    this.forecastSection(fc, code, tok);
  }

  focusSection(code) {
    const s = section(t("focus"), "panel-focus");
    this.body.append(s);
    const r = this.ctx.focusRow(code);
    if (!r) { status(s, this.ctx.focusError || t("legend_nodata")); return; }
    s.append(figures([
      [t("events"), i18n.num(r.events)],
      [t("deaths"), i18n.num(r.deaths)],
      [t("share"), i18n.pct(r.share)],
      [t("baseline_share"), `${i18n.pct(r.baseline_share)} (${t("baseline_events")}: ${i18n.num(r.baseline_events)})`],
      [t("lq"), `${i18n.ratio(r.location_quotient)}${ci(r.lq_low, r.lq_high)}`],
      [t("rate_ratio"), `${i18n.ratio(r.rate_ratio)}${ci(r.rr_low, r.rr_high)}`],
      [t("q_value"), i18n.pval(r.q_value)],
      [t("focus_label"), t(`label_${r.label}`, r.label)],
    ]));
    s.append(el("p", { class: "note", text: `[…] = ${t("ci95")}` }));
  }

  async emergingSection(s, code, tok) {
    const wait = status(s, t("computing"));
    try {
      const rows = await this.ctx.emerging();
      if (tok !== this.token) return;
      wait.remove();
      const r = rows.find((x) => x.unit_code === code);
      if (!r) { status(s, t("legend_nodata")); return; }
      const cls = r.pattern.includes("hot") ? "tag hot" : r.pattern.includes("cold") ? "tag cold" : "tag";
      s.append(el("p", {}, el("span", { class: cls, id: "emerging-pattern", text: t(`pattern_${r.pattern}`, r.pattern) })));
      s.append(el("p", { class: "note", text: t("emerging_note") }));
    } catch (e) {
      if (tok === this.token) { wait.textContent = e.message; wait.className = "error"; }
    }
  }

  seriesSection(s, code) {
    const ser = this.ctx.series;
    const u = ser && ser.units[code];
    if (!u) { status(s, t("legend_nodata")); return; }
    const box = el("div", { class: "chart", id: "series-chart" });
    s.append(box, el("p", { class: "note", text: t("series_note") }));
    requestAnimationFrame(() => seriesChart(box, ser.months, u.events, ser.window_start));
  }

  async forecastSection(s, code, tok) {
    const wait = status(s, t("computing"));
    try {
      const rows = (await this.ctx.forecast()).filter((r) => r.unit_code === code);
      if (tok !== this.token) return;
      wait.remove();
      if (!rows.length) { status(s, t("legend_nodata")); return; }
      const ser = this.ctx.series;
      const u = ser.units[code];
      const n = Math.min(12, ser.months.length);
      const box = el("div", { class: "chart", id: "forecast-chart" });
      s.append(box);
      requestAnimationFrame(() => fanChart(box, ser.months.slice(-n), u.events.slice(-n), rows));
      const tb = el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: t("date") }),
        el("th", { class: "n", text: t("forecast_mean") }), el("th", { class: "n", text: t("interval90") }),
        el("th", { class: "n", text: t("forecast_p_any") }))));
      const body = el("tbody");
      for (const r of rows) {
        body.append(el("tr", {}, el("td", { text: i18n.month(r.month) }), el("td", { class: "n", text: i18n.num(r.mean, 1) }),
          el("td", { class: "n", text: `${i18n.num(r.q05)}–${i18n.num(r.q95)}` }),
          el("td", { class: "n", text: i18n.pct(r.p_any, 0) })));
      }
      tb.append(body);
      s.append(tb, el("p", { class: "note", text: t("forecast_note") }));
    } catch (e) {
      if (tok === this.token) { wait.textContent = e.message; wait.className = "error"; }
    }
  }

  explainSection(s, code, tok) {
    const det = el("details", { id: "explain-details" });
    const sum = el("summary", { text: t("explain_open") });
    det.append(sum, el("p", { class: "note", text: t("explain_slow") }));
    s.append(det);
    let loaded = false;
    det.addEventListener("toggle", async () => {
      if (!det.open || loaded) return;
      loaded = true;
      const wait = status(det, t("computing"));
      try {
        const r = this.ctx.focusRow(code);
        if (r && !r.events) { wait.textContent = t("explain_no_place"); return; }
        const res = await this.ctx.explain(code);
        if (tok !== this.token) return;
        wait.remove();
        this.renderExplanation(det, res, code);
      } catch (e) {
        if (tok === this.token) { wait.textContent = e.message; wait.className = "error"; }
      }
    });
  }

  renderExplanation(node, res, code) {
    const p = (res.places || []).find((x) => x.unit_code === code);
    if (!p) { status(node, t("explain_no_place")); return; }
    node.append(figures([[t("observed_expected"), `${i18n.num(p.observed)} / ${i18n.num(p.expected, 1)}`]]));
    const tb = el("table", { id: "explain-table" }, el("thead", {}, el("tr", {}, el("th", { text: t("objective") }),
      el("th", { class: "n", text: `${t("share_signed")} ${t("ci95")}` }),
      el("th", { class: "n", text: t("share_excl_history") }))));
    const body = el("tbody");
    for (const o of p.objectives) {
      const name = t(`objective_${o.objective}`, o.objective) + (o.kind === "control" ? ` (${t("control")})` : "");
      const sh = `${i18n.pct(o.share, 0)}${ci(o.ci_low, o.ci_high, (v) => i18n.pct(v, 0))}`;
      const sx = o.share_excl_history === null ? "—"
        : `${i18n.pct(o.share_excl_history, 0)}${ci(o.ci_low_excl_history, o.ci_high_excl_history, (v) => i18n.pct(v, 0))}`;
      body.append(el("tr", {}, el("td", { text: name }), el("td", { class: "n", text: sh }), el("td", { class: "n", text: sx })));
    }
    tb.append(body);
    node.append(tb);
    const quotes = [];
    for (const o of p.objectives) for (const e of o.evidence || []) quotes.push([o.objective, e]);
    for (const [k, items] of Object.entries(p.text_only_evidence || {})) for (const e of items) quotes.push([k, e]);
    if (quotes.length) {
      node.append(el("h4", { text: t("evidence") }));
      for (const [obj, e] of quotes) {
        const bq = el("blockquote", { class: "evidence" });
        bq.append(el("q", { dir: "auto", text: e.quote || "" }));
        const cite = el("div", { class: "note" }, `${t(`objective_${obj}`, obj)} · `);
        if (e.url) cite.append(api.safeUrl(e.url) ? link(e.url, t("link")) : el("span", { dir: "ltr", class: "bad-url", text: e.url }));
        bq.append(cite);
        node.append(bq);
      }
    }
    const oos = res.out_of_sample || {};
    if (oos.verdict) {
      node.append(el("h4", { text: t("verdict") }));
      const last = (oos.by_year || []).find((e) => e.test_year === oos.test_year);
      if (i18n.current() === "ar" && last && last.gains) {
        // the library words its verdict in English; in Arabic the same numbers are worded here
        const lines = Object.entries(last.gains).filter(([, g]) => g.context_vs_history !== undefined)
          .map(([fam, g]) => {
            const v = g.context_vs_history;
            const word = v > 0.01 ? t("oos_better") : v < -0.01 ? t("oos_worse") : t("oos_same");
            return `${t(`oos_model_${fam}`, fam)}: ${word} (${i18n.pct(v, 1)})`;
          });
        node.append(el("p", { class: "note", text: `${t("oos_intro")} ${i18n.digits(String(oos.test_year))}: ${lines.join("؛ ")}.` }));
      } else {
        node.append(el("p", { class: "ltr note", lang: "en", dir: "ltr", text: oos.verdict }));
      }
    }
  }

  async eventsSection(s, code, tok, offset) {
    const ctx = this.ctx;
    const limit = 25;
    let table = s.querySelector("table");
    if (!table) {
      table = el("table", { id: "events-table" }, el("thead", {}, el("tr", {},
        el("th", { text: t("date") }), el("th", { text: `${t("actor_col")} · ${t("quote")} · ${t("source")}` }),
        el("th", { class: "n", text: t("deaths_col") }))), el("tbody"));
      s.append(table);
    }
    const wait = status(s, t("loading"));
    try {
      const st = ctx.state;
      const [since, until] = st.window.split("..");
      const q = { actor: st.actor, country: st.country.join(","), since, until, limit, offset };
      q[st.unit] = code;
      const res = await api.get("events", q);
      if (tok !== this.token) return;
      wait.remove();
      const body = table.querySelector("tbody");
      for (const e of res.events) {
        const actors = [e.actor1_id, e.actor2_id].filter(Boolean).map((a) => ctx.actorLabel(a)).join(" – ");
        const det = el("td", { class: "quote" }, el("div", { class: "actors", dir: "auto", text: actors }));
        if (e.source_text) det.append(el("div", { class: "text", dir: "auto", text: e.source_text }));
        const src = el("div", { class: "note", dir: "auto" });
        if (e.location) src.append(`${e.location} · `);
        const label = [e.source, e.source_id].filter(Boolean).join(" ");
        src.append(e.source_url ? link(e.source_url, label) : document.createTextNode(label));
        if (e.source_url && !api.safeUrl(e.source_url)) src.append(el("span", { class: "bad-url", dir: "ltr", text: ` ${e.source_url}` }));
        det.append(src);
        body.append(el("tr", { "data-event": e.event_id }, el("td", { class: "date", text: i18n.day(e.date_start) }),
          det, el("td", { class: "n", text: i18n.num(e.deaths_best) })));
      }
      const shown = offset + res.events.length;
      const old = s.querySelector(".more-row");
      if (old) old.remove();
      const row = el("p", { class: "note more-row", text: `${i18n.num(shown)} ${t("of")} ${i18n.num(res.total)}` });
      if (!res.total) row.textContent = t("no_events");
      if (shown < res.total) {
        const more = el("button", { type: "button", class: "secondary", id: "events-more", text: t("more") });
        more.addEventListener("click", () => this.eventsSection(s, code, tok, shown));
        row.append(" ", more);
      }
      s.append(row);
    } catch (e) {
      if (tok === this.token) { wait.textContent = e.message; wait.className = "error"; }
    }
  }
}
