// A small SVG chart of the trend: open insights at the end of each day (line) and insights
// resolved that day (bars), with the numbers also in a table for screen readers and copy-paste.
import { h, number, scrollBox } from './dom.js';

/** Width before the chart is laid out; afterwards, its box's width in CSS pixels. */
const W0 = 640;
const H = 220;
const PAD = { l: 44, r: 12, t: 12, b: 28 };

/**
 * The chart, redrawn at the width of its box whenever that changes, so one unit of the drawing is
 * one CSS pixel and its labels are as big as app.css says on every screen. A fixed 640-unit
 * drawing scaled to the box made them ~5 px tall on a 390 px phone (issue 18, item 9).
 */
export function trendChart(points) {
  let svg = draw(points, W0);
  const box = h('div', { class: 'chart-box' }, svg);
  // The box keeps the drawing's height whatever the width: a redraw then changes nothing the
  // observer watches, so it is not called again in the same frame (the "ResizeObserver loop"
  // error a browser reports otherwise).
  box.style.height = H + 'px';
  new ResizeObserver(([entry]) => {
    const w = Math.floor(entry.contentRect.width);
    if (w > 0 && w !== Number(svg.dataset.width)) {
      const next = draw(points, w);
      svg.replaceWith(next);
      svg = next;
    }
  }).observe(box);
  return h('div', { class: 'trend' }, box, legendAndNumbers(points));
}

function draw(points, W) {
  const max = Math.max(1, ...points.map((p) => Math.max(p.open, p.resolved)));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = iw / Math.max(1, points.length);
  const x = (i) => PAD.l + step * i + step / 2;
  const y = (v) => PAD.t + ih - (v / max) * ih;
  const grid = [0, 0.5, 1].map((f) => {
    const v = Math.round(max * f);
    return h('g', { class: 'grid' },
      h('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }),
      h('text', { x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, number(v)));
  });
  const bars = points.map((p, i) => h('rect', {
    class: 'bar-resolved', x: x(i) - step * 0.3, width: step * 0.6, y: y(p.resolved),
    height: Math.max(0, PAD.t + ih - y(p.resolved)),
  }, h('title', {}, p.day + ': ' + p.resolved + ' resolved')));
  const line = h('polyline', { class: 'line-open', fill: 'none',
    points: points.map((p, i) => x(i).toFixed(1) + ',' + y(p.open).toFixed(1)).join(' ') });
  const dots = points.map((p, i) => h('circle', { class: 'dot-open', cx: x(i), cy: y(p.open), r: 3 },
    h('title', {}, p.day + ': ' + p.open + ' open')));
  const labels = [0, Math.floor((points.length - 1) / 2), points.length - 1]
    .filter((i, k, a) => points[i] && a.indexOf(i) === k)
    .map((i) => h('text', { class: 'axis', x: x(i), y: H - 8, 'text-anchor': 'middle' }, points[i].day.slice(5)));
  const last = points[points.length - 1] || { open: 0, resolved: 0 };
  return h('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', dataset: { width: W },
    'aria-label': `Open insights over the last ${points.length} days, now ${last.open}; resolved today ${last.resolved}` },
  grid, bars, line, dots, labels);
}

function legendAndNumbers(points) {
  const legend = h('p', { class: 'legend' },
    h('span', { class: 'key key-open' }), 'Open at end of day ',
    h('span', { class: 'key key-resolved' }), 'Resolved that day');
  const table = h('details', { class: 'data' }, h('summary', {}, 'Show the numbers'),
    scrollBox('Trend in numbers', h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Open'),
      h('th', { scope: 'col' }, 'Opened'), h('th', { scope: 'col' }, 'Resolved'))),
    h('tbody', {}, points.map((p) => h('tr', {}, h('td', {}, p.day), h('td', {}, number(p.open)),
      h('td', {}, number(p.opened)), h('td', {}, number(p.resolved))))))));
  return [legend, table];
}
