// Builds DOM nodes from data without ever parsing strings as HTML: every text goes through
// textContent, so an insight's subject or message cannot inject markup.

/** h('a', {href: '#/x', class: 'y'}, 'text', childNode, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = tag === 'svg' || SVG_TAGS.has(tag)
    ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

const SVG_TAGS = new Set(['path', 'rect', 'line', 'text', 'g', 'title', 'circle', 'polyline']);

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const SEVERITIES = ['critical', 'high', 'moderate', 'low'];
export const ISSUE_TYPES = ['exposed_infrastructure', 'insecure_configuration', 'weak_authentication',
  'email_security', 'compliance_violation', 'configuration_suggestion'];

export function severityBadge(s) {
  return h('span', { class: 'sev sev-' + s }, s);
}

export function label(wire) {
  const t = String(wire).replaceAll('_', ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/**
 * "3 min ago", "2 h ago", "never"; "in 4 min" for a time ahead of this browser's clock; the
 * timestamp itself when it cannot be read (never "NaN d ago").
 */
export function ago(iso) {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const d = Math.round((Date.now() - t) / 1000);
  const s = Math.abs(d);
  const span = s < 60 ? s + ' s'
    : s < 3600 ? Math.round(s / 60) + ' min'
    : s < 86400 ? Math.round(s / 3600) + ' h'
    : Math.round(s / 86400) + ' d';
  return d < -5 ? 'in ' + span : span + ' ago';
}

/** An RFC 3339 timestamp to the second, in UTC: "2026-12-03T09:15:00Z"; "—" when absent. */
export function when(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? String(iso) : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A <time> element showing ago(iso), its RFC 3339 timestamp as datetime and tooltip. */
export function timeAgo(iso) {
  return h('time', { datetime: iso || null, title: iso ? when(iso) : null }, ago(iso));
}

/**
 * A table in a box that scrolls sideways when the table is wider (a phone): a region named
 * `name`, focusable so the keyboard can scroll it (WCAG 2.1.1), with shadows at the edges that
 * hide more columns (app.css .scroll).
 */
export function scrollBox(name, table) {
  return h('div', { class: 'scroll', role: 'region', 'aria-label': name, tabindex: 0 }, table);
}

export function number(n) {
  return Number(n).toLocaleString('en');
}
