// Small enhancements only: every page works without this file.
"use strict";

// Sign-up: pre-select the time zone the browser reports, if Hearth knows it.
function preselectTimeZone() {
  const select = document.querySelector("select[data-browser-time-zone]");
  if (!select || !window.Intl) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && Array.from(select.options).some((option) => option.value === zone)) {
    select.value = zone;
  }
}

// Log form: intensity, satisfaction and discomfort only apply when there was sexual activity,
// so hide them (and reset them to Skip) otherwise.
function linkActivityDetails() {
  const details = document.querySelector("[data-activity-details]");
  if (!details) return;
  const activityInputs = document.querySelectorAll('input[name="sexual_activity"]');
  const update = () => {
    const checked = document.querySelector('input[name="sexual_activity"]:checked');
    const active = checked && ["solo", "partnered", "both"].includes(checked.value);
    const hasErrors = details.querySelector(".field--invalid");
    details.hidden = !active && !hasErrors;
    if (details.hidden) {
      details.querySelectorAll('input[type="radio"][value=""]').forEach((skip) => {
        skip.checked = true;
      });
    }
  };
  activityInputs.forEach((input) => input.addEventListener("change", update));
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  preselectTimeZone();
  linkActivityDetails();
});
