// "Scan now": asks the API to scan a zone or an account at once, then watches the target's last
// scan time and calls `done` when a newer result has been applied, so the page refreshes itself.
import { call } from './api.js';

const UNAVAILABLE = [404, 405, 501, 503];

/**
 * @param target {kind: 'zone'|'account', id, account}
 * @returns a message for the page
 */
export async function scanNow(target, notify, done) {
  const path = target.kind === 'zone'
    ? '/v1/zones/' + encodeURIComponent(target.id) + '/scan'
    : '/v1/accounts/' + encodeURIComponent(target.id) + '/scan';
  const before = await lastScan(target);
  try {
    await call(path, { method: 'POST' });
  } catch (e) {
    if (UNAVAILABLE.includes(e.status)) {
      notify('Scan now is not available on this server (the API answered ' + e.status + ': ' + e.message
        + '). The target will be scanned at its next scheduled time.', 'warn');
    } else {
      notify('Scan now failed: ' + e.message, 'error');
    }
    return;
  }
  notify('Scan of ' + target.id + ' requested; waiting for the result…');
  const started = Date.now();
  const poll = async () => {
    const now = await lastScan(target).catch(() => before);
    if (now && now !== before) {
      notify('Scan of ' + target.id + ' finished; the page shows its result.', 'ok');
      done();
    } else if (Date.now() - started > 120_000) {
      notify('The scan of ' + target.id + ' was requested but no result arrived within 2 minutes.', 'warn');
    } else {
      setTimeout(poll, 1500);
    }
  };
  setTimeout(poll, 1000);
}

async function lastScan(target) {
  const path = target.kind === 'zone'
    ? '/v1/zones/' + encodeURIComponent(target.id) + '/scan-status'
    : '/v1/accounts/' + encodeURIComponent(target.account) + '/scan-status?limit=10000';
  const rows = (await call(path)).result;
  const row = rows.find((r) => r.target_id === target.id);
  return row ? row.last_scan_at : null;
}
