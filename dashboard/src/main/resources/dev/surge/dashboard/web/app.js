// Surge dashboard: loads /api/snapshot, draws the run so far from /api/events, then follows
// /events. This module starts the page and ties its parts together; each part is a module of its
// own (snapshot, timeline, highlight, event-log, boxes, summary, charts, stream, dom, format).
import { renderBoxes } from './boxes.js';
import { createCharts, redrawCharts } from './charts.js';
import { addLog, logEvent } from './event-log.js';
import { highlight } from './highlight.js';
import { adoptSnapshot, fold, state } from './snapshot.js';
import { follow } from './stream.js';
import { renderSummary } from './summary.js';
import { addToTimeline, startAt } from './timeline.js';

// An event on the run's timeline, its charts and its log; live: it just arrived.
function record(ev, live) {
  const x = addToTimeline(ev);
  highlight(ev, live);
  logEvent(x, ev);
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

function render() {
  renderBoxes();
  renderSummary(state.summary);
  redrawCharts();
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

async function start() {
  createCharts();
  try {
    const snapshot = await getJson('api/snapshot');
    adoptSnapshot(snapshot);
    startAt(snapshot.firstEventAt);
    const history = await getJson('api/events?after=0');
    for (const ev of history) {
      if (ev.sequence <= state.lastSequence) record(ev, false);
    }
  } catch (e) {
    addLog(0, { kind: 'error', cls: 'error', text: `Could not load the run so far: ${e.message}` });
  }
  render();
  follow(state.lastSequence, (ev) => {
    if (fold(ev)) {
      record(ev, true);
      scheduleRender();
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
