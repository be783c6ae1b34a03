// Small DOM helpers: elements from plain data (text only, never innerHTML), formatting, problems, paging.

/** h('tr', {dataset: {id}}, h('td', {}, 'text'), …): attributes, properties, events (on*), children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const Svg = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(Svg, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

const pad = (n) => String(n).padStart(2, '0');

/** 2026-11-22 09:30:05, local time; '—' for none. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 425 → "7m 5s"; 7300 → "2h 1m"; null → "—". */
export function age(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(Number(seconds)));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** "pending_approval" → "pending approval". */
export const words = (value) => (value === null || value === undefined ? '—' : String(value).replace(/_/g, ' '));

/** A status as a coloured pill; the text is the API's own value. */
export function pill(status, field = 'status') {
  return h('span', { class: `pill s-${status ?? 'none'}`, dataset: { field } }, status ?? '—');
}

/** A ProblemDetails for the user: title, status, detail, field errors, rule and trace id. */
export function problemBox(error) {
  const p = error?.problem || { title: String(error?.message || error) };
  const errors = p.errors && typeof p.errors === 'object'
    ? h('ul', {}, Object.entries(p.errors).map(([field, messages]) =>
      h('li', {}, h('code', {}, field), ': ', [].concat(messages).join(' '))))
    : null;
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, p.title || 'Request failed', error?.status ? ` (${error.status})` : ''),
    p.detail ? h('p', {}, p.detail) : null,
    p.rule ? h('p', {}, 'Rule: ', h('code', {}, p.rule)) : null,
    errors,
    p.traceId ? h('p', { class: 'muted small' }, `trace ${p.traceId}`) : null);
}

/** Puts a problem (or nothing) into a slot element. */
export function showProblem(slot, error) {
  slot.replaceChildren(error ? problemBox(error) : '');
}

let toastTimer;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.add('visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('visible'), 3500);
}

/** "page 2 of 5 · 93 in all" with previous/next buttons calling go(page). */
export function pager(result, go) {
  const pages = Math.max(1, Math.ceil(result.totalCount / result.pageSize));
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'quiet', disabled: result.page <= 1, onclick: () => go(result.page - 1) }, '‹ Previous'),
    h('span', { class: 'muted' }, `page ${result.page} of ${pages} · ${result.totalCount} in all`),
    h('button', { type: 'button', class: 'quiet', disabled: result.page >= pages, onclick: () => go(result.page + 1) }, 'Next ›'));
}

/** A table: columns [{label, cell: item => node|text, class?}], rows keyed by rowAttrs(item). */
export function table(id, columns, items, rowAttrs = () => ({}), empty = 'Nothing here.') {
  const body = items.length
    ? items.map((item) => h('tr', rowAttrs(item), columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(item)))))
    : [h('tr', {}, h('td', { colspan: columns.length, class: 'muted empty' }, empty))];
  return h('div', { class: 'table-wrap' },
    h('table', { id },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class }, c.label)))),
      h('tbody', {}, body)));
}

/** A labelled select of values ('' = any). */
export function select(name, values, selected, anyLabel = 'any') {
  return h('select', { name },
    anyLabel === null ? null : h('option', { value: '' }, anyLabel),
    values.map((v) => h('option', { value: v, selected: v === selected }, words(v))));
}

/** Runs an async action with the button disabled meanwhile. */
export async function busy(button, action) {
  button.disabled = true;
  try { return await action(); } finally { button.disabled = false; }
}

/** A view's heading with its tools on the right. */
export const head = (title, ...extra) => h('div', { class: 'view-head' }, h('h2', {}, title), h('div', { class: 'tools' }, extra));

/** A route this build of the service does not have yet answers 404 without detail: say so plainly. */
export function notAvailable(error, route) {
  return error?.status === 404 && !error.problem?.detail
    ? h('div', { class: 'notice' }, h('strong', {}, `${route} is not available in this version of the service.`),
      h('p', { class: 'muted' }, 'The view will work once the service offers it.'))
    : problemBox(error);
}

