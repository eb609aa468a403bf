// The Alerts page of an account (issue 19): its destinations and rules, forms to add them, and
// the actions on each (rotate a webhook's secret, pause, resume, send a test, delete). A webhook's
// signing secret is answered by the API once, at creation or rotation: it is shown here from memory
// right after, and never again (a reload has nothing to show).
import { call } from './api.js';
import { h, mount, label, when, scrollBox } from './dom.js';
import { destinationForm, ruleForm, FILTERS } from './alert-forms.js';
import { refocus } from './focus.js';

/** The secret to show once, set by a creation or rotation just before the page is redrawn. */
let revealed = null;

export async function alerts(ctx) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const [dests, rules] = await Promise.all([
    call(a + '/alerting/destinations').then((r) => r.result),
    call(a + '/alerting/rules').then((r) => r.result)]);
  document.title = 'Alerts · Vigil';
  const ro = !ctx.me.write;
  const names = new Map(dests.map((d) => [d.id, d.name]));
  const rerender = () => alerts(ctx);
  const secret = revealed;
  revealed = null;
  const writeAttrs = ro ? { disabled: true, 'aria-describedby': 'readonly-note' } : {};
  const act = (id, text, run, extra = {}) => h('button', { type: 'button', class: 'small', id, ...writeAttrs, ...extra,
    onclick: run }, text);

  const attempt = async (what, focusId, success) => {
    try {
      const message = await what();
      await rerender();
      if (focusId) refocus(focusId);
      ctx.notify(message || success, 'ok');
    } catch (e) {
      ctx.notify(e.message, 'error');
    }
  };

  const destRows = dests.map((d) => h('tr', { id: 'dest-' + d.id },
    h('th', { scope: 'row' }, d.name),
    h('td', {}, label(d.kind)),
    h('td', { class: 'target' }, d.kind === 'email' ? d.recipients.join(', ') : d.kind === 'slack' ? 'host ' + d.url : d.url),
    h('td', {}, d.disabled_at
      ? [h('span', { class: 'tag tag-warn' }, 'disabled'), h('div', { class: 'sub' }, when(d.disabled_at) + ': ' + (d.disabled_reason || 'no reason given'))]
      : h('span', { class: 'tag tag-ok' }, 'active'),
    d.previous_secret_until ? h('div', { class: 'sub' }, 'Previous secret valid until ' + when(d.previous_secret_until)) : null),
    h('td', { class: 'actions-cell' },
      d.kind === 'webhook' ? act('dest-rotate-' + d.id, 'Rotate secret', () => attempt(async () => {
        const r = (await call(a + '/alerting/destinations/' + d.id + '/rotate-secret', { method: 'POST' })).result;
        revealed = { name: r.name, secret: r.secret, rotated: r.previous_secret_until };
        return 'New secret of ' + r.name + ' made; it is shown once, above.';
      }, 'secret-title'), { 'aria-label': 'Rotate secret of ' + d.name }) : null,
      act('dest-delete-' + d.id, 'Delete', (e) => confirmInline(e.currentTarget,
        'Delete ' + d.name + ' and its rules?', () => attempt(async () => {
          await call(a + '/alerting/destinations/' + d.id, { method: 'DELETE', raw: true });
          return 'Destination ' + d.name + ' deleted, with the rules that sent to it.';
        }, 'h-dests')), { 'aria-label': 'Delete ' + d.name }))));

  const ruleRows = rules.map((r) => h('tr', { id: 'rule-' + r.id },
    h('th', { scope: 'row' }, r.name),
    h('td', {}, names.get(r.destination_id) || '#' + r.destination_id),
    h('td', {}, r.triggers.map(label).join(', ')),
    h('td', {}, r.mode === 'digest' ? 'Digest every ' + duration(r.digest_window) : 'At once'),
    h('td', { class: 'rule-filters' }, filtersInWords(r.filters)),
    h('td', {}, r.paused ? h('span', { class: 'tag tag-muted' }, 'paused') : h('span', { class: 'tag tag-ok' }, 'active')),
    h('td', { class: 'actions-cell' },
      act('rule-pause-' + r.id, r.paused ? 'Resume' : 'Pause', () => attempt(async () => {
        await call(a + '/alerting/rules/' + r.id + (r.paused ? '/resume' : '/pause'), { method: 'POST' });
        return 'Rule ' + r.name + (r.paused ? ' resumed.' : ' paused: it alerts on nothing until resumed.');
      }, 'rule-pause-' + r.id), { 'aria-label': (r.paused ? 'Resume ' : 'Pause ') + r.name }),
      act('rule-test-' + r.id, 'Send test', () => sendTest(ctx, a, r, () => refocus('rule-test-' + r.id)),
        { 'aria-label': 'Send test of ' + r.name }),
      h('a', { class: 'button small', id: 'rule-log-' + r.id, 'aria-label': 'Delivery log of ' + r.name,
        href: '#/a/' + encodeURIComponent(ctx.account) + '/alerts/rules/' + r.id }, 'Delivery log'),
      act('rule-delete-' + r.id, 'Delete', (e) => confirmInline(e.currentTarget, 'Delete rule ' + r.name + '?',
        () => attempt(async () => {
          await call(a + '/alerting/rules/' + r.id, { method: 'DELETE', raw: true });
          return 'Rule ' + r.name + ' deleted.';
        }, 'h-rules')), { 'aria-label': 'Delete ' + r.name }))));

  const table = (id, caption, heads, rows) => scrollBox(caption, h('table', { id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows)));

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Alerts')),
    ro ? h('p', { class: 'notice notice-warn readonly', id: 'readonly-note' },
      'This token can read alerting but not change it: adding, testing, pausing and deleting are disabled. '
      + 'Sign in with a write token of this account to change them.') : null,
    secret ? secretBox(secret) : null,
    h('section', { class: 'card', 'aria-labelledby': 'h-dests' },
      h('h2', { id: 'h-dests' }, 'Destinations'),
      dests.length ? table('destinations', 'Destinations', ['Name', 'Kind', 'Sends to', 'State', 'Actions'], destRows)
        : h('p', { class: 'empty' }, 'No destination yet: add one below, then a rule that sends to it.'),
      destinationForm(a, ro, async (d) => {
        if (d.secret) revealed = { name: d.name, secret: d.secret };
        await rerender();
        if (d.secret) document.getElementById('secret-title').focus();
        else refocus('dest-create');
        ctx.notify('Destination ' + d.name + ' added.' + (d.secret ? ' Copy its signing secret now: it is shown once.' : ''), 'ok');
      })),
    h('section', { class: 'card', 'aria-labelledby': 'h-rules' },
      h('h2', { id: 'h-rules' }, 'Rules'),
      rules.length ? table('rules', 'Rules', ['Name', 'Destination', 'Triggers', 'Sends', 'Filters', 'State', 'Actions'], ruleRows)
        : h('p', { class: 'empty' }, 'No rule yet.'),
      ruleForm(a, dests, ro, async (r) => {
        await rerender();
        refocus('rule-test-' + r.id);
        ctx.notify('Rule ' + r.name + ' added and active. Send a test to check its destination.', 'ok');
      })));
  // After a deletion focus goes to the section's heading (the row is gone): it must take it.
  ctx.main.querySelectorAll('h2').forEach((x) => x.setAttribute('tabindex', '-1'));
}

/** Queues a test message of rule `r`; the notice says its id and where to follow it. */
export async function sendTest(ctx, a, r, after) {
  try {
    const m = (await call(a + '/alerting/rules/' + r.id + '/test', { method: 'POST' })).result;
    after();
    ctx.notify(h('span', { id: 'test-queued' }, 'Test message ', h('code', { class: 'message-id' }, m.message_id),
      ' queued for ' + r.name + ' (' + m.status + '). ',
      h('a', { href: '#/a/' + encodeURIComponent(ctx.account) + '/alerts/rules/' + r.id }, 'Follow it in the delivery log')), 'ok');
  } catch (e) {
    ctx.notify(e.message, 'error');
  }
}

/**
 * Replaces `button` by a question with "Delete" and "Cancel": focus goes to "Delete"; Cancel (or
 * Escape within the question) puts the button back and focus on it.
 */
function confirmInline(button, question, yes) {
  const cell = button.parentNode;
  const keep = [...cell.childNodes];
  const cancel = () => { mount(cell, keep); button.focus(); };
  const confirm = h('button', { type: 'button', class: 'small danger', id: button.id + '-confirm',
    onclick: yes }, 'Delete');
  mount(cell, h('span', { role: 'group', 'aria-label': question, class: 'confirm',
    onkeydown: (e) => { if (e.key === 'Escape') { e.preventDefault(); cancel(); } } },
    h('span', { class: 'question' }, question), ' ', confirm, ' ',
    h('button', { type: 'button', class: 'small', id: button.id + '-cancel', onclick: cancel }, 'Cancel')));
  confirm.focus();
}

function secretBox({ name, secret, rotated }) {
  const value = h('input', { id: 'secret-value', readonly: true, value: secret, 'aria-labelledby': 'secret-title',
    'aria-describedby': 'secret-note', spellcheck: 'false', autocomplete: 'off' });
  const box = h('section', { class: 'card secret', id: 'secret-box', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title', tabindex: -1 }, (rotated ? 'New signing secret of ' : 'Signing secret of ') + name),
    h('p', { id: 'secret-note' }, h('strong', {}, 'Copy it now: you will not see this again. '),
      'Receivers check the webhook-signature header with it (Standard Webhooks).',
      rotated ? ' The previous secret keeps signing until ' + when(rotated) + '.' : ''),
    h('div', { class: 'secret-row' }, value,
      h('button', { type: 'button', id: 'secret-copy', onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret);
        } catch {
          value.select();
          document.execCommand('copy');
        }
        document.getElementById('secret-copied').textContent = 'Copied.';
      } }, 'Copy'),
      h('span', { id: 'secret-copied', class: 'help', role: 'status' })),
    h('button', { type: 'button', id: 'secret-done', onclick: () => {
      box.remove();
      document.getElementById('h-dests').focus();
    } }, 'I have saved it'));
  return box;
}

/** "critical or high" / "not z1, z2" for each filter, joined: what a rule matches in words. */
export function filtersInWords(filters) {
  const parts = [];
  for (const [key, text] of FILTERS) {
    const plain = filters[key];
    const neg = filters[key + '~neq'];
    const values = plain || neg;
    if (!values) continue;
    const shown = key === 'severity' || key === 'issue_type' ? values.map((v) => label(v).toLowerCase()) : values;
    parts.push(text + (neg ? (shown.length > 1 ? ' is none of ' : ' is not ') : (shown.length > 1 ? ' is one of ' : ' is '))
      + shown.join(', '));
  }
  return parts.length ? parts.join('; ') : 'Any insight';
}

/** PT5M → "5 min", PT1H → "1 h", PT30S → "30 s"; the text itself otherwise. */
export function duration(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso || '');
  if (!m) return iso || '—';
  return [[m[1], 'h'], [m[2], 'min'], [m[3], 's']].filter(([n]) => n).map(([n, u]) => n + ' ' + u).join(' ');
}
