// Surge dashboard: loads /api/snapshot, draws the run so far from /api/events, then follows
// /events. The boxes show the server's snapshots; the events draw the charts and the log. This
// module starts the page and ties its parts together; each part is a module of its own (snapshot,
// timeline, highlight, event-log, boxes, summary, charts, stream, dom, format).
import { renderBoxes } from './boxes.js';
import { createCharts, redrawCharts } from './charts.js';
import { addLog, logEvent } from './event-log.js';
import { highlight } from './highlight.js';
import { adoptSnapshot, state } from './snapshot.js';
import { follow } from './stream.js';
import { renderSummary } from './summary.js';
import { addToTimeline, startAt } from './timeline.js';

let recorded = 0; // the sequence of the last event recorded

// An event on the run's timeline, its charts and its log; live: it just arrived.
function record(ev, live) {
  recorded = ev.sequence;
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
  recorded = state.lastSequence;
  render();
  follow(recorded, (ev) => {
    if (ev.sequence <= recorded) return; // already recorded
    record(ev, true);
    scheduleRender();
  }, (snapshot) => {
    adoptSnapshot(snapshot);
    startAt(snapshot.firstEventAt);
    scheduleRender();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
