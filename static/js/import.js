// Import page: says at once when a file is over the size limit, shows how much of a file has
// been sent and then that it is being checked, and follows a background import's progress.
// Without this script the form posts as usual, the browser shows its own progress, and the
// background import's page has a Refresh link.
"use strict";

const JOB_POLL_MS = 2000;

function showImportAnswer(request, importPath) {
  const answered = request.responseURL ? new URL(request.responseURL) : null;
  // Sent elsewhere (to sign in again, or to a background import's page): go there as a normal
  // form post would have.
  if (answered && answered.pathname !== importPath) {
    window.location.assign(answered.href);
    return;
  }
  if (window.location.pathname !== importPath) {
    window.history.replaceState(null, "", importPath); // posted from a background import's page
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
  followImportJob();
  (document.getElementById("import-problems") || main).focus();
}

function tooLargeMessage(size, limit) {
  const megabytes = (bytes) => bytes / (1024 * 1024);
  return (
    `This file is ${(Math.ceil(megabytes(size) * 10) / 10).toFixed(1)} MB, and Hearth imports ` +
    `files of up to ${Math.floor(megabytes(limit))} MB. Split it into smaller files, for ` +
    "example a year in each."
  );
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
    // Another app's export (Apple Health's .zip or .xml) may be larger: a background job
    // reads it.
    const large = /\.(zip|xml)$/i.test(file.files[0].name);
    const limit = Number(large ? form.dataset.largeMaxBytes : form.dataset.maxBytes);
    if (limit && file.files[0].size > limit) {
      // The server would stop the upload at the limit; say so without sending it.
      box.hidden = false;
      bar.value = 0;
      status.textContent = tooLargeMessage(file.files[0].size, limit);
      return;
    }
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
    request.addEventListener("load", () =>
      showImportAnswer(request, new URL(form.action, window.location.href).pathname),
    );
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

// A background import: shows how many days have been checked, then the job's page with the
// outcome.
function followImportJob() {
  const panel = document.querySelector("[data-import-job]");
  if (!panel || !window.fetch) return;
  const bar = panel.querySelector("progress");
  const status = panel.querySelector("[data-import-job-status]");
  const poll = () => {
    if (!panel.isConnected) return; // the page was replaced by the answer to a new import
    fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((response) => {
        // Away too long (401): loading the page again asks for the password.
        if (response.status === 401) window.location.reload();
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then((job) => {
        if (job.finished || job.ready) {
          // The job's page shows how it ended, or sends on to the preview of a file read.
          window.location.assign(panel.dataset.jobUrl);
          return;
        }
        if (job.progress) {
          // A large file being read
          bar.max = job.progress[1];
          bar.value = job.progress[0];
          status.textContent = job.progress_text;
        } else {
          bar.max = job.days_total;
          bar.value = job.days_checked;
          status.textContent =
            `${job.state_label}: ${job.days_checked} of ${job.days_total} days checked.`;
        }
        window.setTimeout(poll, JOB_POLL_MS);
      })
      .catch(() => window.setTimeout(poll, JOB_POLL_MS * 5));
  };
  window.setTimeout(poll, JOB_POLL_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceImportForm();
  followImportJob();
});
