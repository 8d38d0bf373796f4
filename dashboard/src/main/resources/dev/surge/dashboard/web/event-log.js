// The event log, newest first: one line per event worth telling, at its time in the run.
import { byId, el } from './dom.js';
import { fmt, fmtClock, shortId } from './format.js';

const MAX_LOG = 200;

let firstProducedLogged = false;

// Adds the event's line, if it has one, at x seconds into the run.
export function logEvent(x, ev) {
  const entry = describe(ev);
  if (entry) addLog(x, entry);
}

function describe(ev) {
  switch (ev.type) {
    case 'alarm':
      return { kind: 'alarm', cls: `alarm-${ev.to}`, text: `Alarm ${ev.from} → ${ev.to}`, detail: ev.reason };
    case 'notification':
      return ev.delivered
        ? { kind: 'notification', text: `Topic ${ev.topic} delivered to ${ev.subscriber}`, detail: `message ${ev.messageId}, attempt ${ev.attempt}` }
        : { kind: 'notification', cls: 'warn', text: `Delivery to ${ev.subscriber} failed (attempt ${ev.attempt})`, detail: ev.error };
    case 'trigger': {
      const failures = ev.failures.length ? ` · failures: ${ev.failures.join('; ')}` : '';
      return {
        kind: 'trigger', cls: ev.failures.length ? 'warn' : '',
        text: `Function ${ev.action}: started ${ev.started} (backlog ${fmt(ev.backlog)}, running ${ev.running}, wanted ${ev.desired})`,
        detail: `${ev.cause}: ${ev.note}${failures}`,
      };
    }
    case 'task': {
      const t = ev.task;
      if (t.state === 'STOPPED') {
        const exit = t.exitCode === null ? 'no exit code' : `exit ${t.exitCode}`;
        return {
          kind: 'task', cls: t.exitCode === 0 ? '' : 'warn',
          text: `Task ${shortId(t.id)} stopped, ${exit}${t.itemsWritten > 0 ? `, ${fmt(t.itemsWritten)} items` : ''}`,
          detail: [t.stopReason, t.host].filter(Boolean).join(' · '),
        };
      }
      return { kind: 'task', text: `Task ${shortId(t.id)} ${t.state === 'RUNNING' ? 'running' : 'provisioning'}`, detail: t.host };
    }
    case 'note':
      return { kind: ev.level === 'info' ? 'note' : ev.level, cls: ev.level, text: ev.message };
    case 'summary': {
      const s = ev.summary;
      return {
        kind: 'summary', cls: s.success ? '' : 'error',
        text: `Run finished: ${fmt(s.written)} / ${fmt(s.produced)} messages written (${fmt(s.inTable)} items)${s.inDeadLetterQueue > 0 ? `, ${fmt(s.inDeadLetterQueue)} dead-lettered` : ''}${s.purged > 0 ? `, ${fmt(s.purged)} purged` : ''}${s.success ? '' : `, ${fmt(s.unaccounted)} unaccounted`}`,
      };
    }
    case 'produced':
      // A producer of another maker is told as it goes (sent = target each time): one line
      // that counts up, not a line per message.
      if (ev.sent >= ev.target && ev.target > 0) return { kind: 'producer', merge: true, text: `Producer sent ${fmt(ev.sent)} / ${fmt(ev.target)}` };
      if (!firstProducedLogged) {
        firstProducedLogged = true;
        return { kind: 'producer', text: `Producer started: ${fmt(ev.target)} messages to send` };
      }
      return null;
    default:
      return null;
  }
}

// Adds a line: { kind, cls, text, detail, merge } (merge: replaces a newest line that merges too).
export function addLog(x, entry) {
  const log = byId('event-log');
  const newest = log.firstElementChild;
  if (entry.merge && newest && newest.dataset.merge === 'true') newest.remove();
  const li = document.createElement('li');
  li.dataset.kind = entry.kind;
  if (entry.merge) li.dataset.merge = 'true';
  const t = el('span', 't', fmtClock(x));
  const kind = el('span', `kind ${entry.kind} ${entry.cls || ''}`, entry.kind);
  const body = el('span', 'text', entry.text);
  if (entry.detail) body.appendChild(el('span', 'detail', entry.detail));
  li.append(t, kind, body);
  log.prepend(li);
  while (log.children.length > MAX_LOG) log.lastElementChild.remove();
}
