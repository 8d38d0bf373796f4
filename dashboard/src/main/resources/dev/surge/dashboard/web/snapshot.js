// The run's state as the server folds it (dev.surge.dashboard.SnapshotBuilder): the page folds no
// event itself. It adopts the snapshot of /api/snapshot when it loads, then the one the event
// stream sends after each burst of events (/events?snapshots=1).

// Before any snapshot: the server's shape for a run with no event yet.
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

// Adopts a snapshot of the server's, unless it is older than the one held.
export function adoptSnapshot(s) {
  if (s.lastSequence < state.lastSequence) return;
  Object.assign(state, s);
  state.tasks = new Map(s.tasks.map((t) => [t.id, t]));
}

// How many of these tasks are in each state.
export function taskCounts(tasks) {
  const counts = { PROVISIONING: 0, RUNNING: 0, STOPPED: 0 };
  for (const t of tasks) counts[t.state] = (counts[t.state] || 0) + 1;
  return counts;
}
