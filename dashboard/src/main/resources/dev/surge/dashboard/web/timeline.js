// The run over time, as the charts draw it: x is seconds since the run's first event; the series
// (queue depth, items per second, tasks) and the alarm's transitions are kept from the events.
import { taskCounts } from './snapshot.js';

const RATE_WINDOW_S = 2;

let t0 = null; // epoch millis of the run's first event: x = 0
let xmax = 0;
export const queueData = [[], [], []]; // x, visible, in flight
export const rateData = [[], []]; // x, items per second
export const taskData = [[], [], []]; // x, running, starting
export const markers = []; // alarm transitions: { x, to }
const itemSamples = [];
const chartTasks = new Map(); // task id -> state, for the tasks chart

// Sets x = 0 at the run's first event, if no event has yet.
export function startAt(at) {
  if (t0 === null && at) t0 = Date.parse(at);
}

// Seconds from the run's first event to an ISO-8601 instant.
export const rel = (at) => (Date.parse(at) - t0) / 1000;

// The latest x of any event so far.
export const latest = () => xmax;

// Adds an event to the series; returns its x.
export function addToTimeline(ev) {
  startAt(ev.at);
  const x = rel(ev.at);
  xmax = Math.max(xmax, x);
  switch (ev.type) {
    case 'queue':
      push(queueData, x, ev.visible, ev.inFlight);
      if (chartTasks.size > 0) pushTasks(x); // carry the task lines forward
      break;
    case 'items':
      pushRate(x, ev.items);
      break;
    case 'task':
      chartTasks.set(ev.task.id, ev.task.state);
      pushTasks(x);
      break;
    case 'alarm':
      markers.push({ x, to: ev.to });
      break;
    case 'summary':
      adoptWriteRate(ev.summary.writeRate);
      break;
    default:
      break;
  }
  return x;
}

function push(data, x, ...ys) {
  const xs = data[0];
  if (xs.length > 0 && x < xs[xs.length - 1]) return; // out of order: keep the series sorted
  if (xs.length > 0 && x === xs[xs.length - 1]) {
    ys.forEach((y, i) => { data[i + 1][xs.length - 1] = y; });
    return;
  }
  xs.push(x);
  ys.forEach((y, i) => data[i + 1].push(y));
}

function pushTasks(x) {
  const counts = taskCounts([...chartTasks.values()].map((s) => ({ state: s })));
  push(taskData, x, counts.RUNNING, counts.PROVISIONING);
}

function pushRate(x, items) {
  // Items per second over the last couple of seconds: one sample apart is too noisy to read.
  itemSamples.push({ x, items });
  while (itemSamples.length > 2 && x - itemSamples[1].x >= RATE_WINDOW_S) itemSamples.shift();
  const old = itemSamples[0];
  const rate = x > old.x ? Math.max(0, (items - old.items) / (x - old.x)) : 0;
  push(rateData, x, Math.round(rate * 10) / 10);
  markPeak();
}

// A run's summary carries its rate from the items' own write times: that replaces what the
// count samples drew over the run (a count's time is when its scan ended, not when the items it
// found were written), and the line then agrees with the summary's items per second.
function adoptWriteRate(w) {
  if (!w || !w.points || w.points.length === 0) return;
  const base = rel(w.from);
  const exact = w.points.map(([ms, perSecond]) => [base + ms / 1000, perSecond]);
  const lo = exact[0][0];
  const hi = exact[exact.length - 1][0];
  const [xs, ys] = rateData;
  const kept = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] < lo || xs[i] > hi) kept.push([xs[i], ys[i]]);
  const merged = kept.concat(exact).sort((a, b) => a[0] - b[0]);
  xs.length = 0;
  ys.length = 0;
  for (const [x, y] of merged) {
    if (xs.length > 0 && xs[xs.length - 1] === x) ys[ys.length - 1] = y;
    else { xs.push(x); ys.push(y); }
  }
  markPeak();
}

// The highest rate drawn, for readers of the page (and its tests) to compare with the summary.
function markPeak() {
  const plot = document.getElementById('chart-rate');
  if (!plot) return;
  const peak = rateData[1].reduce((m, y) => Math.max(m, y), 0);
  plot.dataset.peak = String(Math.round(peak * 10) / 10);
}
