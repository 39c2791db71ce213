// The error summary at the top of a form that failed (templates/includes/error_summary.html):
// focus it, so it is the first thing read out, and make each of its links move focus to the
// field in error with the field's label or question in view.
"use strict";

function focusOnField(field) {
  const closed = field.closest("details:not([open])");
  if (closed) closed.open = true;
  const fieldset = field.closest("fieldset");
  const heading = (fieldset && fieldset.querySelector("legend")) || (field.labels && field.labels[0]);
  (heading || field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}

function enhanceErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#"]');
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    focusOnField(field);
  });
  summary.focus();
}

document.addEventListener("DOMContentLoaded", enhanceErrorSummary);
