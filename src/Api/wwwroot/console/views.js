// One function per view: (root, ctx) => optional cleanup. Every figure comes from an existing API route.
import { api, watchQuotes } from './api.js';
import { h, time, words, pill, showProblem, problemBox, toast, pager, table, select, busy, head, notAvailable } from './ui.js';
import { overview, healthReport } from './overview.js';

const QuoteStatuses = ['draft', 'pending_approval', 'approved', 'rejected', 'cancelled'];
const InboxStatuses = ['received', 'processed', 'ignored', 'failed'];
const NotificationStatuses = ['pending', 'sent', 'not_subscribed', 'skipped_no_openid', 'failed', 'dead', 'unconfirmed'];

const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);
const mono = (text) => h('code', { class: 'mono' }, text ?? '—');

async function employeesById() {
  const result = await api('/api/employees', { query: { page: 1, pageSize: 100 } });
  return new Map(result.items.map((e) => [e.id, e]));
}

// ---------------------------------------------------------------- quotes

function quotes(root) {
  const state = { status: '', number: '', page: 1, pageSize: 20 };
  const live = h('span', { id: 'live', class: 'live', dataset: { state: 'connecting' }, title: 'Live status (GET /api/quotes/events)' }, 'connecting');
  const problem = h('div');
  const list = h('div');
  const timeline = h('div');
  let openQuote = null;

  const filters = h('form', {
    class: 'filters',
    onsubmit: (e) => {
      e.preventDefault();
      state.status = e.target.status.value;
      state.number = e.target.number.value.trim();
      state.page = 1;
      load();
    },
  },
  field('Status', select('status', QuoteStatuses, state.status)),
  field('Number', h('input', { name: 'number', placeholder: 'exact quote number', autocomplete: 'off' })),
  h('button', { type: 'submit' }, 'Search'));

  const formProblem = h('div');
  const create = h('form', { id: 'new-quote', class: 'card form-grid', novalidate: true, onsubmit: (e) => { e.preventDefault(); createQuote(e.target, e.submitter); } },
    h('h3', {}, 'New quote'),
    field('Title', h('input', { name: 'title', autocomplete: 'off' })),
    field('Customer', h('input', { name: 'customerName', autocomplete: 'off' })),
    field('Amount', h('input', { name: 'amount', type: 'number', step: '0.01', min: '0' })),
    field('Currency', h('input', { name: 'currency', value: 'CNY', maxlength: '3', size: '4' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create draft')),
    formProblem);

  root.append(head('Quotes', live), filters, problem, list, timeline, create);

  const columns = [
    { label: 'Number', cell: (q) => mono(q.number) },
    { label: 'Title', cell: (q) => q.title },
    { label: 'Customer', cell: (q) => q.customerName },
    { label: 'Amount', class: 'num', cell: (q) => `${Number(q.amount).toLocaleString(undefined, { minimumFractionDigits: 2 })} ${q.currency}` },
    { label: 'Status', cell: (q) => pill(q.status) },
    { label: 'Approval', cell: (q) => pill(q.approvalStatus, 'approvalStatus') },
    { label: 'Updated', cell: (q) => h('span', { dataset: { field: 'updatedAt' } }, time(q.updatedAt)) },
    { label: '', class: 'actions', cell: (q) => h('button', { type: 'button', class: 'quiet', dataset: { action: 'timeline' }, onclick: () => showTimeline(q.id, q.number) }, 'Timeline') },
  ];

  async function load() {
    try {
      const result = await api('/api/quotes', { query: { status: state.status, number: state.number, page: state.page, pageSize: state.pageSize } });
      showProblem(problem, null);
      list.replaceChildren(
        table('quotes', columns, result.items, (q) => ({ dataset: { id: q.id, number: q.number } }), 'No quotes match.'),
        pager(result, (page) => { state.page = page; load(); }));
    } catch (e) {
      showProblem(problem, e);
    }
  }

  async function showTimeline(id, number) {
    openQuote = id;
    try {
      const events = await api(`/api/quotes/${id}/timeline`);
      timeline.replaceChildren(h('section', { id: 'timeline', class: 'card' },
        h('div', { class: 'view-head' }, h('h3', {}, `Timeline of ${number}`),
          h('button', { type: 'button', class: 'quiet', onclick: () => { openQuote = null; timeline.replaceChildren(); } }, 'Close')),
        table('timeline-events', [
          { label: 'Occurred', cell: (t) => time(t.occurredAt) },
          { label: 'Source', cell: (t) => pill(t.source, 'source') },
          { label: 'Event', cell: (t) => t.eventName || '—' },
          { label: 'Outcome', cell: (t) => pill(t.outcome, 'outcome') },
          { label: 'Rule', cell: (t) => (t.rule ? mono(t.rule) : '—') },
          { label: 'Status', cell: (t) => words(t.mappedStatus) },
          { label: 'sp_no', cell: (t) => (t.spNo ? mono(t.spNo) : '—') },
          { label: 'Payload', cell: (t) => (t.payload ? h('details', {}, h('summary', {}, 'show'), h('pre', {}, t.payload)) : '—') },
        ], events, (t) => ({ dataset: { id: t.id } }), 'No approval events recorded yet.')));
    } catch (e) {
      timeline.replaceChildren(problemBox(e));
    }
  }

  async function createQuote(form, button) {
    const body = {
      title: form.title.value,
      customerName: form.customerName.value,
      amount: form.amount.value === '' ? null : Number(form.amount.value),
      currency: form.currency.value,
    };
    try {
      const quote = await busy(button, () => api('/api/quotes', { method: 'POST', body }));
      showProblem(formProblem, null);
      form.title.value = '';
      form.customerName.value = '';
      form.amount.value = '';
      toast(`Created ${quote.number} (draft).`);
      load();
    } catch (e) {
      showProblem(formProblem, e);
    }
  }

  function onStatus(event) {
    const row = list.querySelector(`tr[data-id="${CSS.escape(event.quoteId)}"]`);
    if (row) {
      row.querySelector('[data-field=status]').replaceWith(pill(event.status));
      row.querySelector('[data-field=approvalStatus]').replaceWith(pill(event.approvalStatus, 'approvalStatus'));
      row.querySelector('[data-field=updatedAt]').textContent = time(event.occurredAt);
      row.classList.remove('flash');
      void row.offsetWidth; // restart the highlight
      row.classList.add('flash');
    }
    if (openQuote === event.quoteId) showTimeline(event.quoteId, event.number);
  }

  load();
  return watchQuotes(onStatus, (s) => {
    live.dataset.state = s;
    live.textContent = s === 'open' ? 'live' : s;
  });
}

// ---------------------------------------------------------------- approvals

function approvals(root) {
  const state = { open: 'true', page: 1, pageSize: 20 };
  const list = h('div');
  const filters = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); state.open = e.target.open.value; state.page = 1; load(); } },
    field('Show', h('select', { name: 'open' },
      h('option', { value: 'true', selected: true }, 'open'), h('option', { value: 'false' }, 'closed'), h('option', { value: '' }, 'all'))),
    h('button', { type: 'submit' }, 'Show'));
  root.append(head('Approvals'), filters, list);

  async function load() {
    try {
      const result = await api('/api/approvals', { query: { open: state.open, page: state.page, pageSize: state.pageSize } });
      list.replaceChildren(table('approvals', [
        { label: 'Quote', cell: (a) => mono(a.quoteNumber) },
        { label: 'sp_no', cell: (a) => (a.spNo ? mono(a.spNo) : '—') },
        { label: 'Kind', cell: (a) => words(a.kind) },
        { label: 'Status', cell: (a) => pill(a.status) },
        { label: 'Submission', cell: (a) => words(a.submission) },
        { label: 'Open', cell: (a) => (a.isOpen ? 'yes' : 'no') },
        { label: 'Submitted', cell: (a) => time(a.submittedAt) },
        { label: 'Last event', cell: (a) => time(a.lastEventAt) },
        { label: 'Last synced', cell: (a) => time(a.lastSyncedAt) },
      ], result.items, (a) => ({ dataset: { id: a.id, quoteId: a.quoteId } }), 'No approvals.'),
      pager(result, (page) => { state.page = page; load(); }));
    } catch (e) {
      list.replaceChildren(notAvailable(e, 'GET /api/approvals'));
    }
  }

  load();
}

// ---------------------------------------------------------------- callback inbox

function inbox(root) {
  const state = { status: '', page: 1, pageSize: 20 };
  const problem = h('div');
  const list = h('div');
  let refresh;
  let refreshes = 0;
  const retryAll = h('button', { type: 'button', onclick: () => retryAllFailed() }, 'Retry all failed');
  const filters = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); state.status = e.target.status.value; state.page = 1; load(); } },
    field('Status', select('status', InboxStatuses, state.status)), h('button', { type: 'submit' }, 'Show'));
  root.append(head('Callback inbox', retryAll), h('p', { class: 'muted' }, 'Every WeCom callback as stored, decrypted; a failed one can be queued again.'), filters, problem, list);

  async function load() {
    clearTimeout(refresh);
    try {
      const result = await api('/api/admin/wecom/inbox', { query: { status: state.status, page: state.page, pageSize: state.pageSize } });
      showProblem(problem, null);
      list.replaceChildren(table('inbox', [
        { label: 'Received', cell: (m) => time(m.receivedAt) },
        { label: 'Event', cell: (m) => [m.msgType || '—', m.eventName ? ` / ${m.eventName}` : ''] },
        { label: 'Key', cell: (m) => h('code', { class: 'mono small', title: m.eventKey }, m.eventKey) },
        { label: 'Status', cell: (m) => pill(m.status) },
        { label: 'Attempts', class: 'num', cell: (m) => m.attempts },
        { label: 'Outcome', cell: (m) => m.outcome || '—' },
        { label: 'Last error', cell: (m) => (m.lastError ? h('span', { class: 'error-text' }, m.lastError) : '—') },
        { label: 'Processed', cell: (m) => time(m.processedAt) },
        { label: 'Next attempt', cell: (m) => (m.status === 'received' ? time(m.nextAttemptAt) : '—') },
        { label: 'Payload', cell: (m) => h('details', {}, h('summary', {}, 'XML'), h('pre', {}, m.payload)) },
        { label: '', class: 'actions', cell: (m) => (m.status === 'failed' ? h('button', { type: 'button', dataset: { action: 'retry' }, onclick: (e) => retry(m.id, e.target) }, 'Retry') : '') },
      ], result.items, (m) => ({ dataset: { id: m.id } }), 'No callbacks.'),
      pager(result, (page) => { state.page = page; load(); }));
      // While a shown callback waits for the processor, look again shortly (bounded).
      if (result.items.some((m) => m.status === 'received') && refreshes++ < 40) refresh = setTimeout(load, 1500);
    } catch (e) {
      showProblem(problem, e);
    }
  }

  async function retry(id, button) {
    try {
      await busy(button, () => api(`/api/admin/wecom/inbox/${id}/retry`, { method: 'POST' }));
      toast('Queued again.');
    } catch (e) {
      showProblem(problem, e);
    }
    refreshes = 0;
    load();
  }

  async function retryAllFailed() {
    try {
      const result = await busy(retryAll, () => api('/api/admin/wecom/inbox/retry-failed', { method: 'POST' }));
      toast(`Queued ${result.retried} again.`);
      showProblem(problem, null);
    } catch (e) {
      showProblem(problem, e);
    }
    refreshes = 0;
    load();
  }

  load();
  return () => clearTimeout(refresh);
}

// ---------------------------------------------------------------- notifications

function notifications(root, ctx) {
  const state = { status: '', employeeId: '', page: 1, pageSize: 20 };
  const problem = h('div');
  const list = h('div');
  let employees = new Map();
  let refresh;
  let refreshes = 0;
  const retryAll = ctx.isAdmin ? h('button', { type: 'button', onclick: () => retryAllUndelivered() }, 'Retry all dead & unconfirmed') : null;
  const employeeSelect = h('select', { name: 'employeeId' }, h('option', { value: '' }, 'any'));
  const filters = h('form', {
    class: 'filters',
    onsubmit: (e) => { e.preventDefault(); state.status = e.target.status.value; state.employeeId = e.target.employeeId.value; state.page = 1; refreshes = 0; load(); },
  }, field('Status', select('status', NotificationStatuses, state.status)), field('Employee', employeeSelect), h('button', { type: 'submit' }, 'Show'));
  root.append(head('Notifications', retryAll), h('p', { class: 'muted' }, 'Mini-program messages to employees about their assigned customers (the outbox).'), filters, problem, list);

  const undelivered = (n) => n.status !== 'pending' && n.status !== 'sent';

  async function load() {
    clearTimeout(refresh);
    try {
      const result = await api('/api/notifications', { query: { status: state.status, employeeId: state.employeeId, page: state.page, pageSize: state.pageSize } });
      showProblem(problem, null);
      list.replaceChildren(table('notifications', [
        { label: 'Created', cell: (n) => time(n.createdAt) },
        { label: 'Employee', cell: (n) => employees.get(n.employeeId)?.name ?? mono(n.employeeId) },
        { label: 'Kind', cell: (n) => `${words(n.kind)} · ${words(n.channel)}` },
        { label: 'Customers', cell: (n) => (n.customerCount > 1 ? `${n.customerCount}: ${n.customerNames}` : n.customerNames) },
        { label: 'Status', cell: (n) => pill(n.status) },
        { label: 'Attempts', class: 'num', cell: (n) => n.attempts },
        { label: 'Last error', cell: (n) => (n.lastError ? h('span', { class: 'error-text' }, n.lastErrorCode ? `${n.lastErrorCode}: ` : '', n.lastError) : '—') },
        { label: 'Next / done', cell: (n) => (n.status === 'pending' ? `next ${time(n.nextAttemptAt)}` : time(n.completedAt)) },
        { label: '', class: 'actions', cell: (n) => (ctx.isAdmin && undelivered(n) ? h('button', { type: 'button', dataset: { action: 'retry' }, onclick: (e) => retry(n.id, e.target) }, 'Retry') : '') },
      ], result.items, (n) => ({ dataset: { id: n.id } }), 'No notifications.'),
      pager(result, (page) => { state.page = page; load(); }));
      // While a shown notification is still on its way, look again shortly (bounded).
      if (result.items.some((n) => n.status === 'pending') && refreshes++ < 40) refresh = setTimeout(load, 1500);
    } catch (e) {
      showProblem(problem, e);
    }
  }

  async function retry(id, button) {
    try {
      await busy(button, () => api(`/api/notifications/${id}/retry`, { method: 'POST' }));
      toast('Queued again.');
    } catch (e) {
      showProblem(problem, e);
    }
    refreshes = 0;
    load();
  }

  async function retryAllUndelivered() {
    try {
      const retried = await busy(retryAll, async () => {
        let total = 0;
        for (const status of ['dead', 'unconfirmed']) {
          total += (await api('/api/notifications/retry-undelivered', { method: 'POST', query: { status } })).retried;
        }
        return total;
      });
      toast(`Queued ${retried} again.`);
      showProblem(problem, null);
    } catch (e) {
      showProblem(problem, e);
    }
    refreshes = 0;
    load();
  }

  (async () => {
    try {
      employees = await employeesById();
      employeeSelect.append(...[...employees.values()].map((e) => h('option', { value: e.id }, e.name)));
    } catch (e) {
      showProblem(problem, e);
    }
    load();
  })();
  return () => clearTimeout(refresh);
}

// ---------------------------------------------------------------- customers

function customers(root) {
  const state = { owner: '', page: 1, pageSize: 20 };
  const problem = h('div');
  const list = h('div');
  let employees = new Map();
  const ownerSelect = h('select', { name: 'owner' }, h('option', { value: '' }, 'any'), h('option', { value: 'pool' }, 'public pool'));
  const filters = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); state.owner = e.target.owner.value; state.page = 1; load(); } },
    field('Owner', ownerSelect), h('button', { type: 'submit' }, 'Show'));
  const formProblem = h('div');
  const create = h('form', { id: 'new-customer', class: 'card form-grid', novalidate: true, onsubmit: (e) => { e.preventDefault(); createCustomer(e.target, e.submitter); } },
    h('h3', {}, 'New customer'),
    field('Name', h('input', { name: 'name', autocomplete: 'off' })),
    field('Company', h('input', { name: 'company', autocomplete: 'off' })),
    field('Phone', h('input', { name: 'phone', type: 'tel', autocomplete: 'off' })),
    h('label', { class: 'field check' }, h('span', {}, 'Public pool'), h('input', { name: 'inPublicPool', type: 'checkbox' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add customer')),
    formProblem);
  root.append(head('Customers'), filters, problem, list, create);

  const ownerName = (c) => (c.ownerEmployeeId ? employees.get(c.ownerEmployeeId)?.name ?? c.ownerEmployeeId : c.inPublicPool ? 'public pool' : '—');

  async function load() {
    const query = { page: state.page, pageSize: state.pageSize };
    if (state.owner === 'pool') query.inPublicPool = true;
    else if (state.owner) query.ownerEmployeeId = state.owner;
    try {
      const result = await api('/api/customers', { query });
      showProblem(problem, null);
      list.replaceChildren(table('customers', [
        { label: 'Name', cell: (c) => c.name },
        { label: 'Company', cell: (c) => c.company },
        { label: 'Phone', cell: (c) => c.phone },
        { label: 'Owner', cell: (c) => h('span', { dataset: { field: 'owner' } }, ownerName(c)) },
        { label: 'Assigned', cell: (c) => time(c.assignedAt) },
        {
          label: 'Assign to',
          class: 'actions',
          cell: (c) => h('span', { class: 'inline' },
            h('select', { dataset: { field: 'employee' }, 'aria-label': `Assign ${c.name} to` },
              h('option', { value: '' }, 'choose…'),
              [...employees.values()].map((e) => h('option', { value: e.id, selected: e.id === c.ownerEmployeeId }, e.name))),
            h('button', { type: 'button', dataset: { action: 'assign' }, onclick: (e) => assign(c, e.target) }, 'Assign')),
        },
      ], result.items, (c) => ({ dataset: { id: c.id } }), 'No customers.'),
      pager(result, (page) => { state.page = page; load(); }));
    } catch (e) {
      showProblem(problem, e);
    }
  }

  async function createCustomer(form, button) {
    const body = { name: form.name.value, company: form.company.value, phone: form.phone.value, inPublicPool: form.inPublicPool.checked };
    try {
      const customer = await busy(button, () => api('/api/customers', { method: 'POST', body }));
      showProblem(formProblem, null);
      form.reset();
      toast(`Added ${customer.name}${customer.inPublicPool ? ' to the public pool' : ''}.`);
      state.page = 1;
      load();
    } catch (e) {
      showProblem(formProblem, e);
    }
  }

  async function assign(customer, button) {
    const employeeId = button.parentElement.querySelector('select').value;
    if (!employeeId) { toast('Choose an employee first.'); return; }
    try {
      const result = await busy(button, () => api(`/api/customers/${customer.id}/assign`, { method: 'PATCH', body: { employeeId } }));
      showProblem(problem, null);
      const name = employees.get(employeeId)?.name ?? employeeId;
      toast(result.assigned ? `${customer.name} assigned to ${name}${result.notificationId ? '; notification queued' : ''}.` : `${customer.name} already belongs to ${name}.`);
      load();
    } catch (e) {
      showProblem(problem, e);
    }
  }

  (async () => {
    try {
      employees = await employeesById();
      ownerSelect.append(...[...employees.values()].map((e) => h('option', { value: e.id }, e.name)));
    } catch (e) {
      showProblem(problem, e);
    }
    load();
  })();
}

// ---------------------------------------------------------------- employees

function employees(root) {
  const state = { page: 1, pageSize: 20 };
  const problem = h('div');
  const list = h('div');
  const formProblem = h('div');
  const create = h('form', { id: 'new-employee', class: 'card form-grid', novalidate: true, onsubmit: (e) => { e.preventDefault(); createEmployee(e.target, e.submitter); } },
    h('h3', {}, 'New employee'),
    field('Name', h('input', { name: 'name', autocomplete: 'off' })),
    field('WeCom userid', h('input', { name: 'weComUserId', autocomplete: 'off', spellcheck: 'false' })),
    field('Mini-program openid (optional)', h('input', { name: 'miniProgramOpenId', autocomplete: 'off', spellcheck: 'false' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add employee')),
    formProblem);
  root.append(head('Employees'), h('p', { class: 'muted' }, 'The mini-program openid is where assignment notifications go; without one they are skipped.'), problem, list, create);

  async function load() {
    try {
      const result = await api('/api/employees', { query: state });
      showProblem(problem, null);
      list.replaceChildren(table('employees', [
        { label: 'Name', cell: (e) => e.name },
        { label: 'WeCom userid', cell: (e) => mono(e.weComUserId) },
        {
          label: 'Mini-program openid',
          cell: (e) => h('form', { class: 'inline', onsubmit: (ev) => { ev.preventDefault(); save(e, ev.target); } },
            h('input', { name: 'openid', value: e.miniProgramOpenId ?? '', placeholder: 'none', dataset: { field: 'openid' }, autocomplete: 'off', 'aria-label': `openid of ${e.name}` }),
            h('button', { type: 'submit', dataset: { action: 'save-openid' } }, 'Save')),
        },
        { label: 'Created', cell: (e) => time(e.createdAt) },
      ], result.items, (e) => ({ dataset: { id: e.id } }), 'No employees.'),
      pager(result, (page) => { state.page = page; load(); }));
    } catch (e) {
      showProblem(problem, e);
    }
  }

  async function createEmployee(form, button) {
    const openId = form.miniProgramOpenId.value.trim();
    const body = { name: form.name.value, weComUserId: form.weComUserId.value.trim(), miniProgramOpenId: openId || null };
    try {
      const employee = await busy(button, () => api('/api/employees', { method: 'POST', body }));
      showProblem(formProblem, null);
      form.reset();
      toast(`Added ${employee.name} (${employee.weComUserId}).`);
      load();
    } catch (e) {
      showProblem(formProblem, e);
    }
  }

  async function save(employee, form) {
    const value = form.openid.value.trim();
    try {
      await busy(form.querySelector('button'), () => api(`/api/employees/${employee.id}/openid`, { method: 'PUT', body: { miniProgramOpenId: value || null } }));
      showProblem(problem, null);
      toast(value ? `Saved the openid of ${employee.name}.` : `Cleared the openid of ${employee.name}.`);
      load();
    } catch (e) {
      showProblem(problem, e);
    }
  }

  load();
}

// ---------------------------------------------------------------- integration checks

function checks(root) {
  const checkSlot = h('div', {}, h('p', { class: 'muted' }, 'Runs the integration checklist live (WeCom token, approval template, callback URL, mini-program).'));
  const healthSlot = h('div');
  const syncSlot = h('div');
  const run = h('button', { type: 'button', onclick: () => runChecks() }, 'Run checks');
  const sync = h('button', { type: 'button', onclick: () => runSync() }, 'Sync approvals now');
  const recipient = h('select', { name: 'employeeId', 'aria-label': 'Employee to notify' }, h('option', { value: '' }, 'choose an employee…'));
  const send = h('button', { type: 'submit', dataset: { action: 'test-notification' } }, 'Send test notification');
  const testResult = h('div', { id: 'test-notification-result' });
  root.append(head('Integration checks'),
    h('div', { class: 'grid two' },
      h('section', { class: 'card wide' }, h('div', { class: 'view-head' }, h('h3', {}, 'Integration check'), run), checkSlot),
      h('section', { id: 'test-notification', class: 'card wide' },
        h('h3', {}, 'Test notification'),
        h('p', { class: 'muted' }, 'Sends one subscription message to the employee now, not through the outbox (it uses one of their subscription credits), and shows WeChat\'s answer.'),
        h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); sendTestNotification(); } }, field('Employee', recipient), send),
        testResult),
      h('section', { class: 'card' }, h('div', { class: 'view-head' }, h('h3', {}, 'Health'),
        h('button', { type: 'button', class: 'quiet', onclick: () => loadHealth() }, 'Refresh')), healthSlot),
      h('section', { class: 'card' }, h('div', { class: 'view-head' }, h('h3', {}, 'Approval sync'), sync),
        h('p', { class: 'muted' }, 'Reads every open approval from WeCom now (the compensation sync also runs on its own).'), syncSlot)));

  async function runChecks() {
    try {
      const report = await busy(run, () => api('/api/admin/integration-check'));
      checkSlot.replaceChildren(
        h('p', {}, pill(report.status), ' ', h('span', { class: 'muted' }, time(report.checkedAt))),
        table('integration-checks', [
          { label: 'Check', cell: (c) => mono(c.name) },
          { label: 'Status', cell: (c) => pill(c.status) },
          { label: 'Detail', cell: (c) => [c.errcode ? h('code', {}, `errcode ${c.errcode} `) : '', c.detail || '', c.hint ? h('div', { class: 'hint-text' }, c.hint) : ''] },
        ], report.checks || [], (c) => ({ dataset: { name: c.name } })));
    } catch (e) {
      checkSlot.replaceChildren(notAvailable(e, 'GET /api/admin/integration-check'));
    }
  }

  async function loadHealth() {
    healthSlot.replaceChildren(await healthReport());
  }

  async function loadRecipients() {
    try {
      const employees = await employeesById();
      recipient.append(...[...employees.values()].map((e) =>
        h('option', { value: e.id }, e.miniProgramOpenId ? e.name : `${e.name} (no openid)`)));
    } catch (e) {
      testResult.replaceChildren(problemBox(e));
    }
  }

  async function sendTestNotification() {
    const employeeId = recipient.value;
    if (!employeeId) { toast('Choose an employee first.'); return; }
    try {
      const result = await busy(send, () => api('/api/admin/integration-check/test-notification', { method: 'POST', body: { employeeId } }));
      testResult.replaceChildren(h('dl', { class: 'kv' },
        h('dt', {}, 'status'), h('dd', {}, pill(result.status)),
        result.msgid ? [h('dt', {}, 'msgid'), h('dd', {}, mono(result.msgid))] : null,
        result.errcode ? [h('dt', {}, 'errcode'), h('dd', {}, mono(String(result.errcode)))] : null,
        h('dt', {}, 'detail'), h('dd', {}, result.detail || '—'),
        result.hint ? [h('dt', {}, 'what to do'), h('dd', { class: 'hint-text' }, result.hint)] : null));
    } catch (e) {
      testResult.replaceChildren(problemBox(e));
    }
  }

  async function runSync() {
    try {
      const report = await busy(sync, () => api('/api/admin/approvals/sync', { method: 'POST' }));
      syncSlot.replaceChildren(h('dl', { class: 'kv' }, Object.entries(report).map(([k, v]) => [h('dt', {}, words(k)), h('dd', {}, String(v))])));
    } catch (e) {
      syncSlot.replaceChildren(problemBox(e));
    }
  }

  loadHealth();
  loadRecipients();
}

export const views = { overview, quotes, approvals, customers, employees, notifications, inbox, checks };
