// The operations console's shell: sign-in with a pasted token, role-aware navigation, hash routing.
import { api, session, decodeToken } from './api.js';
import { h, problemBox } from './ui.js';
import { views } from './views.js';

const $ = (id) => document.getElementById(id);
let stopView = null;

/** Views in navigation order; roles = who may see them (the API enforces the same, this only hides 403s). */
const navigation = [
  { id: 'overview', label: 'Overview', roles: ['admin'] },
  { id: 'quotes', label: 'Quotes', roles: ['admin', 'manager', 'sales'] },
  { id: 'approvals', label: 'Approvals', roles: ['admin', 'manager', 'sales'] },
  { id: 'customers', label: 'Customers', roles: ['admin', 'manager'] },
  { id: 'employees', label: 'Employees', roles: ['admin', 'manager'] },
  { id: 'notifications', label: 'Notifications', roles: ['admin', 'manager'] },
  { id: 'inbox', label: 'Callback inbox', roles: ['admin'] },
  { id: 'checks', label: 'Integration checks', roles: ['admin'] },
];

function allowed(user) {
  return navigation.filter((v) => v.roles.some((r) => user.roles.includes(r)));
}

async function start() {
  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('token').value.trim()); });
  $('signout').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', () => route());
  window.addEventListener('console:unauthorized', (e) => signOut(e.detail));
  showDevelopmentHint();
  if (session.token && decodeToken(session.token)) route(); else showSignIn();
}

async function showDevelopmentHint() {
  try {
    const { environment } = await api('/console/config.json');
    $('dev-hint').hidden = environment !== 'Development';
  } catch {
    $('dev-hint').hidden = true;
  }
}

function signIn(token) {
  const user = decodeToken(token.replace(/^Bearer\s+/i, ''));
  const slot = $('signin-error');
  if (!user) {
    slot.replaceChildren(problemBox({ problem: { title: 'That is not a JWT', detail: 'Paste the token itself: three base64url parts separated by dots.' } }));
    return;
  }
  if (user.expires && user.expires < new Date()) {
    slot.replaceChildren(problemBox({ problem: { title: 'That token has expired', detail: `It expired at ${user.expires.toLocaleString()}; create a new one.` } }));
    return;
  }
  if (!allowed(user).length) {
    slot.replaceChildren(problemBox({ problem: { title: 'No console role', detail: `The token's roles (${user.roles.join(', ') || 'none'}) include none of admin, manager, sales.` } }));
    return;
  }
  slot.replaceChildren();
  session.token = token.replace(/^Bearer\s+/i, '');
  $('token').value = '';
  route();
}

function signOut(reason) {
  session.clear();
  stopView?.();
  stopView = null;
  showSignIn();
  if (reason) {
    $('signin-error').replaceChildren(problemBox(reason), h('p', { class: 'muted' }, 'Sign in again with a valid token.'));
  }
}

function showSignIn() {
  $('nav').hidden = true;
  $('session').hidden = true;
  $('view').hidden = true;
  $('signin').hidden = false;
  $('token').focus();
}

function route() {
  const user = decodeToken(session.token);
  if (!user) { showSignIn(); return; }
  const mine = allowed(user);
  const wanted = location.hash.replace(/^#\/?/, '');
  const current = mine.find((v) => v.id === wanted) || mine[0];

  $('signin').hidden = true;
  $('who').replaceChildren(h('span', { class: 'subject' }, user.subject), ' ', ...user.roles.map((r) => h('span', { class: 'role' }, r)));
  $('session').hidden = false;
  $('nav').replaceChildren(...mine.map((v) =>
    h('a', { href: `#${v.id}`, dataset: { view: v.id }, 'aria-current': v.id === current.id ? 'page' : null }, v.label)));
  $('nav').hidden = false;

  stopView?.();
  const view = $('view');
  view.hidden = false;
  view.dataset.view = current.id;
  view.replaceChildren();
  stopView = views[current.id](view, { user, roles: user.roles, isAdmin: user.roles.includes('admin') }) || null;
}

start();
