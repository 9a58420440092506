// The workspace: view state in the URL, filters, the map and its period slider, the place panel, the brief button.
import * as api from "./api.js";
import * as i18n from "./i18n.js";
import { ChoroplethMap, drawLegend, makeScale } from "./map.js";
import { Panel } from "./panel.js";

const $ = (id) => document.getElementById(id);
const state = { lang: "ar", actor: "IS", country: ["IQ", "SY"], window: "", unit: "admin2", measure: "share",
  period: "month", t: 0, place: null };
const data = { info: null, units: {}, series: null, focus: {}, periods: [], actors: {} };
const memo = new Map();
let map = null;
let panel = null;
let viewToken = 0;

// --- URL state -----------------------------------------------------------------------------------------------------
function readUrl() {
  const q = new URLSearchParams(location.search);
  state.lang = q.get("lang") === "en" ? "en" : "ar";
  if (q.has("actor")) state.actor = q.get("actor");
  if (q.get("country")) state.country = q.get("country").split(",").filter((c) => /^[A-Za-z]{2}$/.test(c)).map((c) => c.toUpperCase());
  if (/^\d{4}-\d{2}\.\.\d{4}-\d{2}$/.test(q.get("window") || "")) state.window = q.get("window");
  if (["admin1", "admin2"].includes(q.get("unit"))) state.unit = q.get("unit");
  if (["share", "rate_ratio", "events", "hotspot"].includes(q.get("measure"))) state.measure = q.get("measure");
  if (["month", "quarter"].includes(q.get("period"))) state.period = q.get("period");
  if (/^\d+$/.test(q.get("t") || "")) state.t = parseInt(q.get("t"), 10);
  if (/^[A-Za-z0-9._-]{1,40}$/.test(q.get("place") || "")) state.place = q.get("place");
}

function writeUrl() {
  const q = new URLSearchParams();
  if (state.lang !== "ar") q.set("lang", state.lang);
  q.set("actor", state.actor);
  q.set("country", state.country.join(","));
  q.set("window", state.window);
  q.set("unit", state.unit);
  q.set("measure", state.measure);
  q.set("period", state.period);
  if (state.t) q.set("t", String(state.t));
  if (state.place) q.set("place", state.place);
  history.replaceState(null, "", `${location.pathname}?${q}`);
}

// --- helpers -------------------------------------------------------------------------------------------------------
function cached(key, fn) {
  if (!memo.has(key)) {
    const p = fn();
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return memo.get(key);
}

function viewParams() {
  return { actor: state.actor, country: state.country.join(","), unit: state.unit };
}

function setStatus(text, error = false) {
  const s = $("status");
  s.textContent = text || "";
  s.className = error ? "status error" : "status";
}

function actorLabel(id) {
  const a = data.actors[id];
  if (!a) return id;
  return state.lang === "ar" ? a.label_ar : a.label_en;
}

/** Periods of the window for the slider: [{label, window, start}] (months or quarters). */
function periods() {
  const [a, b] = state.window.split("..");
  const [y0, m0] = a.split("-").map(Number);
  const [y1, m1] = b.split("-").map(Number);
  const out = [];
  const pad = (m) => String(m).padStart(2, "0");
  if (state.period === "month") {
    for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) {
      const ym = `${y}-${pad(m)}`;
      out.push({ kind: "month", ym, window: `${ym}..${ym}`, start: `${ym}-01` });
    }
  } else {
    let y = y0, q = Math.floor((m0 - 1) / 3);
    while (y < y1 || (y === y1 && q <= Math.floor((m1 - 1) / 3))) {
      const s = q * 3 + 1;
      out.push({ kind: "quarter", y, q: q + 1, window: `${y}-${pad(s)}..${y}-${pad(s + 2)}`, start: `${y}-${pad(s)}-01` });
      q === 3 ? (y++, q = 0) : q++;
    }
  }
  return out;
}

function periodLabel(i) {
  const [a, b] = state.window.split("..");
  if (!i) return `${i18n.t("slider_all")} (${i18n.month(a)} – ${i18n.month(b)})`;
  const p = data.periods[i - 1];
  if (!p) return "";
  if (p.kind === "month") return i18n.month(p.ym);
  return state.lang === "ar" ? `الربع ${i18n.digits(p.q)} من ${i18n.digits(p.y)}` : `Q${p.q} ${p.y}`;
}

// --- loading -------------------------------------------------------------------------------------------------------
async function loadInfo() {
  data.info = await api.get("info");
  for (const a of data.info.actors) data.actors[a.actor_id] = a;
  if (!state.window) {
    const hi = (data.info.date_range.max || "2018-12").slice(0, 7);
    const [y, m] = hi.split("-").map(Number);
    const start = m === 12 ? `${y}-01` : `${y - 1}-${String(m + 1).padStart(2, "0")}`;
    state.window = `${start}..${hi}`;
  }
  if (state.actor && !data.actors[state.actor] && !data.info.actors.some((a) => a.actor_id === state.actor)) {
    data.actors[state.actor] = { actor_id: state.actor, label_en: state.actor, label_ar: state.actor, events: null };
  }
}

function fillActors() {
  const sel = $("f-actor");
  const keep = sel.value || state.actor;
  sel.replaceChildren();
  const all = document.createElement("option");
  all.value = "";
  all.textContent = i18n.t("actor_all");
  sel.appendChild(all);
  for (const a of Object.values(data.actors)) {
    const o = document.createElement("option");
    o.value = a.actor_id;
    o.textContent = a.events === null ? actorLabel(a.actor_id) : `${actorLabel(a.actor_id)} (${i18n.num(a.events)})`;
    sel.appendChild(o);
  }
  sel.value = keep;
}

function syncForm() {
  $("f-actor").value = state.actor;
  document.querySelectorAll("input[name=country]").forEach((c) => { c.checked = state.country.includes(c.value); });
  const [a, b] = state.window.split("..");
  setMonth("f-from", a);
  setMonth("f-to", b);
  $("f-unit").value = state.unit;
  $("f-measure").value = state.measure;
  $("f-period").value = state.period;
}

/** Month pickers: a month-name select and a year select per end of the window (labels in the page's language). */
function fillMonthPickers() {
  const lo = parseInt((data.info.date_range.min || "1989").slice(0, 4), 10);
  const hi = parseInt((data.info.date_range.max || "2018").slice(0, 4), 10);
  for (const id of ["f-from", "f-to"]) {
    const ms = $(`${id}-m`), ys = $(`${id}-y`);
    const keepM = ms.value, keepY = ys.value;
    ms.replaceChildren();
    i18n.monthNames().forEach((name, k) => {
      const o = document.createElement("option");
      o.value = String(k + 1).padStart(2, "0");
      o.textContent = name;
      ms.appendChild(o);
    });
    ys.replaceChildren();
    for (let y = hi; y >= lo; y--) {
      const o = document.createElement("option");
      o.value = String(y);
      o.textContent = i18n.digits(String(y));
      ys.appendChild(o);
    }
    if (keepM) ms.value = keepM;
    if (keepY) ys.value = keepY;
  }
}

function setMonth(id, ym) {
  const [y, m] = ym.split("-");
  if (![...$(`${id}-y`).options].some((o) => o.value === y)) {
    const o = document.createElement("option");
    o.value = y;
    o.textContent = i18n.digits(y);
    $(`${id}-y`).appendChild(o);
  }
  $(`${id}-y`).value = y;
  $(`${id}-m`).value = m;
}

function getMonth(id) {
  return `${$(`${id}-y`).value}-${$(`${id}-m`).value}`;
}

function readForm() {
  state.actor = $("f-actor").value;
  state.country = [...document.querySelectorAll("input[name=country]:checked")].map((c) => c.value);
  if (!state.country.length) state.country = ["IQ", "SY"];
  let a = getMonth("f-from"), b = getMonth("f-to");
  if (a && b && a > b) [a, b] = [b, a];
  if (a && b) state.window = `${a}..${b}`;
  state.unit = $("f-unit").value;
  state.measure = $("f-measure").value;
  state.period = $("f-period").value;
}

async function loadView() {
  const tok = ++viewToken;
  memo.clear();
  data.periods = periods();
  const slider = $("slider");
  slider.max = String(data.periods.length);
  state.t = Math.min(state.t, data.periods.length);
  slider.value = String(state.t);
  $("slider-value").textContent = periodLabel(state.t);
  setStatus(i18n.t("loading"));
  const p = viewParams();
  try {
    const [units, series] = await Promise.all([
      api.get("units", { unit: state.unit, country: p.country }),
      api.get("series", { ...p, window: state.window }),
    ]);
    if (tok !== viewToken) return;
    data.units = {};
    for (const f of units.features) data.units[f.properties.unit_code] = f.properties;
    data.series = series;
    map.setUnits(units);
    await showPeriod(tok);
    if (state.place && data.units[state.place]) openPlace(state.place, false);
    else panel.close();
  } catch (e) {
    if (tok === viewToken) setStatus(`${i18n.t("error")}: ${e.message}`, true);
  }
}

function focusFor(win) {
  return cached(`focus:${win}`, () => api.get("focus", { ...viewParams(), window: win }).then((r) => {
    const by = {};
    for (const row of r.rows) by[row.unit_code] = row;
    return by;
  }));
}

function hotspotsFor() {
  return cached("hotspots", () => api.get("hotspots", { ...viewParams(), window: state.window, period: state.period })
    .then((r) => r.rows));
}

function emerging() {
  return cached("emerging", () => api.get("hotspots", { ...viewParams(), window: state.window, period: state.period,
    emerging: "true" }).then((r) => r.rows));
}

function forecastRows() {
  const asOf = state.window.split("..")[1];
  return cached("forecast", () => api.get("forecast", { ...viewParams(), as_of: asOf, horizon: 3 }).then((r) => r.rows));
}

function explainFor(code) {
  return cached(`explain:${code}`, () => api.get("explain", { ...viewParams(), window: state.window, place: code }));
}

/** Colour the map for the slider's position and the chosen measure. */
async function showPeriod(tok = viewToken) {
  const i = state.t;
  const per = i ? data.periods[i - 1] : null;
  $("slider-value").textContent = periodLabel(i);
  const measure = state.measure;
  const values = {}, texts = {};
  let kind = null;
  setStatus(i18n.t(measure === "hotspot" ? "computing" : "loading"));
  try {
    data.focusError = null;
    data.focusWhole = await focusFor(state.window).catch((e) => { data.focusError = e.message; return {}; });
    if (tok !== viewToken) return;
    if (measure === "share" || measure === "rate_ratio") {
      const rows = per ? await focusFor(per.window) : data.focusWhole;
      if (per === null && data.focusError) throw new Error(data.focusError);
      for (const [code, r] of Object.entries(rows)) {
        values[code] = r[measure];
        texts[code] = measure === "share" ? `${i18n.t("share")}: ${i18n.pct(r.share)} (${i18n.num(r.events)} ${i18n.t("events")})`
          : `${i18n.t("measure_rate_ratio")}: ${i18n.ratio(r.rate_ratio)}${r.rr_low !== null ? ` [${i18n.ratio(r.rr_low)}–${i18n.ratio(r.rr_high)}]` : ""}`;
      }
    } else if (measure === "events") {
      const s = data.series;
      const w0 = s.months.indexOf(s.window_start);
      const idx = s.months.map((m, k) => k).filter((k) => k >= w0 && (!per || (per.kind === "month" ? s.months[k] === per.ym
        : s.months[k] >= per.window.slice(0, 7) && s.months[k] <= per.window.slice(9))));
      for (const [code, u] of Object.entries(s.units)) {
        values[code] = idx.reduce((acc, k) => acc + u.events[k], 0);
        texts[code] = `${i18n.num(values[code])} ${i18n.t("events")}`;
      }
    } else {
      if (per) {
        const rows = await hotspotsFor();
        for (const r of rows.filter((x) => x.period === per.start)) {
          values[r.unit_code] = { cls: r.hotspot_class, conf: r.hotspot_class === "none" ? 0 : r.confidence };
          texts[r.unit_code] = r.hotspot_class === "none" ? i18n.t("none")
            : `${i18n.t(r.hotspot_class)} (${i18n.t("confidence")} ${i18n.num(r.confidence)}%)`;
        }
      } else {
        kind = "emerging";
        for (const r of await emerging()) {
          values[r.unit_code] = { pattern: r.pattern };
          texts[r.unit_code] = i18n.t(`pattern_${r.pattern}`, r.pattern);
        }
      }
    }
    if (tok !== viewToken) return;
    const scale = makeScale(measure, values, kind);
    const ranked = Object.keys(values).filter((c) => typeof values[c] === "number" && values[c] > 0)
      .sort((a, b) => values[b] - values[a]);
    const labelled = state.unit === "admin1" ? Object.keys(data.units) : ranked.slice(0, 8);
    map.setValues(values, texts, scale, labelled);
    drawLegend($("legend"), `${i18n.t(`measure_${measure}`)} — ${periodLabel(i)}`, scale);
    const total = Object.values(data.focusWhole || {}).reduce((a, r) => a + (r.events || 0), 0);
    setStatus(total ? "" : (data.focusError || i18n.t("no_events_view")), !total);
  } catch (e) {
    if (tok === viewToken) {
      map.setValues({}, {}, makeScale("events", {}), []);
      setStatus(`${i18n.t("error")}: ${e.message}`, true);
    }
  }
}

function openPlace(code, write = true) {
  state.place = code;
  map.select(code);
  panel.open(code);
  if (write) writeUrl();
}

// --- brief ---------------------------------------------------------------------------------------------------------
async function buildBrief() {
  const btn = $("brief-build");
  const out = $("brief-status");
  btn.disabled = true;
  out.className = "";
  try {
    let job = await api.post("brief", { actor: state.actor || "IS", country: state.country.join(","), window: state.window,
      unit: state.unit, lang: state.lang, format: $("brief-format").value });
    while (job.status === "queued" || job.status === "running") {
      out.textContent = i18n.t(job.status === "queued" ? "brief_queued" : "brief_running");
      await new Promise((r) => setTimeout(r, 1500));
      job = await api.get(`brief/${job.job}`);
    }
    if (job.status !== "done") throw new Error(job.message || job.status);
    out.textContent = i18n.t("brief_done");
    const a = document.createElement("a");
    a.href = job.file;
    a.download = job.filename || "";
    a.id = "brief-link";
    a.textContent = i18n.t("brief_download");
    out.append(" ", a);
    a.click();
  } catch (e) {
    out.className = "failed";
    out.textContent = `${i18n.t("brief_failed")}: ${e.message}`;
  } finally {
    btn.disabled = false;
  }
}

// --- language ------------------------------------------------------------------------------------------------------
async function setLang(lang) {
  await i18n.load(lang);
  state.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  i18n.relabel();
  fillActors();
  fillMonthPickers();
  writeUrl();
  if (data.series) {
    await showPeriod();
    if (state.place && data.units[state.place]) panel.open(state.place);
  }
}

// --- start ---------------------------------------------------------------------------------------------------------
async function start() {
  readUrl();
  await i18n.load(state.lang);
  map = new ChoroplethMap($("map"), (code) => openPlace(code));
  panel = new Panel({
    state, actorLabel, get units() { return data.units; }, get series() { return data.series; },
    get focusError() { return data.focusError; },
    focusRow: (code) => (data.focusWhole || {})[code], emerging, forecast: forecastRows, explain: explainFor,
    onClose: () => { state.place = null; map.select(null); panel.close(); writeUrl(); },
  });
  try {
    await loadInfo();
  } catch (e) {
    setStatus(`${i18n.t("error")}: ${e.message}`, true);
    return;
  }
  fillActors();
  fillMonthPickers();
  syncForm();
  writeUrl();
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    readForm();
    state.place = null;
    writeUrl();
    loadView();
  });
  $("f-measure").addEventListener("change", () => { state.measure = $("f-measure").value; writeUrl(); showPeriod(); });
  const slider = $("slider");
  slider.addEventListener("input", () => { $("slider-value").textContent = periodLabel(parseInt(slider.value, 10)); });
  slider.addEventListener("change", () => { state.t = parseInt(slider.value, 10); writeUrl(); showPeriod(); });
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "ar" ? "en" : "ar"));
  $("brief-build").addEventListener("click", buildBrief);
  window.addEventListener("resize", () => map.invalidate());
  await loadView();
  document.body.dataset.ready = "1";
}

window.addEventListener("DOMContentLoaded", start);
