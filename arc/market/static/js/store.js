// Recorded codes and their submissions, kept in IndexedDB so that nothing is lost when the signal
// drops or the app is closed.
//
// A code moves through these states:
//   waiting   stored on the phone, not yet accepted by the service;
//   sending   part of a request in flight (the `session` field names the page that sent it);
//   accepted  the service accepted the queued job that holds it (its batch has the job id);
//   done      the outcome is known and shown (`outcome` = {kind, text}).
// A batch is one queued submission: {id, traderId, codeIds, codes, state, session, jobId, location}.

export const WAITING = "waiting";
export const SENDING = "sending";
export const ACCEPTED = "accepted";
export const DONE = "done";

const DATABASE = "arc-trader-app";
const VERSION = 1;
const CODES = "codes";
const BATCHES = "batches";

let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, VERSION);
      request.onupgradeneeded = () => {
        const database = request.result;
        const codes = database.createObjectStore(CODES, { keyPath: "id" });
        codes.createIndex("traderId", "traderId");
        database.createObjectStore(BATCHES, { keyPath: "id" });
      };
      request.onsuccess = () => {
        const database = request.result;
        // Another tab with a newer version of the app wants to upgrade the database: let it.
        database.onversionchange = () => {
          database.close();
          opening = null;
        };
        resolve(database);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
    });
  }
  return opening;
}

// Run `work(stores)` in one transaction and resolve with its result once the transaction commits,
// so callers know their change is on disk. `work` may await requests on the stores it was given.
async function transaction(names, mode, work) {
  const database = await openDatabase();
  const tx = database.transaction(names, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("The IndexedDB transaction was aborted."));
  });
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  let result;
  try {
    result = await work(stores);
  } catch (error) {
    done.catch(() => {}); // The abort below rejects it; the caller gets `error` instead.
    tx.abort();
    throw error;
  }
  await done;
  return result;
}

export function newId() {
  if (window.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

function byAddedAt(first, second) {
  return first.addedAt - second.addedAt || (first.id < second.id ? -1 : 1);
}

async function codesOf(store, traderId) {
  const codes = await promised(store.index("traderId").getAll(traderId));
  return codes.sort(byAddedAt);
}

// Store new codes for a trader as waiting; returns the stored entries.
export function addCodes(traderId, codes, { uncertain = false } = {}) {
  const now = Date.now();
  const entries = codes.map((code, index) => ({
    id: newId(),
    code,
    traderId,
    state: WAITING,
    batchId: null,
    session: null,
    uncertain,
    attempts: 0,
    addedAt: now + index,
    updatedAt: now,
    outcome: null,
  }));
  return transaction([CODES], "readwrite", async (stores) => {
    for (const entry of entries) {
      stores[CODES].add(entry);
    }
    return entries;
  });
}

// Every stored code of a trader, oldest first.
export function listCodes(traderId) {
  return transaction([CODES], "readonly", (stores) => codesOf(stores[CODES], traderId));
}

// Apply `change(entry)` (which edits the entry in place) to the codes with these ids.
export function updateCodes(ids, change) {
  return transaction([CODES], "readwrite", async (stores) => {
    const updated = [];
    for (const id of ids) {
      const entry = await promised(stores[CODES].get(id));
      if (entry) {
        change(entry);
        entry.updatedAt = Date.now();
        stores[CODES].put(entry);
        updated.push(entry);
      }
    }
    return updated;
  });
}

// Put up to `limit` waiting codes of a trader into a new batch in state "sending", in one
// transaction, so that no code can be in two batches. Returns the batch, or null when none wait.
export function claimWaiting(traderId, session, limit) {
  return transaction([CODES, BATCHES], "readwrite", async (stores) => {
    const waiting = (await codesOf(stores[CODES], traderId)).filter((entry) => entry.state === WAITING).slice(0, limit);
    if (waiting.length === 0) {
      return null;
    }
    const batch = {
      id: newId(),
      traderId,
      codeIds: waiting.map((entry) => entry.id),
      codes: waiting.map((entry) => entry.code),
      state: SENDING,
      session,
      jobId: null,
      location: null,
      createdAt: Date.now(),
    };
    for (const entry of waiting) {
      entry.state = SENDING;
      entry.batchId = batch.id;
      entry.session = session;
      entry.updatedAt = Date.now();
      stores[CODES].put(entry);
    }
    stores[BATCHES].add(batch);
    return batch;
  });
}

// Record that the service accepted a batch as job `jobId`: from here on its codes are not resent
// unless the job's result is lost.
export function markAccepted(batch, jobId, location) {
  return transaction([CODES, BATCHES], "readwrite", async (stores) => {
    const stored = await promised(stores[BATCHES].get(batch.id));
    if (!stored) {
      return null;
    }
    Object.assign(stored, { state: ACCEPTED, jobId, location });
    stores[BATCHES].put(stored);
    for (const id of stored.codeIds) {
      const entry = await promised(stores[CODES].get(id));
      if (entry && entry.batchId === batch.id) {
        entry.state = ACCEPTED;
        entry.updatedAt = Date.now();
        stores[CODES].put(entry);
      }
    }
    return stored;
  });
}

// Close a batch: give each of its codes what `outcomeFor(entry)` returns, either {outcome} (the
// code is done) or {retry: true} (back to waiting, sent again later). A retry may add
// `uncertain: true` (the service may have the code already) and `countAttempt: true` (a job failed).
export function finishBatch(batchId, outcomeFor) {
  return transaction([CODES, BATCHES], "readwrite", async (stores) => {
    const batch = await promised(stores[BATCHES].get(batchId));
    if (!batch) {
      return [];
    }
    const entries = [];
    for (const id of batch.codeIds) {
      const entry = await promised(stores[CODES].get(id));
      if (!entry || entry.batchId !== batchId) {
        continue;
      }
      const result = outcomeFor(entry);
      entry.batchId = null;
      entry.session = null;
      entry.updatedAt = Date.now();
      if (result.retry) {
        entry.state = WAITING;
        entry.attempts += result.countAttempt ? 1 : 0;
        entry.uncertain = entry.uncertain || Boolean(result.uncertain);
      } else {
        entry.state = DONE;
        entry.outcome = result.outcome;
      }
      stores[CODES].put(entry);
      entries.push(entry);
    }
    stores[BATCHES].delete(batchId);
    return entries;
  });
}

export function listBatches() {
  return transaction([BATCHES], "readonly", (stores) => promised(stores[BATCHES].getAll()));
}

// Codes and batches left "sending" by a page that is gone (closed, reloaded or crashed mid-send).
// The app cannot tell whether the service received them, so they go back to waiting, marked uncertain.
export function releaseAbandoned(currentSession) {
  return transaction([CODES, BATCHES], "readwrite", async (stores) => {
    const released = [];
    for (const batch of await promised(stores[BATCHES].getAll())) {
      if (batch.state === SENDING && batch.session !== currentSession) {
        stores[BATCHES].delete(batch.id);
      }
    }
    for (const entry of await promised(stores[CODES].getAll())) {
      if (entry.state === SENDING && entry.session !== currentSession) {
        Object.assign(entry, { state: WAITING, batchId: null, session: null, uncertain: true, updatedAt: Date.now() });
        stores[CODES].put(entry);
        released.push(entry);
      }
    }
    return released;
  });
}

// Forget the oldest finished codes of a trader beyond the newest `keep`.
export function pruneDone(traderId, keep) {
  return transaction([CODES], "readwrite", async (stores) => {
    const done = (await codesOf(stores[CODES], traderId)).filter((entry) => entry.state === DONE);
    for (const entry of done.slice(0, Math.max(0, done.length - keep))) {
      stores[CODES].delete(entry.id);
    }
  });
}

// Remove the finished codes of a trader (the trader cleared the list).
export function clearDone(traderId) {
  return transaction([CODES], "readwrite", async (stores) => {
    for (const entry of await codesOf(stores[CODES], traderId)) {
      if (entry.state === DONE) {
        stores[CODES].delete(entry.id);
      }
    }
  });
}
