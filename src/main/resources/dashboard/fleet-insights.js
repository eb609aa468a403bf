// The insights of every account of the token in one table (GET /v1/fleet/insights): the account
// list's filters plus an Account filter and column, sort and cursor paging. Triage stays on each
// insight's own page, in its account.
import { call, query } from './api.js';
import { h, mount, severityBadge, label, timeAgo, number, scrollBox, SEVERITIES, ISSUE_TYPES } from './dom.js';
import { apiFilters } from './insights.js';
import { refocus } from './focus.js';

const pages = [];  // cursors of the pages before the current one, for "Previous"

export async function fleetInsights(ctx, cursor = null) {
  const p = ctx.params;
  const filters = apiFilters(p);
  if (p.get('account_id')) filters.account_id = p.get('account_id');
  const sort = { order: p.get('order') || 'severity', direction: p.get('direction') || 'desc' };
  const page = await call('/v1/fleet/insights' + query({ ...filters, ...sort, per_page: 50, cursor }));
  document.title = 'Fleet insights · Vigil';
  const names = new Map(ctx.me.accounts.map((a) => [a.id, a.name ? a.name + ' (' + a.id + ')' : a.id]));
  const info = page.result_info;
  const rows = page.result.map((i) => h('tr', { class: i.dismissed ? 'dismissed' : null },
    h('td', {}, severityBadge(i.severity)),
    h('td', {}, h('a', { href: '#/a/' + encodeURIComponent(i.account_id) + '/insights/' + i.id, class: 'insight-link' }, i.issue_class)),
    h('td', { class: 'subject' }, i.subject),
    h('td', { class: 'account' }, names.get(i.account_id) || i.account_id),
    h('td', { class: 'hide-narrow' }, i.zone_id || '—'),
    h('td', { class: 'hide-narrow' }, timeAgo(i.last_seen_at)),
    h('td', {}, i.status === 'resolved' ? h('span', { class: 'tag tag-ok' }, 'resolved') : h('span', { class: 'tag' }, 'open'),
      i.dismissed ? h('span', { class: 'tag tag-muted' }, 'dismissed') : null)));
  const table = h('table', { id: 'fleet-insights' },
    h('caption', { class: 'sr-only' }, 'Insights of every account matching the filters'),
    h('thead', {}, h('tr', {}, ['Severity', 'Issue', 'Resource', 'Account'].map((t) => h('th', { scope: 'col' }, t)),
      h('th', { scope: 'col', class: 'hide-narrow' }, 'Zone'), h('th', { scope: 'col', class: 'hide-narrow' }, 'Last seen'),
      h('th', { scope: 'col' }, 'State'))),
    h('tbody', {}, rows));
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', id: 'prev', disabled: !cursor,
      onclick: () => { const prev = pages.pop(); fleetInsights(ctx, prev === undefined ? null : prev).then(() => refocus('prev')); } }, '← Previous'),
    h('span', {}, info.count ? 'Showing ' + number(info.count) + ' of ' + number(info.total_count) : ''),
    h('button', { type: 'button', id: 'next', disabled: !info.cursor,
      onclick: () => { pages.push(cursor); fleetInsights(ctx, info.cursor).then(() => refocus('next')); } }, 'Next →'));
  if (!cursor) pages.length = 0;
  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Insights across accounts'),
      h('p', { class: 'count', id: 'match-count', 'aria-live': 'polite' }, number(info.total_count) + ' matching')),
    filterForm(p, ctx.me.accounts),
    page.result.length ? scrollBox('Insights across accounts', table) : h('p', { class: 'empty card' }, 'No insight matches these filters.'),
    pager);
}

function filterForm(p, accounts) {
  const base = '#/fleet/insights';
  const sel = (name, text, options, value) => h('label', {}, h('span', {}, text),
    h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
  const form = h('form', { class: 'filters card', role: 'search', 'aria-label': 'Filter insights',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) q.set(k, String(v).trim());
      location.hash = base + (q.toString() ? '?' + q : '');
    } },
  h('label', { class: 'grow' }, h('span', {}, 'Search resource'),
    h('input', { type: 'search', name: 'subject', value: p.get('subject') || '', placeholder: 'e.g. www.example.com' })),
  sel('account_id', 'Account', [['', 'All'], ...accounts.map((a) => [a.id, a.name || a.id])], p.get('account_id') || ''),
  sel('severity', 'Severity', [['', 'Any'], ...SEVERITIES.map((s) => [s, label(s)])], p.get('severity') || ''),
  sel('issue_type', 'Type', [['', 'Any'], ...ISSUE_TYPES.map((t) => [t, label(t)])], p.get('issue_type') || ''),
  h('label', {}, h('span', {}, 'Class'), h('input', { name: 'issue_class', value: p.get('issue_class') || '', placeholder: 'tls or tls.ssl_flexible', size: 14 })),
  sel('status', 'Status', [['', 'Open'], ['resolved', 'Resolved'], ['any', 'Any']], p.get('status') || ''),
  sel('dismissed', 'Dismissed', [['', 'Shown'], ['false', 'Hide dismissed'], ['true', 'Only dismissed']], p.get('dismissed') || ''),
  sel('order', 'Sort by', [['', 'Severity'], ['last_seen', 'Last seen'], ['first_seen', 'First seen'], ['subject', 'Resource']], p.get('order') || ''),
  sel('direction', 'Order', [['', 'Descending'], ['asc', 'Ascending']], p.get('direction') || ''),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'apply' }, 'Apply'),
    h('a', { href: base, class: 'button' }, 'Reset')));
  return form;
}
