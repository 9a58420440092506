// The choropleth: unit polygons (no tile server), coloured by the chosen measure, with names in the page's language.
import * as i18n from "./i18n.js";

const SEQ = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
const DIV = ["#2166ac", "#92c5de", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];
const ZERO = "#f4f4f2";
const NODATA = "#d9d9d9";
const HOT = { hot_99: "#b2182b", hot_95: "#ef8a62", hot_90: "#fddbc7", none_0: "#f4f4f2", cold_90: "#d1e5f0",
  cold_95: "#67a9cf", cold_99: "#2166ac" };
const PATTERN_COLORS = {
  "new hot spot": "#fdd0a2", "consecutive hot spot": "#fdae6b", "intensifying hot spot": "#d94801",
  "persistent hot spot": "#a63603", "diminishing hot spot": "#fd8d3c", "sporadic hot spot": "#fee6ce",
  "oscillating hot spot": "#f16913", "historical hot spot": "#8c6d62",
  "new cold spot": "#c6dbef", "consecutive cold spot": "#9ecae1", "intensifying cold spot": "#08519c",
  "persistent cold spot": "#08306b", "diminishing cold spot": "#6baed6", "sporadic cold spot": "#deebf7",
  "oscillating cold spot": "#4292c6", "historical cold spot": "#6b7b8c", "no pattern detected": "#f4f4f2",
};

function niceBreaks(max) {
  const steps = [1, 2, 5];
  const out = [];
  for (let p = 1; out.length < 40 && (out.length === 0 || out[out.length - 1] < max); p *= 10) {
    for (const s of steps) out.push(s * p);
  }
  const inRange = out.filter((b) => b < max);
  return inRange.slice(-5);
}

/** Scale of a measure: classes with colours and legend labels. */
export function makeScale(measure, values, kind) {
  if (measure === "hotspot") {
    if (kind === "emerging") {
      const present = new Set(Object.values(values).map((v) => v && v.pattern).filter(Boolean));
      const items = Object.keys(PATTERN_COLORS).filter((p) => present.has(p))
        .map((p) => ({ color: PATTERN_COLORS[p], label: i18n.t(`pattern_${p}`) }));
      return { color: (v) => (v ? PATTERN_COLORS[v.pattern] || NODATA : NODATA), items };
    }
    const items = [["hot_99", "hot", 99], ["hot_95", "hot", 95], ["none_0", "none", 0], ["cold_95", "cold", 95],
      ["cold_99", "cold", 99]].map(([k, c, conf]) => ({
      color: HOT[k], label: c === "none" ? i18n.t("none") : `${i18n.t(c)} ${i18n.digits(conf)}%`.replace("%", i18n.current() === "ar" ? "٪" : "%") }));
    return { color: (v) => (v ? HOT[`${v.cls}_${v.conf}`] || HOT.none_0 : NODATA), items };
  }
  if (measure === "rate_ratio") {
    const br = [0.5, 0.8, 1.25, 2, 4];
    const items = DIV.map((c, i) => ({ color: c, label: i === 0 ? `< ${i18n.ratio(br[0])}`
      : i === DIV.length - 1 ? `≥ ${i18n.ratio(br[br.length - 1])}` : `${i18n.ratio(br[i - 1])}–${i18n.ratio(br[i])}` }));
    items.push({ color: NODATA, label: i18n.t("legend_nodata") });
    return { color: (v) => { if (v === null || v === undefined || Number.isNaN(v)) return NODATA;
      let i = 0; while (i < br.length && v >= br[i]) i++; return DIV[i]; }, items };
  }
  const nums = Object.values(values).filter((v) => typeof v === "number" && v > 0);
  const max = nums.length ? Math.max(...nums) : 1;
  const br = measure === "share" ? [0.01, 0.02, 0.05, 0.1, 0.2] : niceBreaks(max);
  const fmt = measure === "share" ? (v) => i18n.pct(v, 0) : (v) => i18n.num(v);
  const cols = SEQ.slice(SEQ.length - br.length - 1);
  const items = [{ color: ZERO, label: i18n.num(0) }].concat(cols.map((c, i) => ({ color: c,
    label: i === 0 ? `< ${fmt(br[0])}` : i === cols.length - 1 ? `≥ ${fmt(br[br.length - 1])}` : `${fmt(br[i - 1])}–${fmt(br[i])}` })));
  return { color: (v) => { if (v === null || v === undefined) return NODATA; if (v <= 0) return ZERO;
    let i = 0; while (i < br.length && v >= br[i]) i++; return cols[i]; }, items };
}

export class ChoroplethMap {
  constructor(el, onClick) {
    const L = window.L;
    this.L = L;
    this.map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 11 });
    this.onClick = onClick;
    this.byCode = {};
    this.values = {};
    this.texts = {};
    this.scale = null;
    this.selected = null;
    this.labels = L.layerGroup().addTo(this.map);
    this.layer = null;
  }

  setUnits(geojson) {
    if (this.layer) this.layer.remove();
    this.byCode = {};
    this.features = geojson.features;
    this.layer = this.L.geoJSON(geojson, {
      style: (f) => this.style(f),
      onEachFeature: (f, lyr) => {
        const code = f.properties.unit_code;
        this.byCode[code] = lyr;
        lyr.on("click", () => this.onClick(code));
        lyr.bindTooltip(() => this.tooltip(f), { sticky: true, direction: "top" });
        lyr.on("add", () => this.tag(lyr, f));
      },
    }).addTo(this.map);
    this.features.forEach((f) => this.tag(this.byCode[f.properties.unit_code], f));
    this.map.fitBounds(this.layer.getBounds(), { padding: [6, 6] });
  }

  tag(lyr, f) {
    const el = lyr && lyr.getElement && lyr.getElement();
    if (!el) return;
    el.setAttribute("data-code", f.properties.unit_code);
    el.setAttribute("data-name-en", f.properties.unit_en || "");
    el.setAttribute("aria-label", i18n.placeName(f.properties));
    el.classList.add("unit");
  }

  style(f) {
    const code = f.properties.unit_code;
    const v = this.values[code];
    const sel = code === this.selected;
    return { fillColor: this.scale ? this.scale.color(v) : NODATA, fillOpacity: 0.85, color: sel ? "#000" : "#555",
      weight: sel ? 3 : 0.7 };
  }

  tooltip(f) {
    const el = document.createElement("div");
    const b = document.createElement("strong");
    b.textContent = i18n.placeName(f.properties);
    el.appendChild(b);
    const txt = this.texts[f.properties.unit_code];
    if (txt) {
      el.appendChild(document.createElement("br"));
      el.appendChild(document.createTextNode(txt));
    }
    return el;
  }

  /** Colour the units: values per unit code, display texts, the scale, and which units get a permanent label. */
  setValues(values, texts, scale, labelled) {
    this.values = values;
    this.texts = texts;
    this.scale = scale;
    if (this.layer) this.layer.setStyle((f) => this.style(f));
    this.features && this.features.forEach((f) => this.tag(this.byCode[f.properties.unit_code], f));
    this.drawLabels(labelled);
  }

  drawLabels(labelled) {
    this.labelled = labelled || this.labelled || [];
    this.labels.clearLayers();
    if (!this.features) return;
    const want = new Set(this.labelled);
    if (this.selected) want.add(this.selected);
    for (const f of this.features) {
      const p = f.properties;
      if (!want.has(p.unit_code)) continue;
      const tip = this.L.tooltip({ permanent: true, direction: "center", className: `place-label ${i18n.current()}`,
        interactive: false, opacity: 1 });
      const span = document.createElement("span");
      span.textContent = i18n.placeName(p);
      tip.setLatLng([p.label_lat, p.label_lon]).setContent(span);
      this.labels.addLayer(tip);
    }
  }

  select(code) {
    this.selected = code;
    if (this.layer) this.layer.setStyle((f) => this.style(f));
    const lyr = code && this.byCode[code];
    if (lyr) lyr.bringToFront();
    this.drawLabels();
  }

  invalidate() { this.map.invalidateSize(); }
}

/** Fill the legend element (DOM only, no HTML strings). */
export function drawLegend(el, title, scale) {
  el.replaceChildren();
  const h = document.createElement("span");
  h.className = "title";
  h.textContent = title;
  el.appendChild(h);
  for (const it of scale.items) {
    const item = document.createElement("span");
    item.className = "item";
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = it.color;
    const lab = document.createElement("span");
    lab.textContent = it.label;
    item.append(sw, lab);
    el.appendChild(item);
  }
}
