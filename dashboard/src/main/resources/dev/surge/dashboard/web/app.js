// Surge dashboard: loads /api/snapshot, draws the run so far from /api/events, then follows
// /events (Server-Sent Events; EventSource reconnects with Last-Event-ID by itself).
(() => {
  'use strict';

  const MAX_LOG = 200;
  const MAX_TASKS_SHOWN = 10;
  const RATE_WINDOW_S = 2;
  const EVENT_TYPES = ['queue', 'items', 'produced', 'alarm', 'notification', 'trigger', 'task', 'note', 'summary'];
  const STATE_COLORS = { OK: '#15803d', ALARM: '#c81e1e', INSUFFICIENT_DATA: '#6b7280' };

  const byId = (id) => document.querySelector(`[data-testid="${id}"]`);

  // ---- state: the same shape and the same folding rules as the server's snapshot ----
  const state = {
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

  function adoptSnapshot(s) {
    Object.assign(state, s);
    state.tasks = new Map(s.tasks.map((t) => [t.id, t]));
  }

  function fold(ev) {
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

  function taskCounts(tasks) {
    const counts = { PROVISIONING: 0, RUNNING: 0, STOPPED: 0 };
    for (const t of tasks) counts[t.state] = (counts[t.state] || 0) + 1;
    return counts;
  }

  // ---- the run over time: chart series, alarm markers, event log ----
  let t0 = null; // epoch millis of the run's first event: x = 0
  let xmax = 0;
  const queueData = [[], [], []]; // x, visible, in flight
  const rateData = [[], []]; // x, items per second
  let lastItemsSeen = null;
  const taskData = [[], [], []]; // x, running, starting
  const markers = []; // alarm transitions: { x, to }
  const itemSamples = [];
  const chartTasks = new Map(); // task id -> state, for the tasks chart
  let firstProducedLogged = false;

  const rel = (at) => (Date.parse(at) - t0) / 1000;

  function record(ev, live) {
    if (t0 === null) t0 = Date.parse(ev.at);
    const x = rel(ev.at);
    xmax = Math.max(xmax, x);
    switch (ev.type) {
      case 'queue':
        push(queueData, x, ev.visible, ev.inFlight);
        if (chartTasks.size > 0) pushTasks(x); // carry the task lines forward
        break;
      case 'items': {
        // Counts come every sample, changed or not; only a change is a write to show.
        const changed = ev.items !== lastItemsSeen;
        lastItemsSeen = ev.items;
        pushRate(x, ev.items);
        if (live && changed) flash('arrow-write', 'box-table', 'arrow-poll');
        break;
      }
      case 'task':
        chartTasks.set(ev.task.id, ev.task.state);
        pushTasks(x);
        if (live) flash('box-tasks');
        break;
      case 'alarm':
        markers.push({ x, to: ev.to });
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
      case 'summary':
        adoptWriteRate(ev.summary.writeRate);
        break;
      default:
        break;
    }
    const entry = describe(ev);
    if (entry) addLog(x, entry);
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

  // ---- event log ----
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

  function addLog(x, entry) {
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

  // ---- rendering the boxes ----
  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(); });
  }

  function render() {
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

    renderSummary();
    redrawCharts();
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

  function renderSummary() {
    const panel = byId('summary');
    const s = state.summary;
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

  const dollars = (usd) => `$${usd.toFixed(6)}`;

  // ---- charts (uPlot) ----
  const charts = [];

  function makeChart(id, series, data, extraDraw, yMin) {
    const host = document.getElementById(id);
    const opts = {
      width: host.clientWidth || 400,
      height: chartHeight(),
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => [0, Math.max(10, Math.ceil(xmax))] },
        y: { range: (u, min, max) => [0, Math.max(yMin, (max || 0) * 1.1)] },
      },
      axes: [
        { values: (u, splits) => splits.map(fmtClock), stroke: '#566171', grid: { stroke: '#eef1f5' } },
        { stroke: '#566171', grid: { stroke: '#eef1f5' }, size: 56 },
      ],
      series: [{ label: 'time' }, ...series],
      hooks: { draw: [(u) => { if (extraDraw) extraDraw(u); drawMarkers(u); }] },
    };
    const chart = new uPlot(opts, data, host);
    charts.push({ chart, host, data });
  }

  function chartHeight() {
    return Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 11);
  }

  function drawMarkers(u) {
    const ctx = u.ctx;
    const dpr = window.devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.font = `bold ${Math.round(12 * dpr)}px system-ui, sans-serif`;
    // Labels of transitions close together go on the next row down, so none covers another;
    // past three rows a line keeps no label.
    const rowEnds = [-Infinity, -Infinity, -Infinity];
    const drawn = [];
    for (const m of markers) {
      const cx = Math.round(u.valToPos(m.x, 'x', true));
      if (cx < left || cx > left + width) continue;
      const color = STATE_COLORS[m.to] || '#6b7280';
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(cx, top);
      ctx.lineTo(cx, top + height);
      ctx.stroke();
      const label = m.to === 'INSUFFICIENT_DATA' ? 'NO DATA' : m.to;
      const x = cx + 4 * dpr;
      const row = rowEnds.findIndex((end) => x > end + 4 * dpr);
      if (row >= 0) {
        ctx.fillText(label, x, top + (13 + 15 * row) * dpr);
        rowEnds[row] = x + ctx.measureText(label).width;
        drawn.push(`${label}@${row}`);
      }
    }
    ctx.restore();
    // Which labels were drawn on which row, for readers of the page (and its tests).
    if (u.root.parentElement) u.root.parentElement.dataset.markerLabels = drawn.join(' ');
  }

  function drawThreshold(u) {
    const threshold = state.alarm.threshold;
    if (threshold === null || threshold === undefined) return;
    const y = Math.round(u.valToPos(threshold, 'y', true));
    const { left, top, width, height } = u.bbox;
    if (y < top || y > top + height) return;
    const dpr = window.devicePixelRatio || 1;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#c81e1e';
    ctx.fillStyle = '#c81e1e';
    ctx.lineWidth = 1 * dpr;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.font = `${Math.round(11 * dpr)}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.fillText(`alarm > ${fmt(threshold)}`, left + width - 4 * dpr, y - 4 * dpr);
    ctx.restore();
  }

  function createCharts() {
    if (typeof uPlot === 'undefined') return; // the page still works as numbers only
    const stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
    makeChart('chart-queue', [
      { label: 'visible', stroke: '#d6136f', width: 2, fill: 'rgba(214,19,111,0.10)' },
      { label: 'in flight', stroke: '#7c3aed', width: 2 },
    ], queueData, drawThreshold, 10);
    makeChart('chart-rate', [
      { label: 'items / s', stroke: '#3b48cc', width: 2, fill: 'rgba(59,72,204,0.10)' },
    ], rateData, null, 10);
    makeChart('chart-tasks', [
      { label: 'running', stroke: '#d86600', width: 2, fill: 'rgba(216,102,0,0.12)', paths: stepped },
      { label: 'starting', stroke: '#f59e0b', width: 2, dash: [6, 4], paths: stepped },
    ], taskData, null, 4);
    if (typeof ResizeObserver !== 'undefined') {
      const ro = new ResizeObserver(() => {
        for (const c of charts) c.chart.setSize({ width: c.host.clientWidth, height: chartHeight() });
      });
      charts.forEach((c) => ro.observe(c.host));
    }
  }

  function redrawCharts() {
    for (const c of charts) c.chart.setData(c.data);
  }

  // ---- live updates ----
  function follow(after) {
    const conn = byId('connection');
    const source = new EventSource(`events?after=${after}`);
    source.onopen = () => { conn.textContent = 'live'; conn.dataset.state = 'live'; };
    source.onerror = () => {
      const closed = source.readyState === EventSource.CLOSED;
      conn.textContent = closed ? 'disconnected' : 'reconnecting';
      conn.dataset.state = closed ? 'disconnected' : 'reconnecting';
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (m) => {
        const ev = JSON.parse(m.data);
        if (fold(ev)) {
          record(ev, true);
          scheduleRender();
        }
      });
    }
    // The server restarted with a new run: our ids mean nothing there any more.
    source.addEventListener('reset', () => window.location.reload());
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
      if (snapshot.firstEventAt) t0 = Date.parse(snapshot.firstEventAt);
      const history = await getJson('api/events?after=0');
      for (const ev of history) {
        if (ev.sequence <= state.lastSequence) record(ev, false);
      }
    } catch (e) {
      addLog(0, { kind: 'error', cls: 'error', text: `Could not load the run so far: ${e.message}` });
    }
    render();
    follow(state.lastSequence);
  }

  // ---- small helpers ----
  function el(tag, cls, content) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = content;
    return e;
  }
  function text(id, value) {
    const e = byId(id);
    if (e && e.textContent !== value) e.textContent = value;
  }
  function num(id, value) {
    const e = byId(id);
    if (!e) return;
    e.dataset.value = String(value);
    text(id, fmt(value));
  }
  function bar(id, part, whole) {
    byId(id).style.width = `${whole > 0 ? Math.min(100, (100 * part) / whole) : 0}%`;
  }
  function fmt(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : String(n);
  }
  function fmtClock(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  function fmtMillis(ms) {
    if (ms < 0) return 'never';
    if (ms < 1000) return `${ms} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    return `${fmtClock(ms / 1000)} min`;
  }
  function shortId(id) {
    return id.length > 12 ? `${id.slice(0, 8)}…` : id;
  }
  const flashTimers = new Map();
  function flash(...ids) {
    for (const id of ids) {
      if (!id) continue;
      const e = byId(id) || document.querySelector(`[data-arrow="${id.replace('arrow-', '')}"]`);
      if (!e) continue;
      e.classList.add('flash');
      clearTimeout(flashTimers.get(id));
      flashTimers.set(id, setTimeout(() => e.classList.remove('flash'), 700));
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
