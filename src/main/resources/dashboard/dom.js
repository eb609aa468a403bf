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

/** "3 min ago", "2 h ago", "never". */
export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

export function when(iso) {
  if (!iso) return '—';
  return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function number(n) {
  return Number(n).toLocaleString('en');
}
