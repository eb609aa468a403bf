// The Alerts page's two forms: a new destination (webhook, Slack, e-mail) and a new rule (its
// destination, triggers, mode and filters). The API checks every value; its refusal names the field
// (problem+json `field`), and the message is shown next to that field, which gets focus.
import { call } from './api.js';
import { h, label, SEVERITIES, ISSUE_TYPES } from './dom.js';

export const TRIGGERS = ['opened', 'reopened', 'resolved'];
export const WINDOWS = [['PT1M', '1 min'], ['PT5M', '5 min'], ['PT15M', '15 min'], ['PT1H', '1 h'], ['PT6H', '6 h'], ['PT24H', '24 h']];

/** The filters a rule can hold, in the order they are shown, with their name in words. */
export const FILTERS = [
  ['severity', 'Severity'], ['issue_type', 'Issue type'], ['zone_id', 'Zone id'],
  ['check_id', 'Check id'], ['family', 'Check family']];

/**
 * A labelled control with its help and its error line, both read with it (aria-describedby).
 * `key` is the API's name of the field: an error naming it lands here.
 */
function field(id, text, control, key, help) {
  const errId = id + '-error';
  const helpId = help ? id + '-help' : null;
  control.id = id;
  control.setAttribute('aria-describedby', [helpId, errId].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { field: key, control: id, error: errId } },
    h('label', { for: id }, text), control,
    help ? h('p', { class: 'help', id: helpId }, help) : null,
    h('p', { class: 'error', id: errId }));
}

/** A group of checkboxes or radios under a legend, with its error line; `key` as for field(). */
function group(id, legend, key, inputs, extra) {
  const errId = id + '-error';
  return h('fieldset', { id, class: 'group', 'aria-describedby': errId, dataset: { field: key, error: errId } },
    h('legend', {}, legend), h('div', { class: 'choices' }, inputs), extra,
    h('p', { class: 'error', id: errId }));
}

function choice(type, name, value, text, checked, id) {
  return h('label', { class: 'choice' },
    h('input', { type, name, value, id: id || name + '-' + value, checked }), ' ', text);
}

/** Clears the errors a form shows. */
function clearErrors(form) {
  form.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/**
 * Shows `err` next to the field it names (`recipients[1]` and `filters.check_id~neq` land on
 * `recipients` and `filters.check_id`) and focuses that field; in the form's own error line when
 * it names none the form has.
 */
export function showError(form, err) {
  clearErrors(form);
  const key = String(err.field || '').replace(/\[\d+\]$/, '').replace(/~neq$/, '');
  const box = key ? [...form.querySelectorAll('[data-field]')].find((b) => b.dataset.field === key && !b.hidden) : null;
  if (!box) {
    const general = form.querySelector('.form-error');
    general.textContent = err.message;
    general.focus();
    return;
  }
  document.getElementById(box.dataset.error).textContent = err.message;
  const control = box.dataset.control ? document.getElementById(box.dataset.control)
    : box.querySelector('input:not([disabled]), select, textarea');
  control.setAttribute('aria-invalid', 'true');
  control.focus();
}

function formError(id) {
  return h('p', { class: 'error form-error', id, role: 'alert', tabindex: -1 });
}

/**
 * The form that adds a destination; `created(destination)` is called with the API's answer
 * (which holds a webhook's secret, once).
 */
export function destinationForm(a, disabled, created) {
  const kind = h('select', { name: 'kind' },
    [['webhook', 'Webhook (signed)'], ['slack', 'Slack'], ['email', 'E-mail']].map(([v, t]) => h('option', { value: v }, t)));
  const settings = {
    webhook: field('dest-url', 'Webhook URL', h('input', { type: 'url', name: 'url', autocomplete: 'off', placeholder: 'https://hooks.example.com/vigil' }),
      'url', 'Receives a POST per message, signed as Standard Webhooks specify.'),
    slack: field('dest-slack', 'Slack incoming-webhook URL', h('input', { type: 'url', name: 'webhook_url', autocomplete: 'off' }),
      'webhook_url', 'Stored sealed: only its host is shown again.'),
    email: field('dest-recipients', 'Recipients', h('textarea', { name: 'recipients', rows: 2 }),
      'recipients', 'E-mail addresses, separated by commas or new lines.'),
  };
  const show = () => Object.entries(settings).forEach(([k, el]) => { el.hidden = k !== kind.value; });
  kind.addEventListener('change', show);
  show();
  const name = h('input', { name: 'name', autocomplete: 'off', required: true, maxlength: 200 });
  const form = h('form', { class: 'alert-form', 'aria-labelledby': 'h-new-dest', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { name: name.value.trim(), kind: kind.value };
    if (kind.value === 'webhook') body.url = form.elements.url.value.trim();
    if (kind.value === 'slack') body.webhook_url = form.elements.webhook_url.value.trim();
    if (kind.value === 'email') body.recipients = form.elements.recipients.value.split(/[\s,;]+/).filter(Boolean);
    try {
      const d = (await call(a + '/alerting/destinations', { method: 'POST', body })).result;
      form.reset();
      show();
      await created(d);
    } catch (err) {
      showError(form, err);
    }
  } },
  h('h3', { id: 'h-new-dest' }, 'Add a destination'),
  h('fieldset', { class: 'plain', disabled },
    h('div', { class: 'form-row' },
      field('dest-name', 'Name', name, 'name', null),
      field('dest-kind', 'Kind', kind, 'kind', null)),
    Object.values(settings),
    formError('dest-form-error'),
    h('button', { type: 'submit', class: 'primary', id: 'dest-create' }, 'Add destination')));
  return form;
}

/** The form that adds a rule sending to one of `destinations`; `created(rule)` after the API's yes. */
export function ruleForm(a, destinations, disabled, created) {
  const name = h('input', { name: 'name', autocomplete: 'off', required: true, maxlength: 200 });
  const dest = h('select', { name: 'destination_id' },
    destinations.length ? destinations.map((d) => h('option', { value: d.id }, d.name + ' (' + d.kind + ')'))
      : h('option', { value: '' }, 'Add a destination first'));
  const win = h('select', { name: 'digest_window', disabled: true },
    WINDOWS.map(([v, t]) => h('option', { value: v, selected: v === 'PT5M' }, t)));
  const modes = group('rule-mode', 'Send', 'mode', [
    choice('radio', 'mode', 'immediate', 'At once: one message per scan', true, 'rule-mode-immediate'),
    choice('radio', 'mode', 'digest', 'As a digest: one message per window', false, 'rule-mode-digest')],
  field('rule-window', 'Digest window', win, 'digest_window', 'The first event waits this long for others.'));
  modes.addEventListener('change', () => { win.disabled = form.elements.mode.value !== 'digest'; });
  const filters = FILTERS.map(([key, text]) => filterControl(key, text));
  const form = h('form', { class: 'alert-form', 'aria-labelledby': 'h-new-rule', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = {};
    for (const [key] of FILTERS) {
      const box = document.getElementById('rule-f-' + key);
      const values = key === 'severity' || key === 'issue_type'
        ? [...box.querySelectorAll('input[name=' + key + ']:checked')].map((c) => c.value)
        : box.querySelector('input[name=' + key + ']').value.split(/[\s,]+/).filter(Boolean);
      if (values.length) f[key + (box.querySelector('input[name=not]').checked ? '~neq' : '')] = values;
    }
    const body = {
      name: name.value.trim(),
      destination_id: dest.value ? Number(dest.value) : null,
      triggers: [...form.querySelectorAll('input[name=trigger]:checked')].map((c) => c.value),
      mode: form.elements.mode.value,
      filters: f,
    };
    if (body.mode === 'digest') body.digest_window = win.value;
    try {
      const r = (await call(a + '/alerting/rules', { method: 'POST', body })).result;
      form.reset();
      win.disabled = true;
      await created(r);
    } catch (err) {
      showError(form, err);
    }
  } },
  h('h3', { id: 'h-new-rule' }, 'Add a rule'),
  h('fieldset', { class: 'plain', disabled: disabled || !destinations.length },
    h('div', { class: 'form-row' },
      field('rule-name', 'Name', name, 'name', null),
      field('rule-destination', 'Destination', dest, 'destination_id', null)),
    group('rule-triggers', 'Alert when an insight is', 'triggers',
      TRIGGERS.map((t) => choice('checkbox', 'trigger', t, label(t), t === 'opened', 'rule-trigger-' + t))),
    modes,
    h('fieldset', { class: 'group filters-group' },
      h('legend', {}, 'Filters'),
      h('p', { class: 'help' }, 'All given filters must match; any value within one. Leave a filter empty to match any.'),
      filters),
    formError('rule-form-error'),
    h('button', { type: 'submit', class: 'primary', id: 'rule-create' }, 'Add rule')));
  return form;
}

/** One filter: checkboxes (severity, issue type) or a text of values, and its "not" toggle. */
function filterControl(key, text) {
  const not = h('label', { class: 'choice not' }, h('input', { type: 'checkbox', name: 'not', id: 'rule-not-' + key }), ' Not (exclude these)');
  if (key === 'severity' || key === 'issue_type') {
    const values = key === 'severity' ? SEVERITIES : ISSUE_TYPES;
    return group('rule-f-' + key, text, 'filters.' + key,
      values.map((v) => choice('checkbox', key, v, label(v), false, 'rule-' + key + '-' + v)), not);
  }
  const help = { zone_id: 'Zone ids, separated by commas.', check_id: 'e.g. tls.ssl_flexible', family: 'The part of a check id before the dot, e.g. tls' }[key];
  const box = field('rule-' + key, text, h('input', { name: key, autocomplete: 'off' }), 'filters.' + key, help);
  box.id = 'rule-f-' + key;
  box.append(not);
  return box;
}
