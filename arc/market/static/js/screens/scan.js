// Scan a voucher's barcode with the camera, or with a handheld scanner that types into a box.

import { looksLikeCode, normaliseCode } from "../codes.js";
import { queuePanel } from "../queue-panel.js";
import { recordAndReport } from "../recording.js";
import { cameraScanningAvailable, startScanner } from "../scanner.js";
import { canType } from "../session.js";
import { h, messageBox } from "../ui.js";

export const title = "Scan a voucher";

// Handheld scanners type a whole code in well under this time. In areas where typing is turned
// off, slower input in the scanner box is taken as typing by hand and cleared.
const SCANNER_INPUT_MS = 400;

function cameraSection(onCode, messages) {
  const video = h("video", { class: "camera", muted: true, playsinline: true, "aria-hidden": "true", hidden: true });
  const button = h("button", { type: "button", class: "button button-primary", id: "camera-button", "aria-pressed": "false" }, "Start camera");
  const status = h("p", { class: "hint", id: "camera-status" }, "Point the camera at the barcode on the voucher. Each voucher is recorded once.");
  let stop = null;

  async function toggle() {
    if (stop) {
      stop();
      stop = null;
      video.hidden = true;
      button.textContent = "Start camera";
      button.setAttribute("aria-pressed", "false");
      return;
    }
    button.disabled = true;
    try {
      stop = await startScanner(video, onCode);
      video.hidden = false;
      button.textContent = "Stop camera";
      button.setAttribute("aria-pressed", "true");
    } catch (error) {
      console.warn("The camera could not be started.", error);
      messages.show("error", "The camera could not be started. Check that this app may use the camera in your phone's settings.");
    } finally {
      button.disabled = false;
    }
  }
  button.addEventListener("click", toggle);

  return {
    element: h("section", { class: "camera-section", "aria-labelledby": "camera-heading" }, h("h2", { id: "camera-heading" }, "Camera"), status, button, video),
    stop() {
      if (stop) {
        stop();
      }
    },
  };
}

function scannerForm(trader, onCode, messages) {
  const input = h("input", {
    id: "scanner-input",
    name: "scanner",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    enterkeyhint: "send",
    "aria-describedby": "scanner-hint",
  });
  const typingAllowed = canType(trader);
  const hint = typingAllowed
    ? "With a handheld barcode scanner, tap this box and scan."
    : "With a handheld barcode scanner, tap this box and scan. Typing codes by hand is turned off for your area.";
  let firstInputAt = null;
  input.addEventListener("input", () => {
    if (input.value === "") {
      firstInputAt = null;
    } else if (firstInputAt === null) {
      firstInputAt = Date.now();
    }
  });
  const form = h(
    "form",
    { class: "scanner-form", novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { for: "scanner-input" }, "Scanner box"),
      h("p", { class: "hint", id: "scanner-hint" }, hint),
      input,
    ),
    h("button", { type: "submit", class: "button button-secondary" }, "Add scanned code"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const slow = firstInputAt !== null && Date.now() - firstInputAt > SCANNER_INPUT_MS;
    const code = input.value;
    input.value = "";
    firstInputAt = null;
    if (!typingAllowed && slow) {
      messages.show("error", "That looked like typing. In your area, codes must be scanned.");
      return;
    }
    if (code.trim()) {
      onCode(code);
    }
    input.focus();
  });
  return form;
}

export function show(main, { trader }) {
  const messages = messageBox("scan-message");
  const typingAllowed = canType(trader);

  async function onCode(text) {
    const code = normaliseCode(text);
    if (!looksLikeCode(code)) {
      messages.show("error", "That barcode is not a voucher code. Scan the barcode printed on the voucher.");
      return;
    }
    const kind = await recordAndReport(trader.id, code, messages);
    if (navigator.vibrate) {
      // One short buzz for a good code, three for anything to check.
      navigator.vibrate(kind === "success" ? 80 : [80, 60, 80, 60, 80]);
    }
  }

  main.append(h("h1", {}, "Scan a voucher"), messages.element);
  let camera = null;
  if (cameraScanningAvailable()) {
    camera = cameraSection(onCode, messages);
    main.append(camera.element);
  } else {
    main.append(h(
      "div",
      { class: "notice", id: "no-camera" },
      h("p", {}, "This phone's browser cannot read barcodes with the camera."),
      typingAllowed
        ? h("p", {}, h("a", { href: "/", "data-link": true, class: "button button-primary" }, "Type the code instead"))
        : h("p", {}, "Use a handheld barcode scanner with the box below, or open this app in Chrome on an Android phone."),
    ));
  }
  main.append(scannerForm(trader, onCode, messages));
  if (typingAllowed && camera) {
    main.append(h("p", { class: "alternative" }, h("a", { href: "/", "data-link": true }, "Type a code instead")));
  }
  const panel = queuePanel(trader.id);
  main.append(panel.element);

  return {
    stop() {
      panel.stop();
      if (camera) {
        camera.stop();
      }
    },
  };
}
