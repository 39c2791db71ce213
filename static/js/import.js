// Import page: shows how much of a large file has been sent, then that it is being checked.
// Without this script the form posts as usual and the browser shows its own progress.
"use strict";

function showImportAnswer(request) {
  const answered = request.responseURL ? new URL(request.responseURL) : null;
  // Sent elsewhere (to sign in again, say): go there as a normal form post would have.
  if (answered && answered.pathname !== window.location.pathname) {
    window.location.assign(answered.href);
    return;
  }
  // The import page again: with a success message, or with the report of problems.
  const answer = new DOMParser().parseFromString(request.responseText, "text/html");
  const main = answer.querySelector("main");
  if (!main) {
    window.location.reload();
    return;
  }
  document.querySelector("main").replaceWith(main);
  document.title = answer.title;
  enhanceImportForm();
  (document.getElementById("import-problems") || main).focus();
}

function enhanceImportForm() {
  const form = document.querySelector("[data-import-form]");
  if (!form || !window.FormData || !window.DOMParser) return;
  const box = form.querySelector("[data-import-progress]");
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-import-status]");
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener("submit", (event) => {
    const file = form.querySelector('input[type="file"]');
    if (!file || !file.files.length) return; // the page itself says a file is needed
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      bar.value = Math.round((progress.loaded / progress.total) * 100);
      status.textContent = `${bar.value}% sent`;
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // an indeterminate bar while the server checks every row
      status.textContent = "Sent. Checking every row before anything is saved…";
    });
    request.addEventListener("load", () => showImportAnswer(request));
    request.addEventListener("error", () => {
      status.textContent = "The file could not be sent. Check your connection and try again.";
      button.disabled = false;
    });
    box.hidden = false;
    bar.value = 0;
    button.disabled = true;
    status.textContent = "Sending…";
    request.send(new FormData(form));
  });
}

document.addEventListener("DOMContentLoaded", enhanceImportForm);
