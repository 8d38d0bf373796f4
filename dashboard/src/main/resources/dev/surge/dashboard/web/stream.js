// Live updates: follows /events (Server-Sent Events; EventSource reconnects with Last-Event-ID by
// itself), each burst of events followed by the state the server folded, and shows the
// connection's state.
import { byId } from './dom.js';

const EVENT_TYPES = ['queue', 'items', 'produced', 'alarm', 'notification', 'trigger', 'task', 'note', 'summary'];

// Follows the events after sequence `after`, handing each to onEvent(ev), and the server's
// snapshot after each burst to onSnapshot(snapshot).
export function follow(after, onEvent, onSnapshot) {
  const conn = byId('connection');
  const source = new EventSource(`events?after=${after}&snapshots=1`);
  source.onopen = () => { conn.textContent = 'live'; conn.dataset.state = 'live'; };
  source.onerror = () => {
    const closed = source.readyState === EventSource.CLOSED;
    conn.textContent = closed ? 'disconnected' : 'reconnecting';
    conn.dataset.state = closed ? 'disconnected' : 'reconnecting';
  };
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (m) => onEvent(JSON.parse(m.data)));
  }
  source.addEventListener('snapshot', (m) => onSnapshot(JSON.parse(m.data)));
  // The server restarted with a new run: our ids mean nothing there any more.
  source.addEventListener('reset', () => window.location.reload());
}
