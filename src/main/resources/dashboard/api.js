// The public API, called with the token the user signed in with. The token lives in
// sessionStorage: it is gone when the tab closes and is never sent anywhere but this origin.

const KEY = 'vigil.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

/**
 * An API answer other than 2xx, with the problem's detail (RFC 9457) as message and the request
 * field it names, if any (`name`, `filters.check_id`, `recipients[1]`), for a form to show the
 * message next to that field.
 */
export class ApiError extends Error {
  constructor(status, detail, field = null) {
    super(detail);
    this.status = status;
    this.field = field;
  }
}

/** Calls `path` (absolute, e.g. /v1/me); the parsed envelope, or an ApiError. */
export async function call(path, { method = 'GET', body, raw = false } = {}) {
  const headers = { Authorization: 'Bearer ' + (token() || '') };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'The Vigil API cannot be reached (' + e.message + ').');
  }
  if (!r.ok) {
    let detail = r.status + ' ' + r.statusText;
    let field = null;
    try {
      const p = await r.json();
      detail = p.detail || p.title || detail;
      field = p.field || null;
    } catch {
      // not a problem document: keep the status line
    }
    if (r.status === 401) window.dispatchEvent(new CustomEvent('vigil:unauthorized', { detail }));
    throw new ApiError(r.status, detail, field);
  }
  return raw ? r : r.json();
}

/** A query string from an object of arrays or strings, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    const vs = Array.isArray(v) ? v : [v];
    const joined = vs.filter((x) => x !== undefined && x !== null && x !== '').join(',');
    if (joined !== '') q.set(k, joined);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Downloads `path` as a file. The token is a header, so a plain link cannot carry it: fetch the
 * body, then save it through an object URL.
 */
export async function download(path, fallbackName) {
  const r = await call(path, { raw: true });
  const blob = await r.blob();
  const cd = r.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? m[1] : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  return { name: a.download, bytes: blob.size };
}
