// The boxes and arrows an event passes through light up briefly as it arrives live.
import { byId } from './dom.js';

const FLASH_MILLIS = 700;

let lastItemsSeen = null;
const flashTimers = new Map();

// Lights up what the event passed through, if it came live (not from the run's history).
export function highlight(ev, live) {
  switch (ev.type) {
    case 'items': {
      // Counts come every sample, changed or not; only a change is a write to show.
      const changed = ev.items !== lastItemsSeen;
      lastItemsSeen = ev.items;
      if (live && changed) flash('arrow-write', 'box-table', 'arrow-poll');
      break;
    }
    case 'task':
      if (live) flash('box-tasks');
      break;
    case 'alarm':
      if (live) flash('box-alarm', 'arrow-metric');
      break;
    case 'notification':
      if (live) flash('arrow-alarm', 'box-topic', 'arrow-notify');
      break;
    case 'trigger':
      if (live) flash('box-function', ev.started > 0 ? 'arrow-launch' : null);
      break;
    case 'produced':
      if (live) flash('box-producer', 'arrow-send');
      break;
    default:
      break;
  }
}

function flash(...ids) {
  for (const id of ids) {
    if (!id) continue;
    const e = byId(id) || document.querySelector(`[data-arrow="${id.replace('arrow-', '')}"]`);
    if (!e) continue;
    e.classList.add('flash');
    clearTimeout(flashTimers.get(id));
    flashTimers.set(id, setTimeout(() => e.classList.remove('flash'), FLASH_MILLIS));
  }
}
