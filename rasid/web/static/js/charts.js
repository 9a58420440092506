// uPlot charts: the place's monthly series (baseline shaded) and the forecast fan (50% and 90% bands).
import * as i18n from "./i18n.js";

const INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

function ts(ym) {
  const [y, m] = ym.split("-").map(Number);
  return Date.UTC(y, m - 1, 1) / 1000;
}

function axisMonths() {
  return (u, splits) => splits.map((s) => {
    const d = new Date(s * 1000);
    return i18n.digits(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
  });
}

function width(el) {
  return Math.max(280, Math.floor(el.getBoundingClientRect().width || 360));
}

/** Events per month over baseline + window; baseline months shaded. */
export function seriesChart(el, months, events, windowStart) {
  el.replaceChildren();
  const x = months.map(ts);
  const w0 = ts(windowStart);
  const shade = {
    hooks: {
      drawClear: [(u) => {
        const ctx = u.ctx;
        const x0 = u.bbox.left;
        const x1 = u.valToPos(w0, "x", true);
        ctx.save();
        ctx.fillStyle = "rgba(120,120,120,0.12)";
        ctx.fillRect(x0, u.bbox.top, Math.max(0, x1 - x0), u.bbox.height);
        ctx.restore();
      }],
    },
  };
  const opts = {
    width: width(el), height: 190, plugins: [shade], legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ values: axisMonths(), space: 70 }, { values: (u, s) => s.map((v) => i18n.num(v)), incrs: INCRS }],
    series: [{}, { label: i18n.t("events"), stroke: "#8c2d04", width: 2, fill: "rgba(140,45,4,0.12)",
      points: { show: true, size: 4 } }],
  };
  return new window.uPlot(opts, [x, events], el);
}

/** Observed months then the forecast: median line, 50% and 90% bands. */
export function fanChart(el, months, observed, rows) {
  el.replaceChildren();
  const fr = rows.slice().sort((a, b) => a.horizon - b.horizon);
  const allMonths = months.concat(fr.map((r) => r.month));
  const x = allMonths.map(ts);
  const pad = (arr) => months.map(() => null).concat(arr);
  const last = observed.length ? observed[observed.length - 1] : null;
  const join = (arr) => { const a = pad(arr); if (months.length) a[months.length - 1] = last; return a; };
  const obs = observed.concat(fr.map(() => null));
  const data = [x, obs, join(fr.map((r) => r.q05)), join(fr.map((r) => r.q95)), join(fr.map((r) => r.q25)),
    join(fr.map((r) => r.q75)), join(fr.map((r) => r.q50))];
  const opts = {
    width: width(el), height: 190, legend: { show: false }, scales: { x: { time: false } },
    axes: [{ values: axisMonths(), space: 70 }, { values: (u, s) => s.map((v) => i18n.num(v)), incrs: INCRS }],
    series: [{},
      { label: i18n.t("observed"), stroke: "#333", width: 2, points: { show: true, size: 4 } },
      { label: "q05", stroke: "rgba(140,45,4,0.25)", width: 1 },
      { label: "q95", stroke: "rgba(140,45,4,0.25)", width: 1 },
      { label: "q25", stroke: "rgba(140,45,4,0.45)", width: 1 },
      { label: "q75", stroke: "rgba(140,45,4,0.45)", width: 1 },
      { label: i18n.t("forecast_median"), stroke: "#8c2d04", width: 2, dash: [6, 4], points: { show: true, size: 4 } }],
    bands: [{ series: [3, 2], fill: "rgba(140,45,4,0.12)" }, { series: [5, 4], fill: "rgba(140,45,4,0.25)" }],
  };
  return new window.uPlot(opts, data, el);
}
