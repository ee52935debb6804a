// Log in with e-mail address and password.

import { ApiError, NetworkError, post } from "../api.js";
import { setToken } from "../session.js";
import { field, h, messageBox } from "../ui.js";

export const title = "Log in";

const WRONG_CREDENTIALS = "We did not recognise that e-mail address and password. Check them and try again.";
const UNUSUAL = "Something unusual happened. Please try again in a few minutes.";
const NO_SIGNAL = "Logging in needs a signal. Please try again when you have a connection.";

// Messages that other screens pass to this one (in history.state), by reason.
export const REASONS = {
  timeout: ["info", "Your session has timed out. Please log in again."],
  forced: ["warning", "The system has logged you out. Please try again later."],
  user: ["info", "You have logged out."],
  reset: ["success", "Your password has been reset. Log in with your new password."],
};

export function show(main, { navigate, query, state }) {
  const messages = messageBox("login-message");
  const email = field({ id: "email", label: "E-mail address", type: "email", autocomplete: "username", required: true, spellcheck: "false", autocapitalize: "none" });
  const password = field({ id: "password", label: "Password", type: "password", autocomplete: "current-password", required: true });
  const showPassword = h("input", { type: "checkbox", id: "show-password" });
  showPassword.addEventListener("change", () => {
    password.input.type = showPassword.checked ? "text" : "password";
  });
  const submit = h("button", { type: "submit", class: "button button-primary" }, "Log in");

  const form = h(
    "form",
    { novalidate: true, "aria-describedby": "login-message" },
    email.element,
    password.element,
    h("div", { class: "checkbox" }, showPassword, h("label", { for: "show-password" }, "Show password")),
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = email.input.value.trim();
    if (!username || !password.input.value) {
      messages.show("error", "Enter your e-mail address and your password.");
      (username ? password.input : email.input).focus();
      return;
    }
    submit.disabled = true;
    messages.show("info", "Logging in…");
    try {
      const reply = await post("/login", { username, password: password.input.value }, { auth: false });
      setToken(reply.body);
      // The trader list is fetched afresh after each login; that screen then goes on to `redirect`.
      const redirect = query.get("redirect");
      navigate(redirect ? `/traders?redirect=${encodeURIComponent(redirect)}` : "/traders", { replace: true });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
        messages.show("error", WRONG_CREDENTIALS);
      } else {
        messages.show("error", error instanceof NetworkError ? NO_SIGNAL : UNUSUAL);
      }
      submit.disabled = false;
    }
  });

  main.append(
    h("h1", {}, "Log in"),
    h("p", {}, "Record the Rose Vouchers you take and ask to be paid for them."),
    messages.element,
    form,
    h("p", {}, h("a", { href: "/lost-password", "data-link": true }, "Forgotten your password?")),
  );

  const reason = state && REASONS[state.reason];
  if (reason) {
    messages.show(...reason);
  }
}
