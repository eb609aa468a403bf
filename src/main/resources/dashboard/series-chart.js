// A small SVG line chart of monthly figures, one line per severity (MTTR in days, SLA attainment in
// per cent), with the numbers also in a table for screen readers and copy-paste. Drawn at the
// width of its box, one unit per CSS pixel, like the trend chart (chart.js).
import { h, scrollBox } from './dom.js';

const W0 = 640;
const H = 220;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

/**
 * `months`: the x axis ("2026-01", …); `series`: [{ name, values }] with one value (or null) per
 * month; `unit` names the y axis; `format` prints a value; `max` fixes the top (else the data's).
 */
export function seriesChart({ label, months, series, unit, format, max }) {
  const top = max || Math.max(1, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
  let svg = draw({ label, months, series, format, top }, W0);
  const box = h('div', { class: 'chart-box' }, svg);
  box.style.height = H + 'px';
  new ResizeObserver(([entry]) => {
    const w = Math.floor(entry.contentRect.width);
    if (w > 0 && w !== Number(svg.dataset.width)) {
      const next = draw({ label, months, series, format, top }, w);
      svg.replaceWith(next);
      svg = next;
    }
  }).observe(box);
  const legend = h('p', { class: 'legend' }, series.map((s) =>
    [h('span', { class: 'key key-' + s.name }), s.name + ' ']));
  const table = h('details', { class: 'data' }, h('summary', {}, 'Show the numbers'),
    scrollBox(label + ' in numbers', h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Month'),
        series.map((s) => h('th', { scope: 'col', class: 'num' }, s.name + ' (' + unit + ')')))),
      h('tbody', {}, months.map((m, i) => h('tr', {}, h('th', { scope: 'row' }, m),
        series.map((s) => h('td', { class: 'num' }, s.values[i] === null ? '—' : format(s.values[i])))))))));
  return h('div', { class: 'trend' }, box, legend, table);
}

function draw({ label, months, series, format, top }, W) {
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = iw / Math.max(1, months.length);
  const x = (i) => PAD.l + step * i + step / 2;
  const y = (v) => PAD.t + ih - (v / top) * ih;
  const grid = [0, 0.5, 1].map((f) => h('g', { class: 'grid' },
    h('line', { x1: PAD.l, x2: W - PAD.r, y1: y(top * f), y2: y(top * f) }),
    h('text', { x: PAD.l - 6, y: y(top * f) + 4, 'text-anchor': 'end' }, format(top * f))));
  const lines = series.map((s) => {
    const pts = s.values.map((v, i) => (v === null ? null : [x(i), y(v), v, months[i]])).filter(Boolean);
    return h('g', { class: 'series series-' + s.name },
      h('polyline', { fill: 'none', points: pts.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ') }),
      pts.map((p) => h('circle', { cx: p[0], cy: p[1], r: 3 }, h('title', {}, p[3] + ' ' + s.name + ': ' + format(p[2])))));
  });
  const labels = [0, Math.floor((months.length - 1) / 2), months.length - 1]
    .filter((i, k, a) => months[i] && a.indexOf(i) === k)
    .map((i) => h('text', { class: 'axis', x: x(i), y: H - 8, 'text-anchor': 'middle' }, months[i]));
  return h('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', dataset: { width: W },
    'aria-label': label + ', ' + months[0] + ' to ' + months[months.length - 1] }, grid, lines, labels);
}
