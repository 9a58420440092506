// Labels in Arabic and English, numbers with Arabic-Indic digits in Arabic, month names as read in Iraq and Syria.
const MONTHS = {
  ar: ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
       "تشرين الثاني", "كانون الأول"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
       "November", "December"],
};
const AR_DIGITS = "٠١٢٣٤٥٦٧٨٩";
const cache = {};
let lang = document.documentElement.lang === "en" ? "en" : "ar";
let messages = {};

export async function load(which) {
  if (!cache[which]) {
    const r = await fetch(`/static/i18n/${which}.json`);
    if (!r.ok) throw new Error(`cannot load the ${which} labels`);
    cache[which] = await r.json();
  }
  lang = which;
  messages = cache[which];
  return messages;
}

export function current() { return lang; }

/** The twelve month names in the page's language. */
export function monthNames() { return MONTHS[lang].slice(); }

export function t(key, fallback) {
  const v = messages[key];
  return v === undefined ? (fallback === undefined ? key : fallback) : v;
}

/** Latin digits and separators to Arabic-Indic ones (٠١٢٣, ٫ decimal, ٬ thousands, ٪ percent) in Arabic. */
export function digits(text) {
  const s = String(text);
  if (lang !== "ar") return s;
  return s.replace(/[0-9]/g, (d) => AR_DIGITS[+d]).replace(/\./g, "٫").replace(/,/g, "٬").replace(/%/g, "٪")
    .replace(/-/g, "−");
}

/** A number in the page's language; null/NaN/Infinity as a dash (or ∞). */
export function num(v, maxFrac = 0, minFrac = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (v === Infinity) return "∞";
  const s = new Intl.NumberFormat("en-US", { maximumFractionDigits: maxFrac, minimumFractionDigits: minFrac }).format(v);
  return digits(s);
}

export function pct(v, frac = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  return digits(new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: frac,
    minimumFractionDigits: frac }).format(v));
}

export function ratio(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (v === Infinity) return "∞";
  return num(v, v >= 10 ? 0 : 2, v >= 10 ? 0 : 2);
}

export function pval(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (v < 0.001) return digits("< 0.001");
  return num(v, 3, 3);
}

/** "2018-03" -> "آذار ٢٠١٨" / "March 2018". */
export function month(ym) {
  if (!ym) return "—";
  const [y, m] = String(ym).split("-").map(Number);
  return `${MONTHS[lang][m - 1]} ${digits(String(y))}`;
}

/** "2018-03-05" -> "٥ آذار ٢٠١٨" / "5 March 2018". */
export function day(iso) {
  if (!iso) return "—";
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return `${digits(String(d))} ${MONTHS[lang][m - 1]} ${digits(String(y))}`;
}

/** Relabel every element with data-i18n (text) and data-i18n-title (title attribute). */
export function relabel(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
}

/** A unit's name in the page's language (English as fallback). */
export function placeName(p, col = "unit") {
  const ar = p[`${col}_ar`], en = p[`${col}_en`];
  return lang === "ar" && ar ? ar : (en || ar || "");
}
