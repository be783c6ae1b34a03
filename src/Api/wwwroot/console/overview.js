// Admin overview: GET /api/admin/overview (counts, backlog, dead letters, last sync, callbacks and
// notifications per minute over the last hour) and GET /health/status.
import { api } from './api.js';
import { h, svg, time, age, pill, problemBox, head, notAvailable } from './ui.js';

export function overview(root) {
  const body = h('div', { class: 'grid' }, h('p', { class: 'muted' }, 'Loading…'));
  const health = h('div', { class: 'muted' }, 'Loading…');
  const updated = h('span', { class: 'muted small' });
  root.append(head('Overview', updated, h('button', { type: 'button', class: 'quiet', onclick: () => load() }, 'Refresh')),
    body, h('section', { class: 'card' }, h('h3', {}, 'Health'), health));

  async function load() {
    const [figures, status] = await Promise.all([
      api('/api/admin/overview').then((o) => ({ o }), (e) => ({ e })),
      healthReport(),
    ]);
    body.replaceChildren(...(figures.o ? cards(figures.o) : [notAvailable(figures.e, 'GET /api/admin/overview')]));
    health.replaceChildren(status);
    health.className = '';
    updated.textContent = `as of ${time(new Date().toISOString())}`;
  }

  load();
  const timer = setInterval(load, 30_000);
  return () => clearInterval(timer);
}

const metric = (label, key, value, warn = false) =>
  h('div', { class: `metric${warn ? ' warn' : ''}` }, h('span', { class: 'value', dataset: { metric: key } }, value ?? '—'), h('span', { class: 'label' }, label));

function cards(o) {
  const q = o.quotes || {};
  const inbox = o.inbox || {};
  const n = o.notifications || {};
  const sync = o.lastSync || {};
  return [
    h('section', { class: 'card' }, h('h3', {}, 'Quotes'), h('div', { class: 'metrics' },
      metric('draft', 'quotes.draft', q.draft),
      metric('pending approval', 'quotes.pending_approval', q.pending_approval),
      metric('approved', 'quotes.approved', q.approved),
      metric('rejected', 'quotes.rejected', q.rejected),
      metric('cancelled', 'quotes.cancelled', q.cancelled))),
    h('section', { class: 'card' }, h('h3', {}, 'Callback inbox'), h('div', { class: 'metrics' },
      metric('backlog', 'inbox.received', inbox.received, inbox.received > 0),
      metric('oldest waiting', 'inbox.oldestAgeSeconds', age(inbox.oldestAgeSeconds), inbox.oldestAgeSeconds > 300),
      metric('failed', 'inbox.failed', inbox.failed, inbox.failed > 0),
      metric('processed', 'inbox.processed', inbox.processed),
      metric('ignored', 'inbox.ignored', inbox.ignored))),
    h('section', { class: 'card' }, h('h3', {}, 'Notifications'), h('div', { class: 'metrics' },
      metric('backlog', 'notifications.pending', n.pending, n.pending > 0),
      metric('oldest waiting', 'notifications.oldestAgeSeconds', age(n.oldestAgeSeconds), n.oldestAgeSeconds > 300),
      metric('dead letters', 'notifications.dead', n.dead, n.dead > 0),
      metric('unconfirmed', 'notifications.unconfirmed', n.unconfirmed, n.unconfirmed > 0),
      metric('failed', 'notifications.failed', n.failed, n.failed > 0),
      metric('not subscribed', 'notifications.not_subscribed', n.not_subscribed),
      metric('no openid', 'notifications.skipped_no_openid', n.skipped_no_openid),
      metric('sent', 'notifications.sent', n.sent))),
    h('section', { class: 'card' }, h('h3', {}, 'Last approval sync'),
      h('p', { class: 'big' }, sync.result ? pill(sync.result, 'lastSync') : h('span', { class: 'muted' }, 'no run yet')),
      h('p', { class: 'muted' }, time(sync.at))),
    h('section', { class: 'card wide' }, h('h3', {}, 'Last hour, per minute'), chart(o.perMinute || [])),
  ];
}

/** Two polylines (callbacks, notifications) over the minutes given, oldest first, with a zero line and the peak. */
function chart(points) {
  const W = 960;
  const H = 200;
  const left = 36;
  const right = 10;
  const top = 12;
  const bottom = 24;
  const peak = Math.max(1, ...points.map((p) => Math.max(p.callbacks || 0, p.notifications || 0)));
  const x = (i) => left + (points.length > 1 ? (i * (W - left - right)) / (points.length - 1) : 0);
  const y = (v) => top + (1 - (v || 0) / peak) * (H - top - bottom);
  const line = (key) => points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const hhmm = (iso) => time(iso).slice(11, 16);
  const total = (key) => points.reduce((s, p) => s + (p[key] || 0), 0);
  const picture = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Callbacks and notifications per minute, last hour' },
    svg('title', {}, 'Callbacks and notifications per minute, last hour'),
    svg('line', { class: 'axis', x1: left, x2: W - right, y1: y(0), y2: y(0) }),
    svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(peak), y2: y(peak) }),
    svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(peak / 2), y2: y(peak / 2) }),
    svg('text', { class: 'tick', x: left - 6, y: y(peak) + 4, 'text-anchor': 'end' }, String(peak)),
    svg('text', { class: 'tick', x: left - 6, y: y(0) + 4, 'text-anchor': 'end' }, '0'),
    points.length ? svg('text', { class: 'tick', x: left, y: H - 6 }, hhmm(points[0].minute)) : null,
    points.length ? svg('text', { class: 'tick', x: W - right, y: H - 6, 'text-anchor': 'end' }, hhmm(points[points.length - 1].minute)) : null,
    svg('polyline', { class: 'callbacks', points: line('callbacks') }),
    svg('polyline', { class: 'notifications', points: line('notifications') }));
  return h('div', {}, picture, h('div', { class: 'legend' },
    h('span', { class: 'key callbacks' }, `callbacks (${total('callbacks')} in the hour)`),
    h('span', { class: 'key notifications' }, `notifications (${total('notifications')} in the hour)`)));
}

/** GET /health/status as an admin sees it: the status and each check's description (503 is a report too). */
export async function healthReport() {
  let report;
  try {
    report = await api('/health/status');
  } catch (e) {
    if (e.status !== 503 || !e.problem?.status) return problemBox(e);
    report = e.problem;
  }
  return h('div', { class: 'health' },
    h('p', {}, pill(report.status, 'health')),
    (report.checks || []).map((c) => h('div', { class: 'check' },
      h('div', {}, pill(c.status), ' ', h('strong', {}, c.name)),
      c.description ? h('p', { class: 'muted small' }, c.description) : null)));
}

