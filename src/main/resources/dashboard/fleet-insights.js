// The insights of every account of the token in one table (GET /v1/fleet/insights): the account
// list's filters plus an Account filter and column, sort and cursor paging. Triage stays on each
// insight's own page, in its account.
import { call, query } from './api.js';
import { h, mount, severityBadge, timeAgo, number, scrollBox } from './dom.js';
import { filterForm, pager, select } from './filters.js';
import { apiFilters } from './insights.js';

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
  const nav = pager(cursor, info, pages, (c) => fleetInsights(ctx, c));
  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Insights across accounts'),
      h('p', { class: 'count', id: 'match-count', 'aria-live': 'polite' }, number(info.total_count) + ' matching')),
    filterForm(p, '#/fleet/insights', { scope: [
      select('account_id', 'Account', [['', 'All'], ...ctx.me.accounts.map((a) => [a.id, a.name || a.id])], p.get('account_id') || '')] }),
    page.result.length ? scrollBox('Insights across accounts', table) : h('p', { class: 'empty card' }, 'No insight matches these filters.'),
    nav);
}
