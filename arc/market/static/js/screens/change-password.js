// Choose a new password, from the link in the password-reset e-mail:
// /change-password?email=...&token=...

import { ApiError, describeFailure, post } from "../api.js";
import { field, h, messageBox } from "../ui.js";

export const title = "Choose a new password";

const MIN_LENGTH = 8;

// The service's 422 bodies carry the message to show in `email` (bad link) or `password[0]`.
function resetError(error) {
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== "object") {
    return describeFailure(error);
  }
  const { email, password, message } = error.body;
  if (typeof email === "string" && email) {
    return email;
  }
  if (Array.isArray(password) && password.length) {
    return password[0];
  }
  return message || describeFailure(error);
}

export function show(main, { navigate, query }) {
  const messages = messageBox("change-password-message");
  const email = query.get("email") || "";
  const token = query.get("token") || "";
  const password = field({
    id: "password",
    label: "New password",
    hint: `At least ${MIN_LENGTH} characters.`,
    type: "password",
    autocomplete: "new-password",
    required: true,
    minlength: MIN_LENGTH,
  });
  const confirmation = field({ id: "password-confirmation", label: "New password again", type: "password", autocomplete: "new-password", required: true });
  const submit = h("button", { type: "submit", class: "button button-primary" }, "Change password");
  const form = h(
    "form",
    { novalidate: true },
    h("input", { type: "email", name: "username", autocomplete: "username", value: email, hidden: true, readonly: true }),
    password.element,
    confirmation.element,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (password.input.value.length < MIN_LENGTH) {
      messages.show("error", `Your new password needs at least ${MIN_LENGTH} characters.`);
      password.input.focus();
      return;
    }
    if (password.input.value !== confirmation.input.value) {
      messages.show("error", "The two passwords are different. Type the same password in both boxes.");
      confirmation.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await post(
        "/user/lost_password/reset",
        { email, token, password: password.input.value, password_confirmation: confirmation.input.value },
        { auth: false },
      );
      navigate("/login", { replace: true, state: { reason: "reset" } });
    } catch (error) {
      messages.show("error", resetError(error));
      submit.disabled = false;
    }
  });

  main.append(h("h1", {}, "Choose a new password"));
  if (!email || !token) {
    main.append(
      h("p", {}, "This link is incomplete. Open the link from the password-reset e-mail again, or ask for a new one."),
      h("p", {}, h("a", { href: "/lost-password", "data-link": true, class: "button button-secondary" }, "Ask for a new link")),
    );
    return;
  }
  main.append(
    h("p", {}, "For ", h("strong", {}, email), "."),
    messages.element,
    form,
    h("p", {}, h("a", { href: "/login", "data-link": true }, "Back to log in")),
  );
}
