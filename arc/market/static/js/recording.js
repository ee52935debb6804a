// Record one code and tell the trader what happened to it, for the type and scan screens.

import { recordCode } from "./queue.js";
import * as store from "./store.js";
import { h } from "./ui.js";

// Returns [kind, text] for a code as `recordCode` left it.
function describe(entry) {
  if (entry.duplicateOnPhone) {
    return ["warning", "is already on this phone, waiting to be sent. You do not need to add it again."];
  }
  if (entry.state === store.DONE) {
    return [entry.outcome.kind, entry.outcome.text];
  }
  if (entry.state === store.WAITING && !navigator.onLine) {
    return ["info", "is saved on this phone. There is no signal, so it will be sent when the signal returns."];
  }
  if (entry.state === store.WAITING) {
    return ["info", "could not be sent just now. It is saved on this phone and will be sent again shortly."];
  }
  // A round of sending took the code into a queued job before this call could send it alone.
  return ["info", "is being sent with other codes."];
}

// Record `code` for the trader and show the outcome in `messages` (a ui.messageBox).
// Resolves with the message kind, so callers can give other feedback (such as a vibration).
export async function recordAndReport(traderId, code, messages) {
  messages.show("info", h("strong", {}, code), " is being sent…");
  let entry;
  try {
    entry = await recordCode(traderId, code);
  } catch (error) {
    console.error("Storing a code failed.", error);
    messages.show("error", h("strong", {}, code), " could not be saved on this phone. Please try again.");
    return "error";
  }
  const [kind, text] = describe(entry);
  messages.show(kind, h("strong", {}, entry.code), " ", text);
  return kind;
}
