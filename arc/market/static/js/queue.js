// Sending recorded codes to the voucher service, so that no code is lost or recorded twice.
//
// Every code is written to IndexedDB before anything is sent. With a signal, a new code is sent at
// once on its own (POST /vouchers), which returns that code's own message. Codes that could not be
// sent wait on the phone and later go together as one queued job (POST /vouchers/transitions, then
// GET /queue/{id} until it has ended, then GET the result). A code leaves the waiting list only when
// the service has accepted it. If the app closes while a request is in flight, the app cannot tell
// whether the service received it, so the code is sent again and marked "uncertain". Recording is
// idempotent on the service (a second try only returns "already submitted"), and for an uncertain
// code the app shows that reply as recorded.

import { ApiError, NetworkError, get, post } from "./api.js";
import { normaliseCode } from "./codes.js";
import { emit } from "./events.js";
import * as store from "./store.js";

// The texts the service sends for an unknown code, for a code this trader has already recorded,
// and for an accepted payment request.
export const INVALID_CODE = "The voucher code you have added is incorrect. Please check the numbers and the letters and try again.";
const ALREADY_SUBMITTED = "You have already submitted voucher code ";
export const PAYMENT_ACCEPTED = "Thanks, your payment request has been accepted.";

const RECORDED_EARLIER = "Voucher recorded. It reached the service on an earlier try, before the signal dropped.";
const RECORDED = "Voucher recorded.";
const NOT_RECORDED = "Not recorded: this code is incorrect or has been used already. Check it against the paper voucher.";
const NO_TRADER = "Not sent: this trader no longer exists on the voucher service.";

// This page's id; codes it is sending carry it, so a later page can tell they were abandoned.
const SESSION = store.newId();
// Codes in one queued job; the service handles far more, but a small job ends quickly on a weak signal.
const BATCH_SIZE = 50;
// Finished codes kept on screen per trader.
const KEEP_DONE = 30;
// A job that fails this many times stops being retried and shows the service's message.
const MAX_JOB_ATTEMPTS = 3;
// How often to try again while codes wait, and how long one round polls a job before moving on.
const RETRY_MS = 20000;
const POLL_LIMIT_MS = 90000;
const MAX_POLL_DELAY_MS = 15000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function changed() {
  emit("queue");
}

// One sender at a time, across every open tab of the app (Web Locks), so that two tabs never send
// the same waiting codes. Browsers without Web Locks fall back to one sender per tab.
let localChain = Promise.resolve();

function withSendLock(work) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request("arc-send-codes", () => work());
  }
  const run = localChain.then(work, work);
  localChain = run.catch(() => {});
  return run;
}

// The outcome to show for a reply about a single code.
export function outcomeOf(reply, uncertain) {
  if (reply && reply.error) {
    return { kind: "error", text: reply.error };
  }
  if (reply && reply.warning) {
    if (uncertain && reply.warning.startsWith(ALREADY_SUBMITTED)) {
      return { kind: "success", text: RECORDED_EARLIER };
    }
    return { kind: "warning", text: reply.warning };
  }
  if (reply && reply.message) {
    return { kind: "success", text: reply.message };
  }
  return { kind: "info", text: "Sent." };
}

// Failures after which sending the same request again cannot help.
function isFinalFailure(error) {
  return error instanceof ApiError && (error.status === 400 || error.status === 404);
}

function finalFailureOutcome(error) {
  if (error.status === 404) {
    return { kind: "error", text: NO_TRADER };
  }
  const text = typeof error.body === "string" && error.body ? error.body : "The service could not read this code.";
  return { kind: "error", text };
}

// Whether the service may have processed a request that failed: no reply, or a server error.
function mayHaveArrived(error) {
  return error instanceof NetworkError || (error instanceof ApiError && error.status >= 500);
}

// Record a code for a trader: store it, then send it at once when there is a signal.
// Resolves with the stored entry in its current state.
export async function recordCode(traderId, typedCode) {
  const code = normaliseCode(typedCode);
  const existing = (await store.listCodes(traderId)).find((entry) => entry.code === code && entry.state !== store.DONE);
  if (existing) {
    return { ...existing, duplicateOnPhone: true };
  }
  const [entry] = await store.addCodes(traderId, [code]);
  changed();
  if (!navigator.onLine) {
    scheduleSending(RETRY_MS);
    return entry;
  }
  return withSendLock(() => sendOne(entry));
}

async function sendOne(entry) {
  // A round of sending may have put the code into a job while this call waited for the lock.
  const [claimed] = await store.updateCodes([entry.id], (stored) => {
    if (stored.state === store.WAITING) {
      Object.assign(stored, { state: store.SENDING, session: SESSION, batchId: null });
    }
  });
  if (!claimed || claimed.state !== store.SENDING || claimed.session !== SESSION || claimed.batchId !== null) {
    return claimed || entry;
  }
  changed();

  let change;
  try {
    const reply = await post("/vouchers", { trader_id: claimed.traderId, transition: "collect", vouchers: [claimed.code] });
    change = (stored) => Object.assign(stored, { state: store.DONE, session: null, outcome: outcomeOf(reply.body, stored.uncertain) });
  } catch (error) {
    if (isFinalFailure(error)) {
      change = (stored) => Object.assign(stored, { state: store.DONE, session: null, outcome: finalFailureOutcome(error) });
    } else {
      change = (stored) => Object.assign(stored, {
        state: store.WAITING, session: null, uncertain: stored.uncertain || mayHaveArrived(error),
      });
      scheduleSending(RETRY_MS);
    }
  }
  const [settled] = await store.updateCodes([claimed.id], change);
  await store.pruneDone(claimed.traderId, KEEP_DONE);
  changed();
  emit("recorded", { traderId: claimed.traderId });
  return settled;
}

// Send the waiting codes of a trader as one queued job. Resolves with the accepted batch, or with
// null when no code waits or the service did not accept the job.
async function sendBatch(traderId) {
  await store.releaseAbandoned(SESSION);
  const batch = await store.claimWaiting(traderId, SESSION, BATCH_SIZE);
  if (!batch) {
    return null;
  }
  changed();
  try {
    const reply = await post("/vouchers/transitions", { trader_id: traderId, transition: "collect", vouchers: batch.codes });
    const body = reply.body || {};
    if (body.id === undefined) {
      throw new ApiError(reply.status, body);
    }
    const accepted = await store.markAccepted(batch, body.id, body.location || null);
    changed();
    return accepted;
  } catch (error) {
    if (isFinalFailure(error)) {
      await store.finishBatch(batch.id, () => ({ outcome: finalFailureOutcome(error) }));
    } else {
      await store.finishBatch(batch.id, () => ({ retry: true, uncertain: mayHaveArrived(error) }));
    }
    changed();
    return null;
  }
}

// Poll a queued job until it ends and return {reply}; {lost: true} when the service has no
// result for it (unknown job, or result not kept); {later: true} when polling should resume later.
export async function waitForJob(jobId, location, limitMs = POLL_LIMIT_MS) {
  const started = Date.now();
  let pollUrl = location || `/queue/${jobId}`;
  let polls = 0;
  while (Date.now() - started < limitMs) {
    let poll;
    try {
      poll = await get(pollUrl);
    } catch (error) {
      return error instanceof ApiError && error.status === 404 ? { lost: true } : { later: true };
    }
    const body = poll.body || {};
    // For an ended job the service returns 202 (not a redirect) with the result's address in the body.
    if (poll.status === 202 || body.status === "finished") {
      try {
        const result = await get(body.location || `/vouchers/transitions/${jobId}`);
        return { reply: result.body };
      } catch (error) {
        return error instanceof ApiError && error.status === 404 ? { lost: true } : { later: true };
      }
    }
    if (body.location) {
      pollUrl = body.location;
    }
    polls += 1;
    // Wait for the reply's `retry-after`, three times longer after ten polls (the worker may be busy or stopped).
    const asked = Math.max(1, Number(body["retry-after"]) || 2) * 1000;
    await sleep(Math.min(asked * (polls > 10 ? 3 : 1), MAX_POLL_DELAY_MS));
  }
  return { later: true };
}

async function recordedCodes(traderId) {
  const reply = await get(`/traders/${traderId}/vouchers?status=unconfirmed`);
  const list = Array.isArray(reply.body) ? reply.body : Object.values(reply.body || {});
  return new Set(list.map((voucher) => normaliseCode(voucher.code)));
}

// Give each code of an ended job its outcome.
async function applyJobReply(batch, reply) {
  if (reply && reply.error && reply.error !== INVALID_CODE) {
    // The job failed, and the service left every voucher as it was: send the codes again.
    await store.finishBatch(batch.id, (entry) => (entry.attempts + 1 >= MAX_JOB_ATTEMPTS
      ? { outcome: { kind: "error", text: reply.error } }
      : { retry: true, countAttempt: true }));
    return;
  }
  if (batch.codes.length === 1) {
    await store.finishBatch(batch.id, (entry) => ({ outcome: outcomeOf(reply, entry.uncertain) }));
    return;
  }
  // A job's reply only counts outcomes, so look for each code among the trader's recorded vouchers.
  let recorded = null;
  try {
    recorded = await recordedCodes(batch.traderId);
  } catch {
    // No list: each code shows the job's summary instead.
  }
  const summary = outcomeOf(reply, false);
  await store.finishBatch(batch.id, (entry) => {
    if (!recorded) {
      return { outcome: summary };
    }
    if (recorded.has(entry.code)) {
      return { outcome: { kind: "success", text: entry.uncertain ? RECORDED_EARLIER : RECORDED } };
    }
    return { outcome: { kind: "warning", text: NOT_RECORDED } };
  });
  emit("job", { traderId: batch.traderId, summary });
}

// Jobs being polled by this page, so that two rounds never follow the same job.
const following = new Set();

async function followJob(batch) {
  if (following.has(batch.id)) {
    return false;
  }
  following.add(batch.id);
  try {
    const result = await waitForJob(batch.jobId, batch.location);
    if (result.later) {
      return false;
    }
    if (result.lost) {
      await store.finishBatch(batch.id, () => ({ retry: true, uncertain: true }));
    } else {
      await applyJobReply(batch, result.reply);
    }
    await store.pruneDone(batch.traderId, KEEP_DONE);
    changed();
    emit("recorded", { traderId: batch.traderId });
    return true;
  } finally {
    following.delete(batch.id);
  }
}

// One round: follow the jobs already accepted, then send the waiting codes of these traders.
async function sendRound(traderIds) {
  await withSendLock(() => store.releaseAbandoned(SESSION));
  for (const batch of await store.listBatches()) {
    if (batch.state === store.ACCEPTED && traderIds.includes(batch.traderId)) {
      await followJob(batch);
    }
  }
  for (const traderId of traderIds) {
    while (navigator.onLine) {
      const batch = await withSendLock(() => sendBatch(traderId));
      if (!batch || !(await followJob(batch))) {
        break;
      }
    }
  }
}

// Counts for the status line: codes not yet accepted, and codes in jobs still running.
export async function countsFor(traderId) {
  const codes = await store.listCodes(traderId);
  const waiting = codes.filter((entry) => entry.state === store.WAITING || entry.state === store.SENDING).length;
  const inJobs = codes.filter((entry) => entry.state === store.ACCEPTED).length;
  return { waiting, inJobs, codes };
}

// Background sending: a round now and again while anything waits, when the signal returns, and
// when the app comes back to the screen.
let traderIdsToSend = [];
let timer = null;
let round = null;

function scheduleSending(delayMs) {
  clearTimeout(timer);
  timer = setTimeout(runRound, delayMs);
}

async function sendAndReschedule() {
  try {
    if (navigator.onLine) {
      await sendRound(traderIdsToSend);
    }
  } catch (error) {
    console.warn("Sending the waiting codes failed; trying again later.", error);
  }
  const left = await Promise.all(traderIdsToSend.map(countsFor));
  if (left.some((counts) => counts.waiting + counts.inJobs > 0)) {
    scheduleSending(RETRY_MS);
  }
}

function runRound() {
  if (!round && traderIdsToSend.length > 0) {
    // Cleared when the promise settles, which is always after this assignment.
    round = sendAndReschedule().finally(() => {
      round = null;
    });
  }
  return round || Promise.resolve();
}

// Send now (the "Send now" button); resolves when the round has ended.
export function sendNow() {
  clearTimeout(timer);
  return runRound();
}

export function startSending(traderIds) {
  traderIdsToSend = [...new Set(traderIds)];
  scheduleSending(0);
}

export function stopSending() {
  traderIdsToSend = [];
  clearTimeout(timer);
}

window.addEventListener("online", () => scheduleSending(0));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") {
    scheduleSending(0);
  }
});

// Import the codes the previous app had not sent, once, as uncertain (it may have sent some).
export async function importCodes(traderId, codes) {
  const fresh = [...new Set(codes.map(normaliseCode))].filter((code) => code !== "");
  if (fresh.length > 0) {
    await store.addCodes(traderId, fresh, { uncertain: true });
    changed();
  }
}

// Run a queued transition now (used for payment requests) and resolve with the service's reply.
// Rejects with NetworkError or ApiError, or with an Error when the job outlives `limitMs`.
export async function runJob(traderId, transition, codes, limitMs = 60000) {
  const reply = await post("/vouchers/transitions", { trader_id: traderId, transition, vouchers: codes });
  const body = reply.body || {};
  const result = await waitForJob(body.id, body.location, limitMs);
  if (result.reply !== undefined) {
    return result.reply;
  }
  throw new Error(result.lost ? "The service kept no result for this request." : "The request is taking too long.");
}
