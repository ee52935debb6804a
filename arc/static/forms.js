// Stop a second click from sending a form again while the first submission is on its way, so a
// double click cannot, for example, register the same family twice. Forms still work without it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  // A form that opens its result in a new tab leaves this page as it was, ready to be used again.
  if (form.target === "_blank") {
    return;
  }
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  // Let the browser send the button's own name and value first, then disable the buttons.
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  }, 0);
});

// A page shown again from the browser's history must accept its forms again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submitted]").forEach((form) => {
    delete form.dataset.submitted;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = false;
    });
  });
});
