// The Compliance page of an account (issue 21): a framework picker, the framework's summary, and
// its controls, each with its checks and the targets passing and failing it, as the API counts
// them (GET .../compliance/<framework>); each control links to the insights of its checks, and the
// report downloads as CSV or OCSF.
import { call, download } from './api.js';
import { h, mount, number, scrollBox, severityBadge } from './dom.js';

const STATUS = { fail: ['Failing', 'tag-warn'], pass: ['Passing', 'tag-ok'], not_scanned: ['Not scanned', 'tag-muted'] };

function statusTag(status) {
  const [text, cls] = STATUS[status] || [status, 'tag-muted'];
  return h('span', { class: 'tag ' + cls }, text);
}

export async function compliance(ctx) {
  const a = '/v1/accounts/' + encodeURIComponent(ctx.account);
  const frameworks = (await call(a + '/compliance')).result;
  const chosen = frameworks.find((f) => f.id === ctx.params.get('framework')) || frameworks[0];
  const page = await call(a + '/compliance/' + encodeURIComponent(chosen.id));
  const summary = page.result_info;
  document.title = 'Compliance · Vigil';
  const base = '#/a/' + encodeURIComponent(ctx.account);

  const picker = h('select', { id: 'framework', name: 'framework',
    onchange: () => { location.hash = base + '/compliance?framework=' + encodeURIComponent(picker.value); } },
  frameworks.map((f) => h('option', { value: f.id, selected: f.id === chosen.id }, f.title)));

  const exportAs = async (format) => {
    try {
      const f = await download(a + '/compliance/' + encodeURIComponent(chosen.id) + '/export?format=' + format,
        'compliance-' + chosen.id + '.' + format);
      ctx.notify('Downloaded ' + f.name + ' (' + number(f.bytes) + ' bytes).', 'ok');
    } catch (e) {
      ctx.notify(e.message, 'error');
    }
  };

  const stat = (id, title, value, note) => h('div', { class: 'card stat', id },
    h('span', { class: 'card-title' }, title), h('span', { class: 'card-value' }, number(value)),
    h('span', { class: 'card-note' }, note));

  const rows = page.result.map((c) => h('tr', { class: 'control', dataset: { control: c.control } },
    h('th', { scope: 'row' }, c.control),
    h('td', {}, statusTag(c.status)),
    h('td', {}, h('ul', { class: 'checks' }, c.checks.map((k) => h('li', {},
      severityBadge(k.severity), ' ', h('code', {}, k.id),
      k.failing ? h('span', { class: 'sub' }, ' · ' + number(k.failing) + ' failing') : null,
      h('div', { class: 'sub' }, k.title))))),
    h('td', { class: 'num passing' }, number(c.passing)),
    h('td', { class: 'num failing' }, number(c.failing)),
    h('td', {}, h('a', { class: 'control-insights',
      href: base + '/insights?compliance=' + encodeURIComponent(chosen.id + ':' + c.control) + '&dismissed=false',
      'aria-label': 'Open insights of ' + chosen.title + ' control ' + c.control }, 'Insights'))));

  mount(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Compliance'),
      h('div', { class: 'actions' },
        h('label', { for: 'framework' }, 'Framework '), picker)),
    h('p', { class: 'sub', id: 'compliance-note' },
      'A target fails a control when it has an open insight, not dismissed, of one of the control\'s checks;'
      + ' it passes when it was scanned and has none.'),
    h('div', { class: 'cards', id: 'compliance-summary' },
      stat('sum-targets-failing', 'Targets failing', summary.targets_failing, 'of ' + number(summary.targets_scanned) + ' scanned'),
      stat('sum-targets-passing', 'Targets passing', summary.targets_passing, 'every control'),
      stat('sum-controls-failing', 'Controls failing', summary.controls_failing, 'of ' + number(summary.controls) + ' controls'),
      stat('sum-controls-passing', 'Controls passing', summary.controls_passing, number(summary.checks) + ' checks')),
    h('section', { class: 'card', 'aria-labelledby': 'h-controls' },
      h('div', { class: 'page-head' }, h('h2', { id: 'h-controls' }, 'Controls of ' + chosen.title),
        h('div', { role: 'group', 'aria-label': 'Export this report' }, h('span', { class: 'help' }, 'Export:'),
          ['csv', 'ocsf'].map((f) => h('button', { type: 'button', class: 'small', id: 'compliance-export-' + f,
            'aria-label': 'Export this report as ' + f.toUpperCase(), onclick: () => exportAs(f) }, f.toUpperCase())))),
      scrollBox('Controls', h('table', { id: 'controls' },
        h('thead', {}, h('tr', {}, ['Control', 'Status', 'Checks', 'Passing', 'Failing', 'Insights']
          .map((t, i) => h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : null }, t)))),
        h('tbody', {}, rows)))));
}
