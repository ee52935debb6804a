// The list of codes recorded on this phone, each with its outcome, and what is still waiting.

import { on } from "./events.js";
import { countsFor, sendNow } from "./queue.js";
import * as store from "./store.js";
import { h, plural } from "./ui.js";

const STATE_TEXT = {
  [store.WAITING]: "Waiting to be sent",
  [store.SENDING]: "Sending…",
  [store.ACCEPTED]: "Sent, waiting for the reply",
};

const KIND_LABEL = { success: "Done", warning: "Check", error: "Problem", info: "Sent" };

// Returns a sentence about codes not yet recorded by the service, or "" when there are none.
export function waitingSentence({ waiting, inJobs }) {
  const parts = [];
  if (waiting > 0) {
    parts.push(`${plural(waiting, "code", "codes")} waiting to be sent.`);
  }
  if (inJobs > 0) {
    parts.push(`${plural(inJobs, "code", "codes")} sent, waiting for the reply.`);
  }
  return parts.join(" ");
}

function row(entry) {
  const kind = entry.state === store.DONE ? (entry.outcome && entry.outcome.kind) || "info" : "pending";
  const text = entry.state === store.DONE ? (entry.outcome && entry.outcome.text) || "" : STATE_TEXT[entry.state];
  return h(
    "li",
    { class: `queue-item queue-${kind}`, "data-code": entry.code, "data-state": entry.state },
    h("span", { class: "queue-code" }, entry.code),
    h(
      "span",
      { class: "queue-outcome" },
      kind === "pending" ? null : h("span", { class: "queue-label" }, `${KIND_LABEL[kind] || ""}: `),
      text,
    ),
  );
}

// Build the panel for a trader; returns {element, stop} where stop() ends its updates.
export function queuePanel(traderId) {
  const status = h("p", { class: "queue-status", id: "queue-status" });
  const sendButton = h("button", { type: "button", class: "button button-secondary", hidden: true }, "Send now");
  const list = h("ol", { class: "queue-list", id: "queue-list", "aria-label": "Codes recorded on this phone, newest first" });
  const empty = h("p", { class: "hint" }, "Codes you record appear here with the reply for each one.");
  const element = h(
    "section",
    { class: "queue", "aria-labelledby": "queue-heading" },
    h("h2", { id: "queue-heading" }, "Recorded on this phone"),
    status,
    sendButton,
    empty,
    list,
  );

  async function refresh() {
    const counts = await countsFor(traderId);
    status.textContent = waitingSentence(counts);
    status.hidden = status.textContent === "";
    sendButton.hidden = counts.waiting === 0 || !navigator.onLine;
    const entries = [...counts.codes].reverse();
    list.replaceChildren(...entries.map(row));
    empty.hidden = entries.length > 0;
  }

  sendButton.addEventListener("click", async () => {
    sendButton.disabled = true;
    try {
      await sendNow();
    } finally {
      sendButton.disabled = false;
      refresh();
    }
  });

  const stops = [on("queue", refresh), on("connection", refresh)];
  const onlineChange = () => refresh();
  window.addEventListener("online", onlineChange);
  window.addEventListener("offline", onlineChange);
  refresh();
  return {
    element,
    stop() {
      stops.forEach((stop) => stop());
      window.removeEventListener("online", onlineChange);
      window.removeEventListener("offline", onlineChange);
    },
  };
}
