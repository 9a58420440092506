// Calls to the JSON API (same origin only). Errors come back as {message}: thrown as Error(message).
export async function get(path, params = {}, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const url = `/api/${path}${q.toString() ? "?" + q : ""}`;
  const r = await fetch(url, { signal, headers: { Accept: "application/json" } });
  return answer(r);
}

export async function post(path, params = {}) {
  const q = new URLSearchParams(params);
  const r = await fetch(`/api/${path}?${q}`, { method: "POST", headers: { Accept: "application/json" } });
  return answer(r);
}

async function answer(r) {
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) {
    const err = new Error((body && body.message) || `HTTP ${r.status}`);
    err.status = r.status;
    throw err;
  }
  return body;
}

/** Only http(s) links are ever made clickable. */
export function safeUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}
