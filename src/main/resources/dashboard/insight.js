// One insight: what is wrong, why it matters, how to fix it, the offending resource, when it was
// seen, its history, and the user's decisions (dismiss, classify with rationale and expiry).
import { call } from './api.js';
import { h, mount, severityBadge, label, when, ago, scrollBox } from './dom.js';
import { checks } from './checks.js';
import { scanNow } from './scan.js';
import { refocus } from './focus.js';

export async function insight(ctx, id) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account) + '/insights/' + encodeURIComponent(id);
  const [i, audit, catalogue] = await Promise.all([
    call(a).then((r) => r.result), call(a + '/audit?per_page=50'), checks()]);
  const c = catalogue.get(i.issue_class);
  const title = c ? c.title : i.issue_class;
  document.title = title + ' · Vigil';
  const rerender = () => insight(ctx, id);
  const back = '#/a/' + encodeURIComponent(ctx.account) + '/insights';

  const dismiss = async () => {
    try {
      await call(a + '/dismiss', { method: 'PUT', body: { dismiss: !i.dismissed } });
      await rerender();
      refocus('dismiss'); // now reading "Restore" (or "Dismiss"): undo is one key away
      ctx.notify(i.dismissed ? 'Insight restored.' : 'Insight dismissed.', 'ok');
    } catch (e) {
      ctx.notify(e.message, 'error');
    }
  };

  mount(ctx.main,
    h('p', {}, h('a', { href: back }, '← All insights')),
    h('div', { class: 'page-head' },
      h('h1', { id: 'insight-title' }, severityBadge(i.severity), ' ', title),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'dismiss', onclick: dismiss }, i.dismissed ? 'Restore' : 'Dismiss'),
        h('button', { type: 'button', id: 'scan-target', onclick: () => scanNow(
          i.zone_id ? { kind: 'zone', id: i.zone_id, account: ctx.account } : { kind: 'account', id: ctx.account, account: ctx.account },
          ctx.notify, () => rerender().then(() => refocus('scan-target'))) }, 'Scan ' + (i.zone_id ? 'zone' : 'account') + ' now'))),
    h('p', { class: 'tags', id: 'insight-state' },
      h('span', { class: i.status === 'open' ? 'tag' : 'tag tag-ok' }, i.status),
      i.dismissed ? h('span', { class: 'tag tag-muted' }, 'dismissed') : null,
      i.classification ? h('span', { class: 'tag' }, label(i.classification)) : null,
      i.classification_lapsed ? h('span', { class: 'tag tag-warn' }, 'classification lapsed: review again') : null,
      h('span', { class: 'sub' }, label(i.issue_type) + ' · ' + i.issue_class)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'h-what' },
        h('h2', { id: 'h-what' }, 'What is wrong'),
        c ? h('p', {}, c.description) : null,
        h('p', { class: 'message', id: 'insight-message' }, i.message),
        h('h2', {}, 'Why it matters'),
        h('p', { id: 'insight-risk' }, c ? c.risk : 'This check is not in the catalogue the API knows.'),
        h('h2', {}, 'How to fix it'),
        c ? h('ol', { id: 'insight-fix' }, c.remediation_steps.map((s) => h('li', {}, s))) : h('p', {}, '—'),
        c && c.remediation_link
          ? h('p', {}, h('a', { href: c.remediation_link, rel: 'noopener noreferrer', target: '_blank' }, 'Documentation')) : null),
      h('section', { class: 'card', 'aria-labelledby': 'h-res' },
        h('h2', { id: 'h-res' }, 'Resource'),
        h('dl', { class: 'facts' },
          fact('Subject', i.subject, 'insight-subject'), fact('Resource key', i.resource_key),
          fact('Zone', i.zone_id || '— (account-wide)'), fact('Account', i.account_id),
          fact('First seen', when(i.first_seen_at)), fact('Last seen', when(i.last_seen_at) + ' (' + ago(i.last_seen_at) + ')'),
          i.resolved_at ? fact('Resolved', when(i.resolved_at)) : null),
        classifyForm(ctx, a, i, rerender))),
    h('section', { class: 'card', 'aria-labelledby': 'h-hist' },
      h('h2', { id: 'h-hist' }, 'History'),
      scrollBox('History', h('table', { id: 'history' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'What'),
          h('th', { scope: 'col' }, 'By'), h('th', { scope: 'col' }, 'Detail'))),
        h('tbody', {}, audit.result.map((e) => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, label(e.action)),
          h('td', {}, e.changed_by), h('td', { class: 'sub' }, detail(e)))))))));
}

function fact(term, value, id) {
  return [h('dt', {}, term), h('dd', { id }, value)];
}

function detail(e) {
  if (e.field === 'classification') {
    const d = e.detail || {};
    return (d.new ? label(d.new) : 'cleared') + (d.rationale ? ': ' + d.rationale : '')
      + (d.expires_at ? ' (until ' + when(d.expires_at) + ')' : '');
  }
  if (e.field === 'status') return (e.old ? e.old + ' → ' : '') + e.new;
  return '';
}

function classifyForm(ctx, a, i, rerender) {
  const current = i.classification || '';
  const choice = h('select', { id: 'classification', name: 'classification' },
    [['', 'Not classified'], ['false_positive', 'False positive'], ['accept_risk', 'Accept risk'], ['other', 'Other']]
      .map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
  const rationale = h('textarea', { id: 'rationale', name: 'rationale', rows: 3, maxlength: 4000 },
    i.classification ? i.classification_rationale || '' : '');
  const expires = h('input', { id: 'expires', name: 'expires', type: 'date',
    value: i.classification_expires_at ? i.classification_expires_at.slice(0, 10) : '' });
  const error = h('p', { class: 'error', role: 'alert', id: 'classify-error' });
  return h('form', { class: 'classify', 'aria-labelledby': 'h-class', onsubmit: async (e) => {
    e.preventDefault();
    const body = { classification: choice.value || null };
    if (choice.value) {
      if (!rationale.value.trim()) {
        error.textContent = 'Say why: a rationale is required to classify.';
        rationale.focus();
        return;
      }
      body.rationale = rationale.value.trim();
      if (expires.value) body.expires_at = expires.value + 'T00:00:00Z';
    }
    try {
      await call(a + '/classification', { method: 'PUT', body });
      await rerender();
      refocus('classify');
      ctx.notify(choice.value ? 'Classified as ' + label(choice.value) + '.' : 'Classification cleared.', 'ok');
    } catch (err) {
      error.textContent = err.message;
    }
  } },
  h('h2', { id: 'h-class' }, 'Classify'),
  h('label', { for: 'classification' }, 'Classification'), choice,
  h('label', { for: 'rationale' }, 'Rationale'), rationale,
  h('label', { for: 'expires' }, 'Expires (optional; afterwards it is up for review again)'), expires,
  i.classified_by ? h('p', { class: 'help' }, 'Last classified by ' + i.classified_by + ', ' + ago(i.classified_at) + '.') : null,
  error,
  h('button', { type: 'submit', class: 'primary', id: 'classify' }, 'Save classification'));
}
