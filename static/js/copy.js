// A Copy button for a secret shown once (a new API token). Without this script the read-only
// field is focused and can be selected and copied by hand, which is also the fallback when the
// browser refuses the clipboard.
"use strict";

function addCopyButton(field) {
  const actions = document.createElement("div");
  actions.className = "actions";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Copy token";
  const status = document.createElement("p");
  status.className = "field__help";
  status.setAttribute("role", "status");
  actions.append(button, status);
  field.closest(".field").after(actions);

  const selectAll = () => field.setSelectionRange(0, field.value.length);
  field.addEventListener("focus", selectAll);
  if (document.activeElement === field) selectAll();

  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied. Paste it where it is needed.";
    } catch {
      field.focus();
      status.textContent =
        "Your browser did not allow copying. The token is selected: copy it with your " +
        "keyboard or your browser’s menu.";
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy-field]").forEach(addCopyButton);
});
