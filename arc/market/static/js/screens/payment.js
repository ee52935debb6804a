// The vouchers recorded for this trader and not yet sent for payment; remove one, or request
// payment for all of them.

import { ApiError, describeFailure, NetworkError, post } from "../api.js";
import { emit, on } from "../events.js";
import { countsFor, PAYMENT_ACCEPTED, runJob, sendNow } from "../queue.js";
import { waitingSentence } from "../queue-panel.js";
import { loadRecorded } from "../recorded.js";
import { h, messageBox, plural, pounds, shortDate } from "../ui.js";

export const title = "Request payment";

const DEFAULT_PAYMENT_MESSAGE = "Your payment request has been sent. Please give your paper vouchers to your market representative.";
const REMOVED = "has been removed from your list.";
const NOT_REMOVED = "cannot be removed just now. Please try again later.";

export function show(main, { trader }) {
  const messages = messageBox("payment-message");
  const summary = h("p", { class: "summary", id: "payment-summary" }, "Loading your vouchers…");
  const phoneNote = h("p", { class: "notice", id: "payment-phone-note", hidden: true });
  const requestButton = h("button", { type: "button", class: "button button-primary", id: "request-payment", hidden: true }, "Request payment");
  const confirmPanel = h("div", { class: "confirm", id: "confirm-payment", hidden: true });
  const list = h("ul", { class: "voucher-list", id: "voucher-list", "aria-labelledby": "list-heading" });
  const listHeading = h("h2", { id: "list-heading", hidden: true }, "Vouchers waiting for payment");
  let vouchers = [];
  let active = true;

  function render(fromCopy) {
    const count = vouchers.length;
    summary.textContent = count === 0
      ? "You have no vouchers waiting for payment. Record vouchers first, then request payment here."
      : `You have ${plural(count, "voucher", "vouchers")} waiting for payment, worth ${pounds(count)}.`;
    if (fromCopy) {
      summary.append(" ", h("span", { class: "hint" }, "This list is from when you last had a signal."));
    }
    requestButton.hidden = count === 0;
    listHeading.hidden = count === 0;
    list.replaceChildren(...vouchers.map(voucherRow));
  }

  function voucherRow(voucher) {
    const remove = h("button", { type: "button", class: "button button-small button-secondary", "aria-label": `Remove ${voucher.code}` }, "Remove");
    const item = h(
      "li",
      { class: "voucher", "data-code": voucher.code },
      h("span", { class: "voucher-code" }, voucher.code),
      h("span", { class: "voucher-date" }, `Added ${shortDate(voucher.updated_at)}`),
      remove,
    );
    remove.addEventListener("click", () => confirmRemove(item, voucher, remove));
    return item;
  }

  // Removing takes two taps, so that a slip of the thumb cannot remove a voucher.
  function confirmRemove(item, voucher, removeButton) {
    const yes = h("button", { type: "button", class: "button button-small button-danger" }, `Yes, remove ${voucher.code}`);
    const no = h("button", { type: "button", class: "button button-small button-secondary" }, "Keep it");
    const question = h("div", { class: "confirm-inline" }, yes, no);
    removeButton.hidden = true;
    item.append(question);
    yes.focus();
    no.addEventListener("click", () => {
      question.remove();
      removeButton.hidden = false;
      removeButton.focus();
    });
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        await post("/vouchers", { trader_id: trader.id, transition: "reject", vouchers: [voucher.code] });
        vouchers = vouchers.filter((other) => other.code !== voucher.code);
        render(false);
        messages.show("success", h("strong", {}, voucher.code), ` ${REMOVED}`);
        emit("recorded", { traderId: trader.id });
      } catch (error) {
        messages.show("error", h("strong", {}, voucher.code), ` ${error instanceof NetworkError ? "cannot be removed without a signal." : NOT_REMOVED}`);
        question.remove();
        removeButton.hidden = false;
      }
    });
  }

  function showPaymentDone(reply) {
    main.replaceChildren(
      h("h1", { tabindex: "-1", id: "payment-done" }, "Payment requested"),
      h(
        "div",
        { class: "message message-success payment-done", role: "status" },
        h("p", {}, (trader.market && trader.market.payment_message) || DEFAULT_PAYMENT_MESSAGE),
        reply && reply.message && reply.message !== PAYMENT_ACCEPTED ? h("p", {}, reply.message) : null,
      ),
      h("p", {}, h("a", { href: "/history", "data-link": true, class: "button button-primary" }, "See your payment history")),
      h("p", {}, h("a", { href: "/", "data-link": true }, "Record more vouchers")),
    );
    main.querySelector("h1").focus();
  }

  async function requestPayment(yes) {
    yes.disabled = true;
    messages.show("info", "Requesting payment…");
    try {
      // Send any codes still on the phone first, so they are part of this request.
      await sendNow();
      const { items } = await loadRecorded(trader.id);
      if (items.length === 0) {
        messages.show("warning", "There are no vouchers to request payment for.");
        return;
      }
      const reply = await runJob(trader.id, "confirm", items.map((voucher) => voucher.code));
      emit("recorded", { traderId: trader.id });
      if (reply && reply.message === PAYMENT_ACCEPTED) {
        showPaymentDone(reply);
        return;
      }
      // Nothing was confirmed: show the service's reason.
      const text = (reply && (reply.error || reply.warning || reply.message)) || "The payment request did not go through. Please try again later.";
      messages.show(reply && reply.error ? "error" : "warning", text);
      await refresh();
    } catch (error) {
      const text = error instanceof NetworkError
        ? "Requesting payment needs a signal. Please try again when you have a connection."
        : error instanceof ApiError ? "There was a problem with your payment request. Please try again later." : error.message;
      messages.show("error", text);
    } finally {
      confirmPanel.hidden = true;
      requestButton.hidden = vouchers.length === 0;
    }
  }

  requestButton.addEventListener("click", () => {
    const count = vouchers.length;
    const yes = h("button", { type: "button", class: "button button-primary", id: "confirm-payment-yes" }, "Yes, request payment");
    const no = h("button", { type: "button", class: "button button-secondary" }, "Cancel");
    confirmPanel.replaceChildren(
      h("p", {}, `Ask to be paid ${pounds(count)} for ${plural(count, "voucher", "vouchers")}?`),
      h("div", { class: "button-row" }, yes, no),
    );
    confirmPanel.hidden = false;
    requestButton.hidden = true;
    yes.focus();
    yes.addEventListener("click", () => requestPayment(yes));
    no.addEventListener("click", () => {
      confirmPanel.hidden = true;
      requestButton.hidden = false;
      requestButton.focus();
    });
  });

  async function refresh() {
    const counts = await countsFor(trader.id);
    const waiting = waitingSentence(counts);
    phoneNote.textContent = waiting ? `${waiting} They will be added to this list once the service has them.` : "";
    phoneNote.hidden = !waiting;
    try {
      const { items, fromCopy } = await loadRecorded(trader.id);
      if (!active) {
        return;
      }
      vouchers = items;
      render(fromCopy);
    } catch (error) {
      if (active) {
        summary.textContent = describeFailure(error);
      }
    }
  }

  main.append(
    h("h1", {}, "Request payment"),
    messages.element,
    summary,
    phoneNote,
    requestButton,
    confirmPanel,
    listHeading,
    list,
  );
  refresh();
  // Codes sent from the phone meanwhile join the list.
  const stops = [on("recorded", ({ traderId }) => traderId === trader.id && refresh())];
  return {
    stop() {
      active = false;
      stops.forEach((stop) => stop());
    },
  };
}
