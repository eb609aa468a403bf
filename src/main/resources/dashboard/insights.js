// The insights table: filters (all applied by the API, so it stays fast on 100,000 insights),
// sort, cursor paging, the count matching the filters, bulk dismissal and exports of the view.
import { call, query, download } from './api.js';
import { h, mount, severityBadge, label, timeAgo, number, scrollBox } from './dom.js';
import { filterForm, pager, select } from './filters.js';
import { checks } from './checks.js';
import { refocus } from './focus.js';

const FILTERS = ['severity', 'issue_type', 'issue_class', 'status', 'zone_id', 'dismissed', 'subject', 'compliance'];
const pages = [];  // cursors of the pages before the current one, for "Previous"

/**
 * The API query of the view in `params` (the hash's query). Its defaults are the API's: open
 * insights, dismissed ones included (marked as such) unless `dismissed=false` ("Hide dismissed")
 * asks otherwise. The dashboard used to hide them by default while the API listed them, so the
 * two disagreed on a count; changing the API's default would break its clients (issue 18, item 10).
 */
export function apiFilters(params) {
  const f = {};
  for (const k of FILTERS) if (params.get(k)) f[k] = params.get(k);
  if (!f.status) f.status = 'open';
  if (f.status === 'any') f.status = 'open,resolved';
  if (f.dismissed === 'any') delete f.dismissed; // links made when "any" was the way to show them
  return f;
}

export async function insights(ctx, cursor = null) {
  const p = ctx.params;
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const filters = apiFilters(p);
  const sort = { order: p.get('order') || 'severity', direction: p.get('direction') || 'desc' };
  const [page, catalogue, zones] = await Promise.all([
    call(a + '/insights' + query({ ...filters, ...sort, per_page: 50, cursor })),
    checks(),
    call(a + '/scan-status?limit=1000').then((r) => r.result.filter((t) => t.kind === 'zone')).catch(() => []),
  ]);
  document.title = 'Insights · Vigil';
  const base = '#/a/' + encodeURIComponent(ctx.account) + '/insights';
  const rerender = () => insights(ctx, cursor);
  const info = page.result_info;

  const form = filterForm(p, base, { extra: [
    h('label', {}, h('span', {}, 'Compliance'), h('input', { name: 'compliance', value: p.get('compliance') || '', placeholder: 'cis_v8:4.1', size: 12 })),
    select('zone_id', 'Zone', [['', 'Any'], ...zones.map((z) => [z.target_id, z.name])], p.get('zone_id') || '')] });
  const selectAll = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select all on this page',
    onchange: () => table.querySelectorAll('tbody input[type=checkbox]').forEach((c) => { c.checked = selectAll.checked; }) });
  const zoneNames = new Map(zones.map((z) => [z.target_id, z.name]));
  const rows = page.result.map((i) => {
    const c = catalogue.get(i.issue_class);
    return h('tr', { class: i.dismissed ? 'dismissed' : null },
      h('td', {}, h('input', { type: 'checkbox', name: 'pick', value: i.id, 'aria-label': 'Select insight ' + i.id })),
      h('td', {}, severityBadge(i.severity)),
      h('td', {}, h('a', { href: base + '/' + i.id, class: 'insight-link' }, c ? c.title : i.issue_class),
        h('div', { class: 'sub' }, i.issue_class)),
      h('td', { class: 'subject' }, i.subject),
      h('td', { class: 'hide-narrow zone' }, zoneCell(i.zone_id, zoneNames)),
      h('td', { class: 'hide-narrow' }, timeAgo(i.last_seen_at)),
      h('td', {}, i.status === 'resolved' ? h('span', { class: 'tag tag-ok' }, 'resolved') : h('span', { class: 'tag' }, 'open'),
        i.dismissed ? h('span', { class: 'tag tag-muted' }, 'dismissed') : null,
        i.classification ? h('span', { class: 'tag' }, label(i.classification)) : null));
  });
  const table = h('table', { id: 'insights' },
    h('caption', { class: 'sr-only' }, 'Insights matching the filters'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, selectAll), h('th', { scope: 'col' }, 'Severity'),
      h('th', { scope: 'col' }, 'Issue'), h('th', { scope: 'col' }, 'Resource'), h('th', { scope: 'col', class: 'hide-narrow' }, 'Zone'),
      h('th', { scope: 'col', class: 'hide-narrow' }, 'Last seen'), h('th', { scope: 'col' }, 'State'))),
    h('tbody', {}, rows));
  const picked = () => [...table.querySelectorAll('tbody input[name=pick]:checked')].map((c) => Number(c.value));
  const bulk = async (dismiss) => {
    const ids = picked();
    if (!ids.length) return ctx.notify('Select insights first (the checkboxes of the table).', 'warn');
    try {
      const r = (await call(a + '/insights/dismiss', { method: 'POST', body: { dismiss, ids } })).result;
      await rerender();
      refocus(dismiss ? 'dismiss-selected' : 'restore-selected');
      ctx.notify((dismiss ? 'Dismissed ' : 'Restored ') + r.changed + ' of ' + r.matched + ' selected insights.', 'ok');
    } catch (e) {
      ctx.notify(e.message, 'error');
    }
  };
  const exportAs = async (format) => {
    try {
      const f = await download(a + '/insights/export' + query({ ...filters, ...sort, format }), 'insights.' + format);
      ctx.notify('Exported ' + f.name + ' (' + number(f.bytes) + ' bytes).', 'ok');
    } catch (e) {
      ctx.notify('Export failed: ' + e.message, 'error');
    }
  };
  const nav = pager(cursor, info, pages, (c) => insights(ctx, c));

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Insights'),
      h('p', { class: 'count', id: 'match-count', 'aria-live': 'polite' }, number(info.total_count) + ' matching')),
    form,
    h('div', { class: 'toolbar' },
      h('div', { role: 'group', 'aria-label': 'Selected insights' },
        h('button', { type: 'button', id: 'dismiss-selected', onclick: () => bulk(true) }, 'Dismiss selected'),
        h('button', { type: 'button', id: 'restore-selected', onclick: () => bulk(false) }, 'Restore selected')),
      h('div', { role: 'group', 'aria-label': 'Export this view' }, h('span', { class: 'help' }, 'Export:'),
        ['csv', 'json', 'ocsf', 'sarif'].map((f) => h('button', { type: 'button', class: 'small', id: 'export-' + f,
          'aria-label': 'Export this view as ' + f.toUpperCase(), onclick: () => exportAs(f) }, f.toUpperCase())))),
    page.result.length
      ? scrollBox('Insights', table)
      : h('p', { class: 'empty card' }, 'No insight matches these filters.'),
    nav);
}

/** A zone by its name, its id beside it for those who search by id; '—' for the account itself. */
function zoneCell(id, names) {
  if (!id) return '—';
  const name = names.get(id);
  return name ? [name, h('div', { class: 'sub' }, id)] : id;
}
