// Type a voucher code: the area's letters (filled in) and the printed numbers.

import { checkTypedCode, MAX_LETTERS, MAX_NUMBERS } from "../codes.js";
import { queuePanel } from "../queue-panel.js";
import { recordAndReport } from "../recording.js";
import { shortcode } from "../session.js";
import { h, messageBox } from "../ui.js";

export const title = "Type a voucher code";

export function show(main, { trader }) {
  const messages = messageBox("record-message");
  const letters = h("input", {
    id: "voucher-letters",
    name: "letters",
    class: "input-letters",
    value: shortcode(trader),
    maxlength: MAX_LETTERS,
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    "aria-describedby": "voucher-hint",
  });
  // inputmode="numeric" brings up the number keypad, which has bigger keys than the full keyboard.
  const numbers = h("input", {
    id: "voucher-numbers",
    name: "numbers",
    class: "input-numbers",
    inputmode: "numeric",
    pattern: "[0-9]*",
    maxlength: MAX_NUMBERS,
    autocomplete: "off",
    enterkeyhint: "send",
    "aria-describedby": "voucher-hint",
  });
  const submit = h("button", { type: "submit", class: "button button-primary", id: "add-voucher" }, "Add voucher");
  const form = h(
    "form",
    { class: "code-form", novalidate: true },
    h(
      "fieldset",
      {},
      h("legend", {}, "Voucher code"),
      h("p", { class: "hint", id: "voucher-hint" }, "The letters are filled in for your area. Type the numbers printed on the voucher."),
      h(
        "div",
        { class: "code-inputs" },
        h("div", { class: "field field-letters" }, h("label", { for: "voucher-letters" }, "Letters"), letters),
        h("div", { class: "field field-numbers" }, h("label", { for: "voucher-numbers" }, "Numbers"), numbers),
      ),
    ),
    submit,
  );

  letters.addEventListener("input", () => {
    letters.value = letters.value.toUpperCase().replace(/[^A-Z]/g, "");
  });
  numbers.addEventListener("input", () => {
    numbers.value = numbers.value.replace(/\D/g, "");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typedLetters = letters.value.trim().toUpperCase();
    const typedNumbers = numbers.value.trim();
    const problem = checkTypedCode(typedLetters, typedNumbers);
    if (problem) {
      messages.show("error", problem);
      (typedLetters ? numbers : letters).focus();
      return;
    }
    // Clear the numbers at once, so the next voucher can be typed while this one is sent.
    numbers.value = "";
    numbers.focus();
    await recordAndReport(trader.id, typedLetters + typedNumbers, messages);
  });

  const panel = queuePanel(trader.id);
  // The reply goes under the button, so the boxes do not move while the trader types.
  main.append(
    h("h1", {}, "Type a voucher code"),
    form,
    messages.element,
    h("p", { class: "alternative" }, h("a", { href: "/scan", "data-link": true }, "Scan a barcode instead")),
    panel.element,
  );
  return { stop: panel.stop, focus: numbers };
}
