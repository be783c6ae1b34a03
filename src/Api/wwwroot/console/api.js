// The console's only way to the service: same-origin fetch with the bearer token from sessionStorage.
// The token is never put in a URL, a log or the page.

const TokenKey = 'crm.console.token';

export const session = {
  get token() { return sessionStorage.getItem(TokenKey); },
  set token(value) { sessionStorage.setItem(TokenKey, value); },
  clear() { sessionStorage.removeItem(TokenKey); },
};

/** A non-2xx answer: the status and its ProblemDetails (or what the body said). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Calls the API; resolves with the JSON body (null when empty), rejects with an ApiError. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = query ? `${path}?${new URLSearchParams(definedOnly(query))}` : path;
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { title: 'The service did not answer', detail: String(e.message || e) });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { title: res.statusText, detail: text.slice(0, 300) }; }
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data || { title: res.statusText || `HTTP ${res.status}`, status: res.status });
    if (res.status === 401) window.dispatchEvent(new CustomEvent('console:unauthorized', { detail: error }));
    throw error;
  }
  return data;
}

function definedOnly(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** The JWT's payload, decoded for display only (the service verifies it); null when it is not a JWT. */
export function decodeToken(token) {
  const parts = (token || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    const roleClaim = payload.role ?? payload.roles ?? payload['http://schemas.microsoft.com/ws/2008/06/identity/claims/role'] ?? [];
    const roles = (Array.isArray(roleClaim) ? roleClaim : [roleClaim]).map(String);
    const subject = payload.sub ?? payload.unique_name ?? payload.name ?? '(no subject)';
    return { subject: String(subject), roles, expires: payload.exp ? new Date(payload.exp * 1000) : null };
  } catch {
    return null;
  }
}

/**
 * Live quote status, as README's "Live status" section does it: a stream ticket (POST with the bearer token),
 * then an EventSource on /api/quotes/events?ticket=…, resuming from the last event id after a reconnect.
 * Returns a function that stops watching.
 */
export function watchQuotes(onStatus, onState) {
  let stopped = false;
  let lastEventId;
  let events;
  let timer;

  async function open() {
    if (stopped) return;
    onState('connecting');
    let ticket;
    try {
      ({ ticket } = await api('/api/quotes/events/ticket', { method: 'POST' }));
    } catch {
      onState('closed');
      timer = setTimeout(open, 3000);
      return;
    }
    if (stopped) return;
    const resume = lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : '';
    events = new EventSource(`/api/quotes/events?ticket=${encodeURIComponent(ticket)}${resume}`);
    events.onopen = () => onState('open');
    events.addEventListener('quote-status', (e) => {
      lastEventId = e.lastEventId;
      onStatus(JSON.parse(e.data));
    });
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        onState('closed');
        if (!stopped) timer = setTimeout(open, 1000); // the ticket expired: take a new one, resume from lastEventId
      } else {
        onState('connecting');
      }
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    events?.close();
  };
}
