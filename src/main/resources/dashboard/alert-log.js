// A rule's delivery log (issue 19, part 3): its messages, newest first, each with its status and
// its attempts (outcome, HTTP status, latency, error), paged by the API's cursor; refreshed on
// demand, since a message's state changes while the dispatcher works on it.
import { call, query } from './api.js';
import { h, mount, label, when, scrollBox } from './dom.js';
import { refocus } from './focus.js';
import { sendTest, filtersInWords, duration } from './alerts.js';

const older = [];  // cursors of the pages before the current one

export async function alertLog(ctx, ruleId, cursor = null) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const [rule, page, dests] = await Promise.all([
    call(a + '/alerting/rules/' + encodeURIComponent(ruleId)).then((r) => r.result),
    call(a + '/alerting/rules/' + encodeURIComponent(ruleId) + '/deliveries' + query({ per_page: 50, cursor })),
    call(a + '/alerting/destinations').then((r) => r.result).catch(() => [])]);
  document.title = 'Delivery log of ' + rule.name + ' · Vigil';
  if (!cursor) older.length = 0;
  const dest = dests.find((d) => d.id === rule.destination_id);
  const again = (c) => alertLog(ctx, ruleId, c);
  const ro = !ctx.me.write;

  const rows = page.result.map((m) => h('tr', { class: 'delivery', dataset: { message: m.id } },
    h('td', {}, when(m.created_at)),
    h('td', {}, h('code', { class: 'message-id' }, m.id), m.test ? h('span', { class: 'tag' }, 'test') : null,
      h('div', { class: 'sub' }, m.events + (m.events === 1 ? ' event' : ' events'))),
    h('td', {}, h('span', { class: 'tag status-' + m.status }, m.status)),
    h('td', {}, when(m.delivered_at)),
    h('td', { class: 'error-text' }, m.last_error || '—'),
    h('td', {}, m.attempt_log.length
      ? h('ol', { class: 'attempts', reversed: true }, m.attempt_log.map((t) => h('li', {},
        h('span', { class: 'outcome outcome-' + t.outcome }, label(t.outcome)),
        ' · ' + [t.status_code != null ? 'HTTP ' + t.status_code : 'no HTTP status',
          t.latency_ms != null ? t.latency_ms + ' ms' : null, when(t.at)].filter(Boolean).join(' · '),
        t.error ? h('div', { class: 'error-text' }, t.error) : null)))
      : h('span', { class: 'sub' }, 'none yet'))));

  mount(ctx.main,
    h('p', {}, h('a', { href: '#/a/' + encodeURIComponent(ctx.account) + '/alerts' }, '← Alerts')),
    h('div', { class: 'page-head' }, h('h1', {}, 'Delivery log of ' + rule.name),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'log-refresh', onclick: async () => {
          try {
            await again(cursor);
            refocus('log-refresh');
            ctx.notify('Delivery log refreshed at ' + when(new Date().toISOString()) + '.', 'ok');
          } catch (e) {
            ctx.notify(e.message, 'error');
          }
        } }, 'Refresh'),
        h('button', { type: 'button', id: 'log-test', disabled: ro,
          'aria-describedby': ro ? 'log-readonly' : null,
          onclick: () => sendTest(ctx, a, rule, () => again(null).then(() => refocus('log-test'))) }, 'Send test'))),
    ro ? h('p', { class: 'help', id: 'log-readonly' }, 'This token is read-only: it cannot send a test.') : null,
    h('p', { class: 'sub', id: 'log-rule' },
      'To ' + (dest ? dest.name + ' (' + dest.kind + ')' : '#' + rule.destination_id) + ' · '
      + rule.triggers.join(', ') + ' · ' + (rule.mode === 'digest' ? 'digest every ' + duration(rule.digest_window) : 'at once')
      + ' · ' + filtersInWords(rule.filters) + (rule.paused ? ' · paused' : '')),
    h('section', { class: 'card', 'aria-labelledby': 'h-log' },
      h('h2', { id: 'h-log' }, 'Messages, newest first'),
      page.result.length
        ? scrollBox('Delivery log', h('table', { id: 'deliveries' },
          h('thead', {}, h('tr', {}, ['Created', 'Message', 'Status', 'Delivered', 'Last error', 'Attempts, newest first']
            .map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows)))
        : h('p', { class: 'empty', id: 'log-empty' }, 'No message yet. Send a test to see one here.'),
      h('nav', { class: 'pager', 'aria-label': 'Pages of the log' },
        h('button', { type: 'button', id: 'log-newer', disabled: !cursor,
          onclick: () => { const prev = older.pop(); again(prev === undefined ? null : prev).then(() => refocus('log-newer')); } }, '← Newer'),
        h('button', { type: 'button', id: 'log-older', disabled: !page.result_info.cursor,
          onclick: () => { older.push(cursor); again(page.result_info.cursor).then(() => refocus('log-older')); } }, 'Older →'))));
}
