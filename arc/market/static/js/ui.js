// Small helpers for building screens without a framework.

// Create an element: h("button", {type: "submit", onclick: fn}, "Log in"). Attributes whose value
// is false, null or undefined are left out; `on…` attributes become event listeners.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// A message box that screen readers announce when its text changes. Errors use role="alert";
// other kinds role="status", which waits for the reader to finish speaking.
export function messageBox(id) {
  const box = h("div", { id, class: "message-box" });
  return {
    element: box,
    show(kind, ...content) {
      box.replaceChildren();
      if (!content.length || content.every((part) => part === "" || part === null)) {
        return;
      }
      const message = h("div", { class: `message message-${kind}`, role: kind === "error" ? "alert" : "status" });
      message.append(h("span", { class: "message-label" }, LABELS[kind] || ""));
      append(message, content);
      box.append(message);
    },
    clear() {
      box.replaceChildren();
    },
  };
}

// A word before each message, so its meaning does not rest on colour alone.
const LABELS = { success: "Done: ", warning: "Check: ", error: "Problem: ", info: "" };

export function field({ id, label, hint, ...attributes }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = h("input", { id, name: id, "aria-describedby": hintId, ...attributes });
  return {
    input,
    element: h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: hintId }, hint) : null,
      input,
    ),
  };
}

// Dates from the API are "DD-MM-YYYY"; traders read them as "Thursday 12 June 2025".
const LONG_DATE = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

const SHORT_DATE = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

function formatDate(text, format) {
  const match = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text || "");
  if (!match) {
    return text || "";
  }
  const [, day, month, year] = match;
  return format.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))));
}

export function readableDate(text) {
  return formatDate(text, LONG_DATE);
}

// "Thu 12 Jun 2025", for rows in lists.
export function shortDate(text) {
  return formatDate(text, SHORT_DATE);
}

export function plural(count, singular, pluralForm) {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// Each voucher is worth £1, as in the charity's payment records.
export function pounds(count) {
  return `£${count}`;
}
