// The check catalogue (titles, risk, remediation), read once per page load.
import { call } from './api.js';

let catalogue = null;

export async function checks() {
  if (!catalogue) {
    catalogue = call('/v1/checks').then((r) => new Map(r.result.map((c) => [c.id, c])))
      .catch(() => new Map());
  }
  return catalogue;
}
