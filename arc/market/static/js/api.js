// Calls to the trader API on the service host. Handles the bearer token as the installed apps do:
// a 401 is retried once after a refresh, a failed refresh ends the session, and a 403 logs out.

import {
  forgetAllNotes, forgetNotes, mayTrySending, noteFailure, pendingNotes, postponeSending,
} from "./diagnostics.js";
import { emit } from "./events.js";
import { clearCopies, clearSession, getToken, setToken } from "./session.js";

const TIMEOUT_MS = 20000;
// The API's 401 bodies name the problem in `error`; other 401s (such as a wrong login) are not retried.
const TOKEN_ERRORS = ["Unauthenticated.", "invalid_token"];
const LOG_PATH = "/log";

// No reply at all: no signal, a timeout, or the server could not be reached.
export class NetworkError extends Error {
  constructor(cause) {
    super("No reply from the voucher service.");
    this.cause = cause;
  }
}

// A reply with an error status; `body` is the parsed JSON, or the text for plain-text replies.
export class ApiError extends Error {
  constructor(status, body) {
    super(`The voucher service replied with status ${status}.`);
    this.status = status;
    this.body = body;
  }
}

// The page carries the API address without a scheme, so it follows the page's http or https.
export function apiBase() {
  const base = document.body.dataset.apiBase || "";
  return base.startsWith("//") ? window.location.protocol + base : base;
}

function absoluteUrl(path) {
  return /^https?:\/\//.test(path) ? path : apiBase() + path;
}

async function send(method, url, { body, accessToken, timeout = TIMEOUT_MS }) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (accessToken) {
    headers.Authorization = `Bearer ${accessToken}`;
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  let text;
  try {
    // no-cache: the browser revalidates with the stored ETag, so an unchanged list costs a 304.
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: "no-cache",
      credentials: "omit",
    });
    text = await response.text();
  } catch (error) {
    emit("connection", { online: false });
    throw new NetworkError(error);
  } finally {
    clearTimeout(timer);
  }
  emit("connection", { online: true });

  let data = text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Plain-text replies (the transition validation messages) stay as text.
  }
  return { status: response.status, ok: response.ok, body: data, headers: response.headers };
}

// End the session after the service has refused the token. A session already ended (the trader
// logged out while a request was in flight) is left alone.
function endSession(reason) {
  if (!getToken()) {
    return;
  }
  clearSession();
  clearCopies();
  emit("logout", { reason });
}

// One refresh at a time: the service revokes the old refresh token, so a second concurrent refresh
// with it would fail and log the trader out.
let refreshing = null;

function refreshToken(staleAccessToken) {
  if (!refreshing) {
    refreshing = (async () => {
      const current = getToken();
      if (!current) {
        return false;
      }
      if (current.access_token !== staleAccessToken) {
        return true; // Another tab has refreshed it already.
      }
      const reply = await send("POST", absoluteUrl("/login/refresh"), { body: { refresh_token: current.refresh_token } });
      // The reply is always 200; a failed refresh has an empty `original`.
      const original = reply.body && reply.body.original;
      if (reply.ok && original && original.access_token) {
        setToken(original);
        return true;
      }
      return false;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function isTokenError(reply) {
  return reply.status === 401 && reply.body && TOKEN_ERRORS.includes(reply.body.error);
}

// Send the notes of earlier server errors, one batch at a time. A refusal the service would repeat
// (a 4xx other than a login problem or the rate limit) drops them. Any other failure keeps them and
// waits ten minutes before the next try, so a broken log never uses up the trader's request budget.
const NOTES_RETRY_MS = 10 * 60 * 1000;
let sendingNotes = null;

function sendNotes() {
  const notes = pendingNotes();
  // After logging out there is no token to send them with: they wait for the next login.
  if (sendingNotes || !getToken() || !mayTrySending(NOTES_RETRY_MS) || Object.keys(notes).length === 0) {
    return;
  }
  sendingNotes = request("PUT", LOG_PATH, { body: notes, background: true })
    .then((reply) => forgetNotes(Array.isArray(reply.body) ? reply.body : Object.keys(notes)))
    .catch((error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 403, 429].includes(error.status)) {
        forgetAllNotes();
      } else {
        postponeSending(NOTES_RETRY_MS);
      }
    })
    .finally(() => {
      sendingNotes = null;
    });
}

// Send a request; resolves with {status, ok, body, headers} for any 2xx, and rejects with
// ApiError (other statuses) or NetworkError (no reply). Server errors are noted for the service's
// client log, and the notes go with the next authenticated request that succeeds.
export async function request(method, path, options = {}) {
  const reply = await attempt(method, path, options).catch((error) => {
    if (error instanceof ApiError && error.status >= 500 && path !== LOG_PATH) {
      noteFailure(method, absoluteUrl(path), error.status).catch(() => {});
    }
    throw error;
  });
  if (options.auth !== false && path !== LOG_PATH) {
    sendNotes();
  }
  return reply;
}

// `background` requests (the client log) never end the session on a 403: only the trader's own
// calls decide that the trader may no longer use the app.
async function attempt(method, path, { body, auth = true, timeout, background = false } = {}) {
  const url = absoluteUrl(path);
  if (!auth) {
    const reply = await send(method, url, { body, timeout });
    if (!reply.ok) {
      throw new ApiError(reply.status, reply.body);
    }
    return reply;
  }

  const token = getToken();
  if (!token) {
    throw new ApiError(401, { error: "Unauthenticated." });
  }
  let reply = await send(method, url, { body, accessToken: token.access_token, timeout });
  if (isTokenError(reply)) {
    if (!(await refreshToken(token.access_token))) {
      endSession("timeout");
      throw new ApiError(reply.status, reply.body);
    }
    reply = await send(method, url, { body, accessToken: getToken().access_token, timeout });
    if (isTokenError(reply)) {
      endSession("timeout");
      throw new ApiError(reply.status, reply.body);
    }
  }
  if (reply.status === 403 && !background) {
    endSession("forced");
    throw new ApiError(reply.status, reply.body);
  }
  if (!reply.ok) {
    throw new ApiError(reply.status, reply.body);
  }
  return reply;
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, body, options) => request("POST", path, { ...options, body });

// Parse the history's `Links` header: `<url>; rel="name"` entries, where an empty `<>` means
// there is no such page. Returns {name: {url, page}} with url "" and page null for empty entries.
export function parseLinks(header) {
  const links = {};
  for (const match of (header || "").matchAll(/<([^>]*)>\s*;\s*rel="([^"]+)"/g)) {
    const [, url, name] = match;
    let page = null;
    if (url) {
      const number = Number(new URL(url).searchParams.get("page") || "1");
      page = Number.isInteger(number) && number > 0 ? number : 1;
    }
    links[name] = { url, page };
  }
  return links;
}

// The message to show for a failed call that the caller has no special text for.
export function describeFailure(error) {
  if (error instanceof NetworkError) {
    return "There is no signal just now. Please try again when you have a connection.";
  }
  return "Something unusual happened. Please try again in a few minutes.";
}
