// Replies with a server error are noted on the phone and later sent to the service's client log
// (PUT /api/log), where the charity can see which trader met which failure. Notes wait in localStorage
// under `arcLogs`, the key the previous trader app used, so its unsent notes are sent too.

import { getTrader } from "./session.js";

const LOG_KEY = "arcLogs";
// When the next attempt to send may be made (epoch milliseconds), after a failed one.
const RETRY_KEY = "arcLogsRetryAt";
// A phone that cannot reach the service for days keeps only the newest notes.
const MAX_NOTES = 50;

function readNotes() {
  try {
    const notes = JSON.parse(localStorage.getItem(LOG_KEY));
    return notes && typeof notes === "object" && !Array.isArray(notes) ? notes : {};
  } catch {
    return {};
  }
}

function writeNotes(notes) {
  localStorage.setItem(LOG_KEY, JSON.stringify(notes));
}

// The log's keys are hex SHA-256 digests of the note. Browsers offer the digest only on https and
// localhost pages; elsewhere a random key does as well.
async function noteKey(text) {
  if (!(window.crypto && crypto.subtle)) {
    return `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Record that `method url` returned `status`, with the time and the chosen trader.
export async function noteFailure(method, url, status) {
  const trader = getTrader();
  const note = { config: { method, url }, status, created: new Date().toISOString(), trader: trader ? trader.id : -1 };
  const key = await noteKey(JSON.stringify(note));
  // Read and write with no wait in between, so notes taken at the same moment all stay.
  const notes = readNotes();
  const keys = Object.keys(notes);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_NOTES + 1))) {
    delete notes[key];
  }
  notes[key] = note;
  writeNotes(notes);
}

export function pendingNotes() {
  return readNotes();
}

// Drop every note, because the service rejected them for good (too large, or unreadable).
export function forgetAllNotes() {
  localStorage.removeItem(LOG_KEY);
}

// Drop the notes the service has stored; its reply lists their keys.
export function forgetNotes(keys) {
  const notes = readNotes();
  for (const key of keys) {
    delete notes[key];
  }
  writeNotes(notes);
}

// Whether sending may be tried now, and putting the next try off after a failure.
// A stored time further ahead than one wait (set while the phone's clock was wrong) is ignored.
export function mayTrySending(longestWait) {
  const retryAt = Number(localStorage.getItem(RETRY_KEY) || 0);
  const now = Date.now();
  return !(retryAt > now && retryAt <= now + longestWait);
}

export function postponeSending(milliseconds) {
  localStorage.setItem(RETRY_KEY, String(Date.now() + milliseconds));
}
