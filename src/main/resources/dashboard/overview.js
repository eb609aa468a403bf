// The overview of an account: open insights by severity and type, the trend, the zones with the
// most critical insights with the time since their last scan, and whether scanning keeps up.
import { call } from './api.js';
import { h, mount, severityBadge, label, timeAgo, number, scrollBox, SEVERITIES } from './dom.js';
import { trendChart } from './chart.js';
import { scanNow } from './scan.js';
import { refocus } from './focus.js';

export async function overview(ctx) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const [sev, types, trend, status] = await Promise.all([
    call(a + '/insights/severity?dismissed=false'),
    call(a + '/insights/type?dismissed=false'),
    call(a + '/trend?days=30'),
    call(a + '/scan-status?limit=10'),
  ]);
  const name = ctx.me.accounts.find((x) => x.id === ctx.account)?.name || ctx.account;
  document.title = name + ' · Vigil';
  const base = '#/a/' + encodeURIComponent(ctx.account) + '/insights';
  const bySev = Object.fromEntries(sev.result.map((c) => [c.value, c.count]));
  const total = sev.result.reduce((s, c) => s + c.count, 0);
  const info = status.result_info;
  const rerender = () => overview(ctx);

  // The counts here leave dismissed insights out; the list they link to, whose default is the
  // API's (dismissed included), is asked to hide them too, so the numbers agree.
  const list = base + '?dismissed=false';
  const cards = h('div', { class: 'cards' },
    card('Open insights', number(total), list, 'open-total', 'Not counting dismissed ones'),
    card('Critical', number(bySev.critical || 0), list + '&severity=critical', 'open-critical'),
    card('High', number(bySev.high || 0), list + '&severity=high', 'open-high'),
    card('Overdue targets', number(info.overdue_count) + ' of ' + number(info.total_count), null, 'overdue',
      info.lost_count > 0 ? number(info.lost_count) + ' with a lost scan (no result after it was published)'
        : info.overdue_count > 0 ? 'Due for more than ' + info.overdue_after_seconds + ' s: scanning is not keeping up'
          : 'Scanning is keeping up'));

  const sevList = h('ul', { class: 'bars', 'aria-label': 'Open insights by severity' },
    SEVERITIES.map((s) => barItem(severityBadge(s), bySev[s] || 0, total, list + '&severity=' + s)));
  const typeList = h('ul', { class: 'bars', 'aria-label': 'Open insights by type' },
    types.result.map((t) => barItem(label(t.value), t.count, total, list + '&issue_type=' + t.value)));

  const rows = status.result.map((t) => h('tr', { class: t.overdue ? 'overdue' : null },
    h('th', { scope: 'row' }, t.kind === 'zone'
      ? h('a', { href: base + '?zone_id=' + encodeURIComponent(t.target_id) }, t.name)
      : h('span', {}, t.name + ' (account)')),
    h('td', { class: 'num' }, number(t.open_insights.critical)),
    h('td', { class: 'num' }, number(t.open_insights.high)),
    h('td', { class: 'num hide-narrow' }, number(t.open_insights.total)),
    h('td', {}, timeAgo(t.last_scan_at)),
    h('td', {}, t.lost_scan ? lostTag(t.lost_scan)
      : t.overdue ? h('span', { class: 'tag tag-warn' }, 'overdue') : h('span', { class: 'tag' }, 'on time')),
    // The visible text starts the accessible name (WCAG 2.5.3, axe's label-content-name-mismatch):
    // speech users say "Scan now"; the target's name follows for screen readers, hidden on screen.
    h('td', {}, h('button', { type: 'button', class: 'small scan-now', id: 'scan-' + t.target_id,
      onclick: () => scanNow({ kind: t.kind, id: t.target_id, account: ctx.account }, ctx.notify,
        () => rerender().then(() => refocus('scan-' + t.target_id))) },
    'Scan now', h('span', { class: 'sr-only' }, ' ' + t.name)))));

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, name),
      h('button', { type: 'button', id: 'scan-account',
        onclick: () => scanNow({ kind: 'account', id: ctx.account, account: ctx.account }, ctx.notify,
          () => rerender().then(() => refocus('scan-account'))) },
      'Scan account now')),
    cards,
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'h-sev' }, h('h2', { id: 'h-sev' }, 'By severity'), sevList),
      h('section', { class: 'card', 'aria-labelledby': 'h-type' }, h('h2', { id: 'h-type' }, 'By type'),
        types.result.length ? typeList : h('p', {}, 'No open insights.'))),
    h('section', { class: 'card', 'aria-labelledby': 'h-trend' }, h('h2', { id: 'h-trend' }, 'Trend, last 30 days'),
      trendChart(trend.result)),
    h('section', { class: 'card', 'aria-labelledby': 'h-zones' },
      h('h2', { id: 'h-zones' }, 'Zones with the most critical insights'),
      scrollBox('Zones with the most critical insights', h('table', { id: 'zones' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col', class: 'num' }, 'Critical'),
          h('th', { scope: 'col', class: 'num' }, 'High'), h('th', { scope: 'col', class: 'num hide-narrow' }, 'Open'),
          h('th', { scope: 'col' }, 'Last scan'), h('th', { scope: 'col' }, 'Schedule'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        h('tbody', {}, rows))),
      info.total_count > status.result.length
        ? h('p', { class: 'help' }, 'Showing ' + status.result.length + ' of ' + number(info.total_count) + ' targets.') : null));
}

export function card(title, value, href, id, note) {
  const body = [h('span', { class: 'card-title' }, title), h('span', { class: 'card-value', id }, value),
    note ? h('span', { class: 'card-note' }, note) : null];
  return href ? h('a', { class: 'card stat', href }, body) : h('div', { class: 'card stat' }, body);
}

function barItem(name, count, total, href) {
  const pct = total ? Math.round((count / total) * 100) : 0;
  const meter = h('span', { class: 'meter', 'aria-hidden': 'true' }, h('span', { class: 'meter-fill' }));
  meter.firstChild.style.width = pct + '%';
  return h('li', {}, h('a', { href }, h('span', { class: 'bar-name' }, name), meter,
    h('span', { class: 'num' }, number(count))));
}

// A scheduled scan that never landed: overdue, with what the scheduler's watchdog did about it.
function lostTag(lost) {
  const title = lost.state === 'left_for_operator'
    ? 'Scan lost twice since ' + lost.since + ': left for an operator (see the dead-letter topic)'
    : 'Scan lost at ' + lost.since + ': published again (attempt ' + lost.attempt + ')';
  return h('span', { class: 'tag tag-warn', title },
    lost.state === 'left_for_operator' ? 'overdue: scan lost' : 'overdue: scan retried');
}
