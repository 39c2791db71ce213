/* Hearth on a phone with a poor signal (issue #19): registers the service worker (signed-in
   pages carry <meta name="hearth-service-worker">), keeps a day saved without network in
   IndexedDB (offline-queue.js), shows how many days wait, sends them when the network is back,
   lets the person choose when a day changed elsewhere meanwhile, and empties everything on
   sign-out. Without JavaScript the log form stays a plain form. */
(function () {
  "use strict";

  const queue = window.HearthQueue;
  if (!queue || !window.indexedDB) return;

  const SAVED_OFFLINE = "Saved on this phone. It will be sent when you are back online.";
  const SIGN_OUT_FORMS = 'form[action="/accounts/logout/"]';
  const workerMeta = document.querySelector('meta[name="hearth-service-worker"]');
  // The pages the service worker keeps for offline use (templates/pwa/).
  const offlineShell = document.querySelector("[data-offline-shell]");

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    if (cookie) return cookie.slice("csrftoken=".length);
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Whose days this page may send, show and fill in: the signed-in person's or, on the offline
  // pages (rendered for nobody), the person whose page last remembered its session. None on
  // other pages without a session.
  async function currentSession() {
    if (workerMeta) {
      const mine = { token: csrfToken(), owner: workerMeta.dataset.queueOwner };
      if (mine.token) await queue.rememberSession(mine);
      return mine;
    }
    return offlineShell ? (await queue.rememberedSession()) || null : null;
  }

  const sessionReady = currentSession().catch(() => null);

  // The badge ------------------------------------------------------------------------------

  const badge = element("p", { class: "waiting-badge", "aria-live": "polite", hidden: "" });
  const header = document.querySelector(".site-header__inner");
  if (header) header.appendChild(badge);

  async function showBadge() {
    const session = await sessionReady;
    const waiting = session ? await queue.days.of(session.owner) : [];
    badge.textContent = "";
    badge.hidden = !waiting.length;
    if (!waiting.length) return;
    const stuck = waiting.find((record) => record.status !== "waiting");
    const first = stuck || waiting[0];
    const link = element(
      "a",
      { class: "badge", href: `/log/${first.day}/` },
      plural(waiting.length, "day", "days") + " waiting to be sent"
    );
    badge.appendChild(link);
    if (stuck) badge.appendChild(document.createTextNode(" · one needs you"));
  }

  // Sending ----------------------------------------------------------------------------------

  let afterSending = () => {};

  async function sendNow() {
    const session = await sessionReady;
    if (!navigator.onLine || !session) return;
    try {
      await queue.sendWaiting(session);
    } catch (stopped) {
      // No network, or no session: the days stay on the phone and are tried again later.
    }
    await showBadge();
    await afterSending();
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.getRegistration().then((registration) => {
      if (registration && registration.sync) {
        return registration.sync.register(queue.SYNC_TAG);
      }
    }).catch(() => {});
  }

  // The log form -----------------------------------------------------------------------------

  const SKIPPED = new Set(["csrfmiddlewaretoken", "version", "new_symptom"]);
  const PRIVATE_SECTION = '[aria-labelledby="section-intimacy"]';
  const COMPARE_TEXT = "Your answers saved on this phone differ from the ones saved since, on " +
    "another device or in another tab. Choose which to keep.";
  const COMPARE_LATER = "Your answers saved on this phone differ from the ones saved since. " +
    "Connect to the internet to compare them and choose.";
  const CANNOT_KEEP = "This phone could not keep the day (its storage is full or switched " +
    "off). Keep this page open and press Save again once you are back online.";
  const SIGN_IN_FIRST = "Sign in once with the network on, then this phone can keep days " +
    "while offline.";

  function dayOfPage(form) {
    if (form.hasAttribute("data-offline-shell")) {
      const match = location.pathname.match(/^\/log\/(\d{4}-\d{2}-\d{2})\/$/);
      return match ? match[1] : queue.localToday();
    }
    const time = document.querySelector(".page-header time[datetime]");
    return time ? time.getAttribute("datetime") : null;
  }

  function inputsNamed(form, name) {
    return Array.from(form.elements).filter((input) => input.name === name);
  }

  function fieldNames(form) {
    const names = [];
    Array.from(form.elements).forEach((input) => {
      if (input.name && !SKIPPED.has(input.name) && !names.includes(input.name)) {
        names.push(input.name);
      }
    });
    return names;
  }

  function optionText(input) {
    return input.labels && input.labels.length
      ? input.labels[0].textContent.trim().replace(/\s+/g, " ")
      : input.value;
  }

  function typed(value) {
    if (value === "") return null;
    if (value === "True" || value === "False") return value === "True";
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  // The form's answers in the API's shape (api/serializers.py: EntrySerializer).
  function answersOf(form) {
    const body = {};
    fieldNames(form).forEach((name) => {
      const inputs = inputsNamed(form, name);
      const kind = inputs[0].type;
      if (kind === "radio") {
        const checked = inputs.find((input) => input.checked);
        body[name] = checked ? typed(checked.value) : null;
      } else if (kind === "checkbox") {
        body[name] = inputs.filter((input) => input.checked).map(optionText);
      } else if (inputs[0].getAttribute("inputmode") === "decimal") {
        const text = inputs[0].value.trim();
        const number = Number(text.replace(",", "."));
        body[name] = text === "" ? null : Number.isFinite(number) ? number : text;
      } else {
        body[name] = inputs[0].value;
      }
    });
    return body;
  }

  // The person's own symptoms are not in the offline form (it is rendered for nobody): a day
  // ticked with one gets it back as an extra box, so saving it again keeps it.
  function addMissingBoxes(form, fields, labels) {
    fields.forEach(([name, value]) => {
      const boxes = inputsNamed(form, name).filter((input) => input.type === "checkbox");
      if (!boxes.length || boxes.some((box) => box.value === value)) return;
      const id = `offline-${name}-${value}`;
      const row = element("div");
      const label = element("label", { for: id });
      label.append(element("input", { type: "checkbox", name: name, value: value, id: id }), " ");
      label.append(labels[`${name}:${value}`] || value);
      row.appendChild(label);
      boxes[boxes.length - 1].closest("div").after(row);
    });
  }

  function checkedLabels(form) {
    const labels = {};
    Array.from(form.elements).forEach((input) => {
      if (input.type === "checkbox" && input.checked) {
        labels[`${input.name}:${input.value}`] = optionText(input);
      }
    });
    return labels;
  }

  function fill(form, fields, labels) {
    addMissingBoxes(form, fields, labels || {});
    Array.from(form.elements).forEach((input) => {
      if (!input.name || input.name === "csrfmiddlewaretoken" || input.name === "version") return;
      const values = fields.filter(([name]) => name === input.name).map(([, value]) => value);
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = values.includes(input.value);
      } else if (input.tagName !== "BUTTON") {
        input.value = values.length ? values[0] : "";
      }
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function questionOf(form, name) {
    const input = inputsNamed(form, name)[0];
    const legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if (legend) return legend.textContent.trim();
    const label = input.id && form.querySelector(`label[for="${input.id}"]`);
    return label ? label.textContent.trim() : name;
  }

  // One answer as a person reads it, through the form's own labels.
  function answerText(form, name, body) {
    if (!body) return "Not logged";
    const value = body[name];
    const inputs = inputsNamed(form, name);
    if (inputs[0].type === "radio") {
      const wanted = value === null || value === undefined ? ""
        : value === true ? "True" : value === false ? "False" : String(value);
      const match = inputs.find((input) => input.value === wanted);
      return match ? optionText(match) : String(value);
    }
    if (Array.isArray(value)) return value.length ? value.join(", ") : "None";
    return value === null || value === undefined || value === "" ? "Not logged" : String(value);
  }

  function differences(form, mine, saved) {
    return fieldNames(form)
      .map((name) => ({
        question: questionOf(form, name),
        mine: answerText(form, name, mine),
        saved: answerText(form, name, saved),
        private: Boolean(inputsNamed(form, name)[0].closest(PRIVATE_SECTION)),
      }))
      .filter((row) => row.mine !== row.saved);
  }

  function versionsTable(rows, caption) {
    const wrapper = element("div", { class: "table-scroll" });
    const table = element("table", { class: "data-table data-table--text" });
    table.appendChild(element("caption", { class: "visually-hidden" }, caption));
    const head = table.createTHead().insertRow();
    ["Question", "Yours (on this phone)", "Saved now"].forEach((title) => {
      head.appendChild(element("th", { scope: "col" }, title));
    });
    const body = table.createTBody();
    rows.forEach((row) => {
      const line = body.insertRow();
      line.appendChild(element("th", { scope: "row" }, row.question));
      line.appendChild(element("td", {}, row.mine));
      line.appendChild(element("td", {}, row.saved));
    });
    wrapper.appendChild(table);
    return wrapper;
  }

  function enhanceLogForm(form) {
    const day = dayOfPage(form);
    if (!day) return;
    const shell = form.hasAttribute("data-offline-shell");
    const versionInput = form.querySelector('input[name="version"]');
    let baseVersion = versionInput ? versionInput.value : "";
    let queued = null;

    const notice = element("div", { class: "offline-notice", "aria-live": "polite" });
    form.parentNode.insertBefore(notice, form);

    function say(text, kind) {
      notice.textContent = "";
      if (!text) return;
      notice.appendChild(element("p", { class: `message message--${kind || "info"}` }, text));
    }

    if (shell) {
      // The shell is the same for every day: the day it is for is only known here.
      document.querySelector("[data-offline-day]").replaceWith(element(
        "time",
        { datetime: day },
        new Date(`${day}T12:00:00`).toLocaleDateString("en-GB", {
          weekday: "long", day: "numeric", month: "long", year: "numeric",
        }),
      ));
    }

    function showConflict(record) {
      const panel = element("section", {
        class: "panel changed-elsewhere",
        "aria-labelledby": "offline-conflict-heading",
      });
      panel.appendChild(element(
        "h2", { id: "offline-conflict-heading" }, "This day changed while you were offline"
      ));
      notice.textContent = "";
      notice.appendChild(panel);
      const explain = element("p", {}, "Comparing your answers with the saved ones…");
      panel.appendChild(explain);
      fetch(`/api/v1/entries/${day}/`, { credentials: "same-origin" })
        .then(async (response) => {
          if (response.status === 404) return { saved: null, version: "" };
          if (!response.ok) throw new Error(String(response.status));
          const tag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
          return { saved: await response.json(), version: tag };
        })
        .then(({ saved, version }) => {
          const mine = Object.assign({}, record.body);
          if (record.newSymptom) mine.symptoms = mine.symptoms.concat([record.newSymptom]);
          const rows = differences(form, mine, saved);
          const caption = "Your answers and the saved answers that differ";
          const privateRows = form.querySelector("[data-private-answers]")
            ? rows.filter((row) => row.private) : [];
          const openRows = rows.filter((row) => !privateRows.includes(row));
          explain.textContent = rows.length ? COMPARE_TEXT : "The answers are the same as yours.";
          if (privateRows.length) {
            const details = element("details", { class: "private-answers" });
            const summary = element("summary", {
              class: "button button--small private-answers__summary",
            }, "Show private answers that differ");
            details.appendChild(summary);
            details.appendChild(versionsTable(privateRows, caption + " (private)"));
            panel.appendChild(details);
          }
          if (openRows.length) panel.appendChild(versionsTable(openRows, caption));
          const actions = element("p", { class: "actions" });
          const keepMine = element(
            "button", { type: "button", class: "button button--primary" }, "Keep mine"
          );
          const keepSaved = element(
            "button", { type: "button", class: "button" }, "Keep the saved version"
          );
          actions.append(keepMine, " ", keepSaved);
          panel.appendChild(actions);
          keepMine.addEventListener("click", async () => {
            baseVersion = version;
            queued = Object.assign(
              {}, record, { version: version, status: "waiting", savedAt: Date.now() }
            );
            await queue.days.put(queued);
            say("Sending your version…");
            await sendNow();
          });
          keepSaved.addEventListener("click", async () => {
            await queue.days.remove(record.owner, day);
            location.reload();
          });
        })
        .catch(() => {
          explain.textContent = COMPARE_LATER;
        });
    }

    function showRecord(record) {
      if (record.status === "conflict") showConflict(record);
      else if (record.status === "refused") {
        const errors = record.errors.join(" ");
        say(`This day could not be sent: ${errors} Change it and save again.`, "error");
      } else say(SAVED_OFFLINE);
    }

    afterSending = async () => {
      if (!queued) return;
      const now = await queue.days.get(queued.owner, day);
      if (!now) {
        queued = null;
        // The PUT's answer is the day's new version; a later save of this form builds on it.
        const response = await fetch(`/api/v1/entries/${day}/`, { credentials: "same-origin" });
        if (response.ok) {
          baseVersion = (response.headers.get("ETag") || "").replace(/"/g, "");
          if (versionInput) versionInput.value = baseVersion;
        }
        say("Sent: your day is saved.", "success");
      } else if (now.status !== "waiting" || now.savedAt !== queued.savedAt) {
        queued = now;
        showRecord(now);
      }
    };

    const waitingDay = (session) => session && queue.days.get(session.owner, day);
    sessionReady.then(waitingDay).then((record) => {
      if (!record) return;
      queued = record;
      // Saving it again still builds on the version these answers started from.
      baseVersion = record.version;
      fill(form, record.fields, record.labels);
      if (record.status === "rescued") keep(record.owner);
      else showRecord(record);
    }).catch(() => {});

    form.addEventListener("submit", (event) => {
      // Online, with nothing of this day waiting, the form posts as it always does.
      if (!shell && navigator.onLine && !queued) return;
      event.preventDefault();
      sessionReady.then((session) => {
        if (session) keep(session.owner);
        else say(SIGN_IN_FIRST, "error");
      });
    });

    function keep(owner) {
      const fields = Array.from(new FormData(form).entries())
        .filter(([name]) => name !== "csrfmiddlewaretoken")
        .map(([name, value]) => [name, String(value)]);
      const typedSymptom = form.elements.new_symptom;
      const newSymptom = typedSymptom ? typedSymptom.value.trim() : "";
      queued = {
        owner: owner,
        day: day,
        version: baseVersion,
        fields: fields,
        labels: checkedLabels(form),
        body: answersOf(form),
        newSymptom: newSymptom,
        status: "waiting",
        savedAt: Date.now(),
      };
      queue.days.put(queued).then(() => {
        say(SAVED_OFFLINE);
        askForBackgroundSync();
        return showBadge().then(sendNow);
      }, () => {
        queued = null;
        say(CANNOT_KEEP, "error");
      });
    }
  }

  // Signing out ------------------------------------------------------------------------------

  async function forgetThisDevice() {
    await queue.days.clear();
    if ("serviceWorker" in navigator) {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await Promise.all(registrations.map((registration) => registration.unregister()));
    }
    if (window.caches) {
      const names = await caches.keys();
      await Promise.all(names.map((name) => caches.delete(name)));
    }
  }

  document.querySelectorAll(SIGN_OUT_FORMS).forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.forgotten) return;
      event.preventDefault();
      queue.days.all().catch(() => []).then((waiting) => {
        if (waiting.length && !window.confirm(
          `${plural(waiting.length, "day", "days")} saved on this phone ` +
          `${waiting.length === 1 ? "has" : "have"} not been sent yet. Signing out deletes ` +
          `${waiting.length === 1 ? "it" : "them"} from this phone. Sign out anyway?`
        )) return;
        forgetThisDevice().catch(() => {}).then(() => {
          form.dataset.forgotten = "yes";
          form.requestSubmit();
        });
      });
    });
  });

  // Start ------------------------------------------------------------------------------------

  if (workerMeta && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(workerMeta.content, { scope: "/" }).catch(() => {});
  }
  const logForm = document.getElementById("log-form");
  if (logForm) enhanceLogForm(logForm);
  window.addEventListener("online", sendNow);
  showBadge().then(sendNow).catch(() => {});
})();
