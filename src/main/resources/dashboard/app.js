// The dashboard's shell: sign-in, the account picker, and a hash router over the pages.
//   #/signin                      sign in with an API token
//   #/a/<account>                 overview of an account
//   #/a/<account>/insights?<q>    the insights table, filters in <q>
//   #/a/<account>/insights/<id>   one insight
//   #/a/<account>/alerts          alert destinations and rules
//   #/a/<account>/compliance?framework=<id>  controls of a compliance framework
//   #/a/<account>/alerts/rules/<id>  a rule's delivery log
//   #/a/<account>/history         SLA targets, attainment, MTTR, open past their SLA
//   #/a/<account>/changes?<q>     what changed between two dates (from, to in <q>)
//   #/fleet                       every account of the token at once (tokens of several accounts)
//   #/fleet/insights?<q>          the insights of every account, filters in <q>
import { call, setToken, token, ApiError } from './api.js';
import { h, mount } from './dom.js';
import { overview } from './overview.js';
import { insights } from './insights.js';
import { insight } from './insight.js';
import { alerts } from './alerts.js';
import { alertLog } from './alert-log.js';
import { history } from './history.js';
import { changes } from './changes.js';
import { compliance } from './compliance.js';
import { fleetOverview } from './fleet.js';
import { fleetInsights } from './fleet-insights.js';
import { focusHeading } from './focus.js';

const main = document.getElementById('main');
const state = { me: null };

export function notify(text, kind = 'info') {
  const n = document.getElementById('notice');
  mount(n, text ? h('p', { class: 'notice notice-' + kind }, text) : null);
}

async function loadMe() {
  if (!state.me) state.me = (await call('/v1/me')).result;
  return state.me;
}

function signIn(message) {
  document.getElementById('nav').hidden = true;
  document.title = 'Sign in · Vigil';
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'token-help' });
  const error = h('p', { id: 'signin-error', class: 'error', role: 'alert' }, message || '');
  const form = h('form', { class: 'card signin', onsubmit: async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    state.me = null;
    try {
      const me = await loadMe();
      if (me.accounts.length === 0) {
        setToken(null);
        error.textContent = 'Token "' + me.name + '" sees no account (admin tokens only manage tokens).';
        return;
      }
      const target = '#/a/' + encodeURIComponent(me.accounts[0].id);
      // Signed out on the page it asked for (an expired token): no hashchange would follow.
      if (location.hash === target) route({ moved: true });
      else location.hash = target;
    } catch (err) {
      setToken(null);
      state.me = null;
      error.textContent = err.status === 401 ? 'That token is unknown or has expired.' : err.message;
    }
  } },
  h('h1', {}, 'Sign in'),
  h('label', { for: 'token' }, 'API token'),
  input,
  h('p', { id: 'token-help', class: 'help' }, 'A token of your accounts (vigil demo prints one). It is kept in this tab only.'),
  error,
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  mount(main, form);
  input.focus();
}

function shell(me, account, page) {
  const nav = document.getElementById('nav');
  nav.hidden = false;
  const select = document.getElementById('account');
  mount(select, me.accounts.map((a) => h('option', { value: a.id, selected: a.id === account },
    a.name ? a.name + ' (' + a.id + ')' : a.id)));
  select.onchange = () => { location.hash = '#/a/' + encodeURIComponent(select.value); };
  const base = '#/a/' + encodeURIComponent(account);
  // Each link of the nav and the pages it stands for.
  const links = [['nav-overview', base, ['overview']], ['nav-insights', base + '/insights', ['insights', 'insight']],
    ['nav-history', base + '/history', ['history', 'changes']], ['nav-compliance', base + '/compliance', ['compliance']],
    ['nav-alerts', base + '/alerts', ['alerts', 'alert-log']], ['nav-fleet', '#/fleet', ['fleet', 'fleet-insights']]];
  // The fleet view only means something to a token of several accounts.
  document.getElementById('nav-fleet').hidden = me.accounts.length < 2;
  for (const [id, href, pages] of links) {
    const link = document.getElementById(id);
    link.href = href;
    if (pages.includes(page)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/**
 * Draws the page of the hash. `moved` is true when the user went there from another page of this
 * document (a link, a form, sign-in): focus then goes to the new page's heading, as a page load
 * would put the reader at the top. Changing account from the picker keeps focus on the picker, so
 * its options can be walked with the arrow keys.
 */
async function route({ moved = false } = {}) {
  const hash = location.hash || '#/';
  const [path, q] = hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  notify('');
  if (!token() || parts[0] === 'signin') return signIn();
  let me;
  try {
    me = await loadMe();
  } catch (e) {
    return signIn(e instanceof ApiError && e.status === 401 ? 'Your token is no longer valid; sign in again.' : e.message);
  }
  if (parts[0] === 'fleet' && me.accounts.length > 1) {
    const ctx = { me, main, params: new URLSearchParams(q || ''), notify };
    try {
      shell(me, me.accounts[0].id, parts[1] === 'insights' ? 'fleet-insights' : 'fleet');
      await (parts[1] === 'insights' ? fleetInsights(ctx) : fleetOverview(ctx));
    } catch (e) {
      mount(main, h('section', { class: 'card' }, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, e.message)));
    }
    if (moved) focusHeading();
    return;
  }
  if (parts[0] !== 'a' || !parts[1]) {
    location.replace('#/a/' + encodeURIComponent(me.accounts[0].id));
    return;
  }
  const account = parts[1];
  if (!me.accounts.some((a) => a.id === account)) {
    shell(me, me.accounts[0].id, 'overview');
    mount(main, h('section', { class: 'card' }, h('h1', {}, 'Not available'),
      h('p', {}, 'Account ' + account + ' is not visible to this token.')));
    return;
  }
  const ctx = { account, me, main, params: new URLSearchParams(q || ''), notify };
  const focus = () => { if (moved && document.activeElement?.id !== 'account') focusHeading(); };
  try {
    if (parts[2] === 'alerts' && parts[3] === 'rules' && parts[4]) {
      shell(me, account, 'alert-log');
      await alertLog(ctx, parts[4]);
    } else if (parts[2] === 'alerts') {
      shell(me, account, 'alerts');
      await alerts(ctx);
    } else if (parts[2] === 'history') {
      shell(me, account, 'history');
      await history(ctx);
    } else if (parts[2] === 'changes') {
      shell(me, account, 'changes');
      await changes(ctx);
    } else if (parts[2] === 'compliance') {
      shell(me, account, 'compliance');
      await compliance(ctx);
    } else if (parts[2] === 'insights' && parts[3]) {
      shell(me, account, 'insight');
      await insight(ctx, parts[3]);
    } else if (parts[2] === 'insights') {
      shell(me, account, 'insights');
      await insights(ctx);
    } else {
      shell(me, account, 'overview');
      await overview(ctx);
    }
  } catch (e) {
    mount(main, h('section', { class: 'card' }, h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, e.message)));
  }
  focus();
}

document.getElementById('signout').addEventListener('click', () => {
  setToken(null);
  state.me = null;
  location.hash = '#/signin';
});
window.addEventListener('vigil:unauthorized', () => {
  setToken(null);
  state.me = null;
});
// "Skip to content" moves focus into <main> and leaves the hash alone: as a plain link to #main
// it changed the hash, and the router sent that unknown route to the overview.
document.getElementById('skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => {
  // A fragment that is not a route (#main, typed or from an old link) is an anchor, not a page.
  if (location.hash && !location.hash.startsWith('#/')) return;
  route({ moved: true });
});
route();
