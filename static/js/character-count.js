// A live count under each text box marked data-character-count. Without JavaScript the box's
// maxlength stops typing at the limit. With it, the limit is lifted, so text pasted in is never
// cut short without a word: the count says how many characters are left, or how many too many,
// and the server refuses text over the limit with a message that names it.
"use strict";

// Screen readers hear the count once typing pauses, not after every key.
const ANNOUNCE_AFTER_MS = 1000;

function characters(amount) {
  return `${amount.toLocaleString("en-GB")} character${amount === 1 ? "" : "s"}`;
}

function countCharacters(control) {
  const limit = Number(control.getAttribute("maxlength"));
  if (!limit) return;
  control.removeAttribute("maxlength");

  const count = document.createElement("div");
  count.className = "field__count";
  count.setAttribute("aria-hidden", "true");
  count.dataset.characterCountFor = control.id;
  const announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  control.after(count, announcer);

  let timer;
  const update = (announce) => {
    // The server counts without spaces at either end, as the browser sends a line break once.
    const left = limit - control.value.trim().length;
    count.textContent =
      left >= 0
        ? `${characters(left)} left of ${limit.toLocaleString("en-GB")}`
        : `${characters(-left)} too many: the limit is ${limit.toLocaleString("en-GB")}`;
    count.classList.toggle("field__count--over", left < 0);
    clearTimeout(timer);
    if (announce) {
      timer = setTimeout(() => {
        announcer.textContent = count.textContent;
      }, ANNOUNCE_AFTER_MS);
    }
  };
  control.addEventListener("input", () => update(true));
  update(false);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-character-count]").forEach(countCharacters);
});
