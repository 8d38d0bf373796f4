// The header's facts and the pipeline's boxes, producer to table, drawn from the run's state.
import { bar, byId, el, num, text } from './dom.js';
import { fmt, fmtClock, shortId } from './format.js';
import { state, taskCounts } from './snapshot.js';
import { rel } from './timeline.js';

const MAX_TASKS_SHOWN = 10;

export function renderBoxes() {
  const r = state.resources || {};
  text('run-target', state.runTarget || '—');
  text('last-sequence', String(state.lastSequence));
  text('run-clock', state.firstEventAt && state.lastEventAt
    ? fmtClock((Date.parse(state.lastEventAt) - Date.parse(state.firstEventAt)) / 1000) : '0:00');

  num('produced-count', state.produced);
  num('produced-target', state.target);
  bar('produced-bar', state.produced, state.target);

  text('queue-name', r.queue || '');
  num('queue-visible', state.queue.visible);
  num('queue-inflight', state.queue.inFlight);
  num('queue-delayed', state.queue.delayed);
  num('queue-dlq', state.queue.deadLetters);

  const a = state.alarm;
  text('alarm-name', a.name || r.alarm || '');
  const pill = byId('alarm-state');
  pill.textContent = a.state;
  pill.dataset.state = a.state;
  text('alarm-threshold', a.threshold === null || a.threshold === undefined ? '—' : `> ${fmt(a.threshold)}`);
  text('alarm-since', a.changedAt ? `${fmtClock(rel(a.changedAt))}` : '—');
  text('alarm-reason', a.reason || '');

  text('topic-name', r.topic || '');
  num('notifications-delivered', state.notifications.delivered);
  num('notifications-failed', state.notifications.failed);

  text('function-name', r.function || '');
  const d = state.lastTrigger;
  const action = byId('trigger-action');
  action.textContent = d ? (d.action === 'launched' ? `launched ${d.started}` : d.action) : 'no decision yet';
  action.dataset.action = d ? d.action : '';
  text('trigger-backlog', d ? fmt(d.backlog) : '—');
  text('trigger-running', d ? fmt(d.running) : '—');
  text('trigger-started', d ? fmt(d.started) : '—');
  text('trigger-note', d ? d.note : '');

  text('cluster-name', r.cluster || '');
  const tasks = [...state.tasks.values()];
  const counts = taskCounts(tasks);
  num('tasks-provisioning', counts.PROVISIONING);
  num('tasks-running', counts.RUNNING);
  num('tasks-stopped', counts.STOPPED);
  renderTasks(tasks);

  text('table-name', r.table || '');
  num('items-count', state.items);
  num('items-produced', state.produced);
  bar('items-bar', state.items, state.produced);
}

function renderTasks(tasks) {
  const list = byId('task-list');
  list.replaceChildren();
  // Live tasks first: on a projector the running fleet matters more than the finished one.
  const order = { RUNNING: 0, PROVISIONING: 1, STOPPED: 2 };
  const shown = [...tasks].sort((p, q) => order[p.state] - order[q.state]).slice(0, MAX_TASKS_SHOWN);
  for (const t of shown) {
    const li = document.createElement('li');
    li.dataset.testid = 'task';
    li.dataset.taskId = t.id;
    li.dataset.state = t.state;
    if (t.exitCode !== null && t.exitCode !== undefined) li.dataset.exit = String(t.exitCode);
    li.title = [t.id, t.host, t.stopReason].filter(Boolean).join('\n');
    let what;
    if (t.state === 'STOPPED') {
      what = t.exitCode === null || t.exitCode === undefined ? 'stopped' : `exit ${t.exitCode}`;
    } else {
      what = t.state === 'RUNNING' ? 'running' : 'starting';
    }
    if (t.itemsWritten > 0) what += ` · ${fmt(t.itemsWritten)}`;
    li.append(el('span', 'dot', ''), el('span', 'id', shortId(t.id)), el('span', 'what', what));
    list.appendChild(li);
  }
  if (tasks.length > shown.length) {
    list.appendChild(el('li', 'more', `+${tasks.length - shown.length} more`));
  }
}
