// Ask for a password-reset link by e-mail.

import { ApiError, describeFailure, post } from "../api.js";
import { field, h, messageBox } from "../ui.js";

export const title = "Forgotten password";

// A light check only, because the service validates the address and returns what is wrong.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function show(main) {
  const messages = messageBox("lost-password-message");
  const email = field({
    id: "email",
    label: "E-mail address",
    hint: "We will send a link to this address. Open it on this phone to choose a new password.",
    type: "email",
    autocomplete: "username",
    required: true,
    spellcheck: "false",
    autocapitalize: "none",
  });
  const submit = h("button", { type: "submit", class: "button button-primary" }, "Send me a reset link");
  const form = h("form", { novalidate: true }, email.element, submit);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const address = email.input.value.trim();
    if (!EMAIL_PATTERN.test(address)) {
      messages.show("error", "Enter a valid e-mail address, like name@example.com.");
      email.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      const reply = await post("/user/lost_password", { email: address }, { auth: false });
      messages.show("success", reply.body.status);
    } catch (error) {
      const text = error instanceof ApiError && error.body && typeof error.body.email === "string" ? error.body.email : describeFailure(error);
      messages.show("error", text);
    } finally {
      submit.disabled = false;
    }
  });

  main.append(
    h("h1", {}, "Forgotten your password?"),
    messages.element,
    form,
    h("p", {}, h("a", { href: "/login", "data-link": true }, "Back to log in")),
  );
}
