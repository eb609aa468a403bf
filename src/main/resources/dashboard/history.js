// How fast an account fixes things: its SLA targets, the open insights past them, SLA attainment
// and MTTR per month and severity over the last twelve months (the history routes of the API).
import { call } from './api.js';
import { h, mount, severityBadge, number, scrollBox, when, SEVERITIES } from './dom.js';
import { seriesChart } from './series-chart.js';

const DAY = 86400;

export async function history(ctx) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const [sla, mttr, attainment, past] = await Promise.all([
    call(a + '/sla'),
    call(a + '/history/mttr'),
    call(a + '/history/sla-attainment'),
    call(a + '/history/past-sla?limit=50'),
  ]);
  const name = ctx.me.accounts.find((x) => x.id === ctx.account)?.name || ctx.account;
  document.title = 'History · ' + name + ' · Vigil';
  const months = monthsOf(mttr.result_info.from, mttr.result_info.to);
  const byMonth = (rows, value) => SEVERITIES
    .map((s) => ({ name: s, values: months.map((m) => {
      const r = rows.find((x) => x.month === m && x.severity === s);
      return r ? value(r) : null;
    }) }))
    .filter((s) => s.values.some((v) => v !== null));
  const resolved = attainment.result.reduce((n, r) => n + r.resolved, 0);
  const within = attainment.result.reduce((n, r) => n + r.within_sla, 0);
  const base = '#/a/' + encodeURIComponent(ctx.account);

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'History of ' + name),
      h('a', { href: base + '/changes' }, 'What changed between two dates')),
    h('div', { class: 'cards' },
      stat('Open past their SLA', number(past.result_info.total_count), 'past-sla-count',
        'Not counting dismissed or accepted ones'),
      stat('Resolved within SLA, 12 months', resolved ? Math.round((within / resolved) * 100) + ' %' : '—',
        'attainment-total', number(within) + ' of ' + number(resolved) + ' resolved'),
      stat('SLA targets (days)', SEVERITIES.map((s) => sla.result[s]).join(' / '), 'sla-targets',
        'Days a critical / high / moderate / low insight may stay open')),
    h('section', { class: 'card', 'aria-labelledby': 'h-attain' },
      h('h2', { id: 'h-attain' }, 'SLA attainment per month'),
      attainment.result.length
        ? seriesChart({ label: 'Share of insights resolved within their SLA', months, unit: '%', max: 100,
          series: byMonth(attainment.result, (r) => Math.round(r.attainment * 1000) / 10),
          format: (v) => (Math.round(v * 10) / 10) + ' %' })
        : h('p', {}, 'Nothing resolved in these months.')),
    h('section', { class: 'card', 'aria-labelledby': 'h-mttr' },
      h('h2', { id: 'h-mttr' }, 'Mean time to resolve per month'),
      mttr.result.length
        ? seriesChart({ label: 'Mean days from opening to resolution', months, unit: 'days',
          series: byMonth(mttr.result, (r) => r.mean_seconds / DAY),
          format: (v) => (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10) + ' d' })
        : h('p', {}, 'Nothing resolved in these months.')),
    h('section', { class: 'card', 'aria-labelledby': 'h-past' },
      h('h2', { id: 'h-past' }, 'Open past their SLA'),
      past.result.length ? scrollBox('Open past their SLA', h('table', { id: 'past-sla' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Insight'), h('th', { scope: 'col' }, 'Severity'),
          h('th', { scope: 'col' }, 'Opened'), h('th', { scope: 'col' }, 'Due'), h('th', { scope: 'col', class: 'num' }, 'Days over'))),
        h('tbody', {}, past.result.map((e) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: base + '/insights/' + e.insight_id }, e.subject),
            h('span', { class: 'muted' }, ' ' + e.check_id)),
          h('td', {}, severityBadge(e.severity)),
          h('td', {}, when(e.opened_at)),
          h('td', {}, when(e.due_at)),
          h('td', { class: 'num' }, number(Math.floor((Date.parse(past.result_info.at) - Date.parse(e.due_at)) / 1000 / DAY))))))))
        : h('p', {}, 'Every open insight is within its SLA.'),
      past.result_info.total_count > past.result.length
        ? h('p', { class: 'help' }, 'Showing the ' + past.result.length + ' most overdue of ' + number(past.result_info.total_count) + '.')
        : null));
}

/** The months "YYYY-MM" of [from, to) (RFC 3339 month starts). */
function monthsOf(from, to) {
  const out = [];
  const d = new Date(from);
  const end = Date.parse(to);
  while (d.getTime() < end) {
    out.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

function stat(title, value, id, note) {
  return h('div', { class: 'card stat' }, h('span', { class: 'card-title' }, title),
    h('span', { class: 'card-value', id }, value), note ? h('span', { class: 'card-note' }, note) : null);
}
