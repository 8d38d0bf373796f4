// The charts over the run (uPlot, vendored): queue depth with the alarm's threshold, items per
// second, tasks; each with the alarm's transitions marked.
import { fmt, fmtClock } from './format.js';
import { state } from './snapshot.js';
import { latest, markers, queueData, rateData, taskData } from './timeline.js';

const STATE_COLORS = { OK: '#15803d', ALARM: '#c81e1e', INSUFFICIENT_DATA: '#6b7280' };

const charts = [];

function makeChart(id, series, data, extraDraw, yMin) {
  const host = document.getElementById(id);
  const opts = {
    width: host.clientWidth || 400,
    height: chartHeight(),
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: () => [0, Math.max(10, Math.ceil(latest()))] },
      y: { range: (u, min, max) => [0, Math.max(yMin, (max || 0) * 1.1)] },
    },
    axes: [
      { values: (u, splits) => splits.map(fmtClock), stroke: '#566171', grid: { stroke: '#eef1f5' } },
      { stroke: '#566171', grid: { stroke: '#eef1f5' }, size: 56 },
    ],
    series: [{ label: 'time' }, ...series],
    hooks: { draw: [(u) => { if (extraDraw) extraDraw(u); drawMarkers(u); }] },
  };
  const chart = new uPlot(opts, data, host);
  charts.push({ chart, host, data });
}

function chartHeight() {
  return Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 11);
}

function drawMarkers(u) {
  const ctx = u.ctx;
  const dpr = window.devicePixelRatio || 1;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.font = `bold ${Math.round(12 * dpr)}px system-ui, sans-serif`;
  // Labels of transitions close together go on the next row down, so none covers another;
  // past three rows a line keeps no label.
  const rowEnds = [-Infinity, -Infinity, -Infinity];
  const drawn = [];
  for (const m of markers) {
    const cx = Math.round(u.valToPos(m.x, 'x', true));
    if (cx < left || cx > left + width) continue;
    const color = STATE_COLORS[m.to] || '#6b7280';
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx, top + height);
    ctx.stroke();
    const label = m.to === 'INSUFFICIENT_DATA' ? 'NO DATA' : m.to;
    const x = cx + 4 * dpr;
    const row = rowEnds.findIndex((end) => x > end + 4 * dpr);
    if (row >= 0) {
      ctx.fillText(label, x, top + (13 + 15 * row) * dpr);
      rowEnds[row] = x + ctx.measureText(label).width;
      drawn.push(`${label}@${row}`);
    }
  }
  ctx.restore();
  // Which labels were drawn on which row, for readers of the page (and its tests).
  if (u.root.parentElement) u.root.parentElement.dataset.markerLabels = drawn.join(' ');
}

function drawThreshold(u) {
  const threshold = state.alarm.threshold;
  if (threshold === null || threshold === undefined) return;
  const y = Math.round(u.valToPos(threshold, 'y', true));
  const { left, top, width, height } = u.bbox;
  if (y < top || y > top + height) return;
  const dpr = window.devicePixelRatio || 1;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#c81e1e';
  ctx.fillStyle = '#c81e1e';
  ctx.lineWidth = 1 * dpr;
  ctx.setLineDash([3 * dpr, 3 * dpr]);
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left + width, y);
  ctx.stroke();
  ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillText(`alarm > ${fmt(threshold)}`, left + width - 4 * dpr, y - 4 * dpr);
  ctx.restore();
}

export function createCharts() {
  if (typeof uPlot === 'undefined') return; // the page still works as numbers only
  const stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
  makeChart('chart-queue', [
    { label: 'visible', stroke: '#d6136f', width: 2, fill: 'rgba(214,19,111,0.10)' },
    { label: 'in flight', stroke: '#7c3aed', width: 2 },
  ], queueData, drawThreshold, 10);
  makeChart('chart-rate', [
    { label: 'items / s', stroke: '#3b48cc', width: 2, fill: 'rgba(59,72,204,0.10)' },
  ], rateData, null, 10);
  makeChart('chart-tasks', [
    { label: 'running', stroke: '#d86600', width: 2, fill: 'rgba(216,102,0,0.12)', paths: stepped },
    { label: 'starting', stroke: '#f59e0b', width: 2, dash: [6, 4], paths: stepped },
  ], taskData, null, 4);
  if (typeof ResizeObserver !== 'undefined') {
    const ro = new ResizeObserver(() => {
      for (const c of charts) c.chart.setSize({ width: c.host.clientWidth, height: chartHeight() });
    });
    charts.forEach((c) => ro.observe(c.host));
  }
}

export function redrawCharts() {
  for (const c of charts) c.chart.setData(c.data);
}
