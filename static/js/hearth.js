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
// so hide them (and reset them to Skip) otherwise. hearth.css already hides them from the first
// layout where the browser knows :has(); this covers the others, and the reset.
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

// Log page: the strip of recent days is one tab stop (a toolbar); the arrow keys, Home and End
// move between its days (a roving tabindex). Without this file every day is its own tab stop.
function makeDayStripOneTabStop() {
  const strip = document.querySelector("[data-day-strip]");
  if (!strip) return;
  const days = Array.from(strip.querySelectorAll("a"));
  if (!days.length) return;
  const steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  const rove = (day) => {
    days.forEach((other) => other.setAttribute("tabindex", other === day ? "0" : "-1"));
  };
  rove(strip.querySelector('[aria-current="date"]') || days[days.length - 1]);
  strip.addEventListener("focusin", (event) => {
    if (days.includes(event.target)) rove(event.target);
  });
  strip.addEventListener("keydown", (event) => {
    const at = days.indexOf(document.activeElement);
    if (at < 0) return;
    let next;
    if (event.key in steps) next = Math.min(Math.max(at + steps[event.key], 0), days.length - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = days.length - 1;
    else return;
    event.preventDefault();
    rove(days[next]);
    days[next].focus();
  });
}

// Tables that reflow into cards on a phone: Safari stops treating a table as a table once CSS
// changes its display, so say it in ARIA too.
function keepReflowingTablesTables() {
  document.querySelectorAll("table.data-table--reflow").forEach((table) => {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach((group) => group.setAttribute("role", "rowgroup"));
    table.querySelectorAll("tr").forEach((row) => row.setAttribute("role", "row"));
    table.querySelectorAll('th[scope="col"]').forEach((cell) => cell.setAttribute("role", "columnheader"));
    table.querySelectorAll('th[scope="row"]').forEach((cell) => cell.setAttribute("role", "rowheader"));
    table.querySelectorAll("td").forEach((cell) => cell.setAttribute("role", "cell"));
  });
}

// The main menu (a <details>): Escape closes it and returns to its button; so does a click
// or a tap outside it.
function closeMainMenuWhenDone() {
  const menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  preselectTimeZone();
  linkActivityDetails();
  makeDayStripOneTabStop();
  keepReflowingTablesTables();
  closeMainMenuWhenDone();
});
