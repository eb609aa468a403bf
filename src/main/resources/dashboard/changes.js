// What changed between two dates (the history diff route): the insights opened, resolved, and
// still open across the span, each with its counts by severity and its first insights.
import { call } from './api.js';
import { h, mount, severityBadge, number, scrollBox, when, SEVERITIES } from './dom.js';

const SIDES = [['opened', 'Opened'], ['resolved', 'Resolved'], ['still_open', 'Open throughout']];

export async function changes(ctx) {
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
  const from = ctx.params.get('from') || weekAgo;
  const to = ctx.params.get('to') || today;
  const name = ctx.me.accounts.find((x) => x.id === ctx.account)?.name || ctx.account;
  document.title = 'What changed · ' + name + ' · Vigil';
  const base = '#/a/' + encodeURIComponent(ctx.account);
  const fromInput = h('input', { id: 'from', name: 'from', type: 'date', value: from, required: true });
  const toInput = h('input', { id: 'to', name: 'to', type: 'date', value: to, required: true });
  const form = h('form', { class: 'card filters', 'aria-label': 'Dates to compare', onsubmit: (e) => {
    e.preventDefault();
    location.hash = base + '/changes?' + new URLSearchParams({ from: fromInput.value, to: toInput.value });
  } },
  h('label', { for: 'from' }, 'From (start of day, UTC)', fromInput),
  h('label', { for: 'to' }, 'To (end of day, UTC)', toInput),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Compare')));
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'What changed in ' + name),
    h('a', { href: base + '/history' }, 'SLAs and time to resolve'));
  if (!(from < to || from === to)) {
    mount(ctx.main, head, form, h('p', { class: 'error', role: 'alert' }, '"To" must not be before "From".'));
    return;
  }
  // [start of `from`, start of the day after `to`): both days included
  const end = new Date(Date.parse(to + 'T00:00:00Z') + 86400000).toISOString().replace('.000Z', 'Z');
  const d = await call('/v1/accounts/' + encodeURIComponent(ctx.account) + '/history/diff?'
    + new URLSearchParams({ from: from + 'T00:00:00Z', to: end, limit: '50' }));
  mount(ctx.main, head, form,
    h('p', { class: 'help', id: 'span' }, 'From ' + when(d.result_info.from) + ' to ' + when(d.result_info.to) + '.'),
    h('div', { class: 'sides' }, SIDES.map(([key, title]) => h('section', { class: 'card', 'aria-labelledby': 'h-' + key },
      h('h2', { id: 'h-' + key }, title, ' ', h('span', { class: 'count', id: 'count-' + key }, number(d.result[key].count))),
      h('p', {}, SEVERITIES.map((s) => [severityBadge(s), ' ' + number(d.result[key].by_severity[s]) + ' '])))),
    ),
    SIDES.map(([key, title]) => d.result[key].items.length ? h('section', { class: 'card', 'aria-labelledby': 'h-list-' + key },
      h('h2', { id: 'h-list-' + key }, title + ': first ' + d.result[key].items.length),
      scrollBox(title, h('table', { id: 'list-' + key },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Insight'), h('th', { scope: 'col' }, 'Severity'),
          h('th', { scope: 'col' }, 'Opened'), h('th', { scope: 'col' }, 'Resolved'))),
        h('tbody', {}, d.result[key].items.map((e) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: base + '/insights/' + e.insight_id }, e.subject),
            h('span', { class: 'muted' }, ' ' + e.check_id + (e.episode > 1 ? ' (reopened)' : ''))),
          h('td', {}, severityBadge(e.severity)),
          h('td', {}, when(e.opened_at)),
          h('td', {}, e.resolved_at ? when(e.resolved_at) : 'still open'))))))) : null));
}
