// The run summary panel: pending until the run's summary is in, then its figures and its bill.
import { byId, el, text } from './dom.js';
import { dollars, fmt, fmtMillis } from './format.js';

// Shows the summary s (the summary event's), or the pending panel while it is null.
export function renderSummary(s) {
  const panel = byId('summary');
  if (!s) {
    panel.dataset.state = 'pending';
    return;
  }
  panel.dataset.state = 'shown';
  const verdict = byId('summary-verdict');
  verdict.dataset.success = String(s.success);
  verdict.textContent = s.success
    ? `All ${fmt(s.produced)} messages accounted for`
    : `${fmt(s.unaccounted)} of ${fmt(s.produced)} messages unaccounted for`;
  text('summary-produced', fmt(s.produced));
  text('summary-in-table', fmt(s.inTable));
  text('summary-dlq', fmt(s.inDeadLetterQueue));
  text('summary-unaccounted', fmt(s.unaccounted));
  text('summary-redelivered', fmt(s.redelivered));
  text('summary-tasks', fmt(s.tasksLaunched));
  text('summary-time-to-alarm', fmtMillis(s.timeToAlarmMillis));
  text('summary-alarm-to-first-item', fmtMillis(s.alarmToFirstItemMillis));
  text('summary-drain', fmtMillis(s.drainMillis));
  text('summary-items-per-second', s.itemsPerSecond === null ? '—' : s.itemsPerSecond.toFixed(1));
  text('summary-requests-per-message', s.requestsPerMessage === null ? '—' : s.requestsPerMessage.toFixed(3));
  const hosts = byId('summary-per-host');
  hosts.replaceChildren();
  for (const [host, n] of Object.entries(s.itemsPerHost)) {
    const li = el('li', '', host);
    li.appendChild(el('b', '', fmt(n)));
    hosts.appendChild(li);
  }
  renderBill(s.bill, s.produced);
}

// What the run would have cost on AWS, from the counts the run kept (absent for the aws target).
function renderBill(bill, produced) {
  const box = byId('summary-bill');
  if (!bill || !bill.lines || bill.lines.length === 0) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  text('summary-bill-total', dollars(bill.totalUsd));
  text('summary-bill-per-1000', produced > 0 ? `(${dollars(bill.totalUsd * 1000 / produced)} per 1,000 messages)` : '');
  const rows = byId('summary-bill-lines');
  rows.replaceChildren();
  for (const line of bill.lines) {
    const tr = document.createElement('tr');
    tr.appendChild(el('th', '', line.service));
    tr.appendChild(el('td', 'usd', dollars(line.usd)));
    tr.appendChild(el('td', '', line.usage));
    rows.appendChild(tr);
  }
  text('summary-bill-basis', `${bill.region} list prices of ${bill.pricesAsOf}, no free tier applied.`);
}
