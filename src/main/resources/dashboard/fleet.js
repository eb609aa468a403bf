// The fleet overview, for a token of several accounts: every account at once (the /v1/fleet
// routes): open insights by severity, SLA breaches and overdue targets, the trend, the accounts
// and zones with the most critical insights, the most overdue targets and the oldest breaches.
import { call } from './api.js';
import { h, mount, severityBadge, number, timeAgo, scrollBox, SEVERITIES } from './dom.js';
import { trendChart } from './chart.js';
import { card } from './overview.js';

export async function fleetOverview(ctx) {
  const [summary, trend, breaches] = await Promise.all([
    call('/v1/fleet/summary?top=10'),
    call('/v1/fleet/trend?days=30'),
    call('/v1/fleet/past-sla?limit=10'),
  ]);
  document.title = 'Fleet · Vigil';
  const s = summary.result;
  const bySev = s.counts.open_by_severity;
  const total = SEVERITIES.reduce((n, k) => n + (bySev[k] || 0), 0);
  const names = new Map(ctx.me.accounts.map((a) => [a.id, a.name ? a.name + ' (' + a.id + ')' : a.id]));
  const list = '#/fleet/insights?dismissed=false';

  const cards = h('div', { class: 'cards' },
    card('Open insights', number(total), list, 'fleet-open', 'Over ' + s.accounts.length + ' accounts, not counting dismissed ones'),
    card('Critical', number(bySev.critical || 0), list + '&severity=critical', 'fleet-critical'),
    card('SLA breaches', number(s.sla_breaches), null, 'fleet-sla', 'Open past their account\'s SLA'),
    card('Overdue targets', number(s.overdue_targets), null, 'fleet-overdue',
      s.overdue_targets > 0 ? 'Due for over a minute, or their scan was lost' : 'Scanning is keeping up'));

  const sevTable = table('fleet-severity', 'Open insights by severity', ['Severity', 'Open'],
    SEVERITIES.map((k) => [severityBadge(k), h('a', { href: list + '&severity=' + k }, number(bySev[k] || 0))]));
  const accounts = table('top-accounts', 'Accounts with the most critical insights', ['Account', 'Critical', 'Open'],
    s.top_accounts.map((a) => [h('a', { href: '#/a/' + encodeURIComponent(a.account_id) }, names.get(a.account_id) || a.account_id),
      number(a.critical), number(a.open)]));
  const zones = table('top-zones', 'Zones with the most critical insights', ['Zone', 'Account', 'Critical', 'Open'],
    s.top_zones.map((z) => [h('a', { href: '#/a/' + encodeURIComponent(z.account_id) + '/insights?zone_id=' + encodeURIComponent(z.zone_id) },
      z.name || z.zone_id), names.get(z.account_id) || z.account_id, number(z.critical), number(z.open)]));
  const overdue = table('overdue-targets', 'Most overdue targets', ['Target', 'Account', 'Due', 'Last scan'],
    s.overdue.map((t) => [t.name + (t.lost ? ' (scan lost)' : ''), names.get(t.account_id) || t.account_id,
      timeAgo(t.next_due_at), timeAgo(t.last_scan_at)]));
  const sla = table('sla-breaches', 'Oldest SLA breaches', ['Severity', 'Resource', 'Account', 'Due'],
    breaches.result.map((e) => [severityBadge(e.severity),
      h('a', { href: '#/a/' + encodeURIComponent(e.account_id) + '/insights/' + e.insight_id }, e.subject),
      names.get(e.account_id) || e.account_id, timeAgo(e.due_at)]));

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Fleet overview'),
      h('a', { href: list, class: 'button', id: 'fleet-list' }, 'All insights across accounts')),
    cards,
    section('h-fleet-sev', 'By severity', sevTable),
    section('h-fleet-trend', 'Trend, last 30 days', trendChart(trend.result)),
    h('div', { class: 'grid2' },
      section('h-top-accounts', 'Accounts with the most critical insights', accounts),
      section('h-top-zones', 'Zones with the most critical insights', zones)),
    h('div', { class: 'grid2' },
      section('h-overdue', 'Most overdue targets', overdue),
      section('h-sla', 'Oldest SLA breaches', sla)));
}

function section(id, title, body) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

/** A table with a header row, or a line saying there is nothing to show. */
function table(id, caption, heads, rows) {
  if (!rows.length) return h('p', { class: 'empty', id }, 'None.');
  return scrollBox(caption, h('table', { id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, heads.map((t, i) => h('th', { scope: 'col', class: i > 0 && typeof rows[0][i] === 'string' && /^[0-9,]+$/.test(rows[0][i]) ? 'num' : null }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}
