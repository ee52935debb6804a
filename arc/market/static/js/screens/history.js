// Payment history: the vouchers sent for payment, grouped by the day of the request, 15 days a
// page, with buttons to e-mail the records.

import { ApiError, describeFailure, get, NetworkError, parseLinks, post } from "../api.js";
import { loadCopy, saveCopy } from "../session.js";
import { h, messageBox, plural, pounds, readableDate, shortDate } from "../ui.js";

export const title = "Payment history";

const EMAIL_FAILED = "Something went wrong and the e-mail was not sent. Please try again later.";

async function loadPage(traderId, page) {
  try {
    const reply = await get(`/traders/${traderId}/voucher-history?page=${page}`);
    const days = Array.isArray(reply.body) ? reply.body : [];
    const loaded = { days, links: parseLinks(reply.headers.get("Links")) };
    if (page === 1) {
      saveCopy("history", traderId, loaded);
    }
    return { ...loaded, fromCopy: false };
  } catch (error) {
    const copy = page === 1 ? loadCopy("history", traderId) : null;
    if (error instanceof NetworkError && copy) {
      return { ...copy.value, fromCopy: true };
    }
    throw error;
  }
}

function dayCard(day, index, sendEmail) {
  const count = day.vouchers.length;
  const headingId = `day-${index}`;
  const rows = day.vouchers.map((voucher) => h(
    "tr",
    {},
    h("th", { scope: "row" }, voucher.code),
    h("td", {}, shortDate(voucher.recorded_on)),
  ));
  const emailButton = h("button", { type: "button", class: "button button-secondary button-small" }, "E-mail me this day's records");
  // The reply shows beside this button, which may be far down the page.
  const messages = messageBox(`day-${index}-message`);
  emailButton.addEventListener("click", () => sendEmail(day.pended_on, emailButton, messages));
  return h(
    "section",
    { class: "day", "aria-labelledby": headingId },
    h("h2", { id: headingId }, readableDate(day.pended_on)),
    h("p", { class: "day-total" }, `${plural(count, "voucher", "vouchers")}, ${pounds(count)}`),
    h(
      "details",
      {},
      h("summary", {}, "Show the voucher codes"),
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden" }, `Vouchers sent for payment on ${readableDate(day.pended_on)}`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Code"), h("th", { scope: "col" }, "Added on"))),
        h("tbody", {}, rows),
      ),
    ),
    emailButton,
    messages.element,
  );
}

function pager(links, onPage) {
  const current = links.current && links.current.page;
  const first = links.first && links.first.page;
  const last = links.last && links.last.page;
  if (!current || first === last) {
    return null;
  }
  // An empty `<>` link means there is no previous or next page.
  const button = (label, link, disabled) => {
    const element = h("button", { type: "button", class: "button button-secondary button-small", disabled: disabled || !link || !link.url }, label);
    element.addEventListener("click", () => onPage(link.page));
    return element;
  };
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages of payment history" },
    button("First", links.first, current === first),
    button("Previous", links.prev, false),
    h("span", { class: "pager-position" }, `Page ${current} of ${last}`),
    button("Next", links.next, false),
    button("Last", links.last, current === last),
  );
}

export function show(main, { trader }) {
  const messages = messageBox("history-message");
  const content = h("div", { id: "history-content" }, h("p", {}, "Loading your payment history…"));
  const emailAll = h("button", { type: "button", class: "button button-secondary", id: "email-all" }, "E-mail me all my records");
  let active = true;

  async function sendEmail(submissionDate, button, messageArea = messages) {
    button.disabled = true;
    try {
      const reply = await post(`/traders/${trader.id}/voucher-history-email`, { submission_date: submissionDate });
      if (reply.status === 200 && reply.body && reply.body.message) {
        messageArea.show("success", reply.body.message);
      } else {
        messageArea.show("error", EMAIL_FAILED);
      }
    } catch (error) {
      messageArea.show("error", error instanceof ApiError ? EMAIL_FAILED : describeFailure(error));
    } finally {
      button.disabled = false;
    }
  }

  async function showPage(page, moveFocus) {
    let result;
    try {
      result = await loadPage(trader.id, page);
    } catch (error) {
      if (active) {
        content.replaceChildren(h("p", {}, describeFailure(error)));
      }
      return;
    }
    if (!active) {
      return;
    }
    const { days, links, fromCopy } = result;
    if (days.length === 0) {
      content.replaceChildren(h("p", {}, "You have not requested payment in the last 90 days. Requests you make will be listed here."));
      return;
    }
    const parts = [
      fromCopy ? h("p", { class: "notice" }, "There is no signal, so this is the history from when you last had one.") : null,
      ...days.map((day, index) => dayCard(day, index, sendEmail)),
      pager(links, (number) => showPage(number, true)),
    ];
    content.replaceChildren(...parts.filter(Boolean));
    if (moveFocus) {
      const heading = content.querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  main.append(
    h("h1", {}, "Payment history"),
    h("p", {}, "Your payment requests from the last 90 days, newest first. Each voucher is worth £1."),
    messages.element,
    emailAll,
    content,
  );
  emailAll.addEventListener("click", () => sendEmail(null, emailAll));
  showPage(1, false);
  return {
    stop() {
      active = false;
    },
  };
}
