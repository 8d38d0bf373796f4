// The run's state: the same shape as the server's snapshot (/api/snapshot), and the events folded
// into it by the same rules as the Java class dev.surge.dashboard.SnapshotBuilder.

export const state = {
  lastSequence: 0,
  runTarget: '',
  firstEventAt: null,
  lastEventAt: null,
  resources: {},
  queue: { visible: 0, inFlight: 0, delayed: 0, deadLetters: 0 },
  items: 0,
  produced: 0,
  target: 0,
  alarm: { name: '', state: 'INSUFFICIENT_DATA', threshold: null, reason: '', changedAt: null, transitions: 0 },
  notifications: { delivered: 0, failed: 0, lastAt: null },
  lastTrigger: null,
  tasks: new Map(),
  summary: null,
};

export function adoptSnapshot(s) {
  Object.assign(state, s);
  state.tasks = new Map(s.tasks.map((t) => [t.id, t]));
}

// Folds one event in; false if it was already in (at or below the last sequence folded).
export function fold(ev) {
  if (ev.sequence <= state.lastSequence) return false; // already in the snapshot
  state.lastSequence = ev.sequence;
  if (!state.firstEventAt) state.firstEventAt = ev.at;
  state.lastEventAt = ev.at;
  switch (ev.type) {
    case 'queue':
      state.queue = { visible: ev.visible, inFlight: ev.inFlight, delayed: ev.delayed, deadLetters: ev.deadLetters };
      break;
    case 'items':
      state.items = ev.items;
      break;
    case 'produced':
      state.produced = ev.sent;
      state.target = ev.target;
      break;
    case 'alarm':
      state.alarm = {
        name: ev.alarm, state: ev.to, threshold: ev.threshold, reason: ev.reason,
        changedAt: ev.at, transitions: state.alarm.transitions + 1,
      };
      break;
    case 'notification':
      if (ev.delivered) state.notifications.delivered++; else state.notifications.failed++;
      state.notifications.lastAt = ev.at;
      break;
    case 'trigger':
      state.lastTrigger = ev;
      break;
    case 'task': {
      const before = state.tasks.get(ev.task.id);
      const written = Math.max(before ? before.itemsWritten : 0, ev.task.itemsWritten);
      state.tasks.set(ev.task.id, { ...ev.task, itemsWritten: written });
      break;
    }
    case 'summary':
      state.summary = ev.summary;
      break;
    default:
      break;
  }
  return true;
}

// How many of these tasks are in each state.
export function taskCounts(tasks) {
  const counts = { PROVISIONING: 0, RUNNING: 0, STOPPED: 0 };
  for (const t of tasks) counts[t.state] = (counts[t.state] || 0) + 1;
  return counts;
}
