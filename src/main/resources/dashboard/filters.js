// What the two insight lists share: the filter form (every filter applied by the API, submitted
// as the page's hash query) and the cursor pager. The account list adds its Compliance and Zone
// filters, the fleet list its Account filter.
import { h, label, number, SEVERITIES, ISSUE_TYPES } from './dom.js';
import { refocus } from './focus.js';

/** A labelled select of `options` ([value, text] pairs) with `value` selected. */
export function select(name, text, options, value) {
  return h('label', {}, h('span', {}, text),
    h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
}

/**
 * The filter form of an insight list at `base` (a hash route) showing `p`: the resource search,
 * then `scope` (fields that narrow where to look), severity, type and class, then `extra`, then
 * status, dismissal and the sort.
 */
export function filterForm(p, base, { scope = [], extra = [] } = {}) {
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': 'Filter insights',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) q.set(k, String(v).trim());
      location.hash = base + (q.toString() ? '?' + q : '');
    } },
  h('label', { class: 'grow' }, h('span', {}, 'Search resource'),
    h('input', { type: 'search', name: 'subject', value: p.get('subject') || '', placeholder: 'e.g. www.example.com' })),
  ...scope,
  select('severity', 'Severity', [['', 'Any'], ...SEVERITIES.map((s) => [s, label(s)])], p.get('severity') || ''),
  select('issue_type', 'Type', [['', 'Any'], ...ISSUE_TYPES.map((t) => [t, label(t)])], p.get('issue_type') || ''),
  h('label', {}, h('span', {}, 'Class'), h('input', { name: 'issue_class', value: p.get('issue_class') || '', placeholder: 'tls or tls.ssl_flexible', size: 14 })),
  ...extra,
  select('status', 'Status', [['', 'Open'], ['resolved', 'Resolved'], ['any', 'Any']], p.get('status') || ''),
  // 'any' came from links made when it was the way to show dismissed insights: the default now
  select('dismissed', 'Dismissed', [['', 'Shown'], ['false', 'Hide dismissed'], ['true', 'Only dismissed']],
    p.get('dismissed') === 'any' ? '' : p.get('dismissed') || ''),
  select('order', 'Sort by', [['', 'Severity'], ['last_seen', 'Last seen'], ['first_seen', 'First seen'], ['subject', 'Resource']], p.get('order') || ''),
  select('direction', 'Order', [['', 'Descending'], ['asc', 'Ascending']], p.get('direction') || ''),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'apply' }, 'Apply'),
    h('a', { href: base, class: 'button' }, 'Reset')));
  return form;
}

/**
 * "Previous" and "Next" over cursor pages: `pages` holds the cursors of the pages before this one
 * (emptied on the first page), `show(cursor)` renders a page; focus stays on the button pressed.
 */
export function pager(cursor, info, pages, show) {
  if (!cursor) pages.length = 0;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', id: 'prev', disabled: !cursor,
      onclick: () => { const prev = pages.pop(); show(prev === undefined ? null : prev).then(() => refocus('prev')); } }, '← Previous'),
    h('span', {}, info.count ? 'Showing ' + number(info.count) + ' of ' + number(info.total_count) : ''),
    h('button', { type: 'button', id: 'next', disabled: !info.cursor,
      onclick: () => { pages.push(cursor); show(info.cursor).then(() => refocus('next')); } }, 'Next →'));
}
