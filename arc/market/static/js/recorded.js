// The trader's recorded vouchers not yet sent for payment (GET vouchers?status=unconfirmed).

import { get, NetworkError } from "./api.js";
import { loadCopy, saveCopy } from "./session.js";

// Resolves with {items: [{code, updated_at}], fromCopy}. Without a signal it falls back to the
// list fetched last time (fromCopy true); with no such list it rejects as the request did.
export async function loadRecorded(traderId) {
  try {
    const reply = await get(`/traders/${traderId}/vouchers?status=unconfirmed`);
    // The list may come as an array or, from older services, as an object of rows.
    const items = Array.isArray(reply.body) ? reply.body : Object.values(reply.body || {});
    saveCopy("recorded", traderId, items);
    return { items, fromCopy: false };
  } catch (error) {
    const copy = loadCopy("recorded", traderId);
    if (error instanceof NetworkError && copy) {
      return { items: copy.value, fromCopy: true };
    }
    throw error;
  }
}

// The count from the list fetched last, for the badge on the Payment tab; null if never fetched.
export function lastRecordedCount(traderId) {
  const copy = loadCopy("recorded", traderId);
  return copy ? copy.value.length : null;
}
