/* The days saved on this phone while offline, kept in IndexedDB until the server has them, and
   the sending of them to PUT /api/v1/entries/<day>/ (If-Match: the version the form was based
   on, "" for a day that had nothing logged). Loaded by every page (offline.js uses it) and by the
   service worker (Background Sync), so it touches no DOM.

   A waiting day: {key: "<owner>/<day>", owner, day, version, fields: [[name, value]...] as the
   form had them, labels, body: the API's shape, newSymptom, status: "waiting" | "conflict" |
   "refused" | "rescued" (kept by the service worker, not yet in the API's shape), errors,
   savedAt}. The owner (tracker/pwa.py: queue_owner) keeps one person's days
   from ever being sent, shown or filled in for another who signs in on the same phone. */
(function (scope) {
  "use strict";

  const DATABASE = "hearth";
  const DAYS = "waiting-days";
  const META = "meta";
  const SYNC_TAG = "hearth-send-waiting-days";

  function openDatabase() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(DAYS, { keyPath: "key" });
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function withStore(name, mode, work) {
    return openDatabase().then((database) => new Promise((resolve, reject) => {
      const transaction = database.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => {
        database.close();
        resolve(request ? request.result : undefined);
      };
      transaction.onerror = () => {
        database.close();
        reject(transaction.error);
      };
    }));
  }

  const days = {
    all: () => withStore(DAYS, "readonly", (store) => store.getAll()),
    of: (owner) => days.all().then((all) => all.filter((record) => record.owner === owner)),
    get: (owner, day) => withStore(DAYS, "readonly", (store) => store.get(`${owner}/${day}`)),
    put: (record) => withStore(DAYS, "readwrite", (store) => {
      return store.put(Object.assign({}, record, { key: `${record.owner}/${record.day}` }));
    }),
    remove: (owner, day) => withStore(DAYS, "readwrite", (store) => {
      return store.delete(`${owner}/${day}`);
    }),
    clear: () => withStore(DAYS, "readwrite", (store) => store.clear()),
  };

  // The service worker has no cookies to read, and the offline form is rendered for nobody:
  // signed-in pages leave the session's CSRF token and its owner here.
  function rememberSession(session) {
    return withStore(META, "readwrite", (store) => store.put(session, "session"));
  }

  function rememberedSession() {
    return withStore(META, "readonly", (store) => store.get("session"));
  }

  function headers(token, extra) {
    return Object.assign({ "Content-Type": "application/json", "X-CSRFToken": token }, extra);
  }

  // A symptom typed offline becomes the person's own first (400: it already is), then is ticked.
  async function bodyWithNewSymptom(record, token) {
    if (!record.newSymptom) return record.body;
    const response = await fetch("/api/v1/symptoms/", {
      method: "POST",
      credentials: "same-origin",
      headers: headers(token),
      body: JSON.stringify({ name: record.newSymptom }),
    });
    if (!response.ok && response.status !== 400) throw new Stop(response.status);
    return Object.assign({}, record.body, {
      symptoms: record.body.symptoms.concat([record.newSymptom]),
    });
  }

  function Stop(status) {
    this.status = status;
  }

  async function readErrors(response) {
    try {
      const answer = await response.json();
      const errors = answer.errors || answer;
      return Object.keys(errors).map((name) => [].concat(errors[name]).join(" "));
    } catch (error) {
      return ["The server refused this day."];
    }
  }

  // Sends one day; the day leaves IndexedDB only once the server has it, and only if it was not
  // changed on the phone meanwhile.
  async function sendOne(record, token) {
    const body = await bodyWithNewSymptom(record, token);
    const response = await fetch(`/api/v1/entries/${record.day}/`, {
      method: "PUT",
      credentials: "same-origin",
      headers: headers(token, { "If-Match": `"${record.version}"` }),
      body: JSON.stringify(body),
    });
    const now = await days.get(record.owner, record.day);
    if (!now || now.savedAt !== record.savedAt) return;
    if (response.ok) {
      await days.remove(record.owner, record.day);
    } else if (response.status === 412) {
      await days.put(Object.assign({}, record, { status: "conflict" }));
    } else if (response.status === 400) {
      const errors = await readErrors(response);
      await days.put(Object.assign({}, record, { status: "refused", errors: errors }));
    } else {
      // Signed out, CSRF token gone stale, rate limited or a server error: try again later.
      throw new Stop(response.status);
    }
  }

  // Sends every waiting day; rejects when something must be tried again later (no network, or
  // no session), which is what tells Background Sync to retry.
  async function send(session) {
    const work = async () => {
      for (const record of await days.of(session.owner)) {
        if (record.status === "waiting") await sendOne(record, session.token);
      }
    };
    // One sender at a time across the pages and the worker: a second PUT of the same day would
    // meet its own first one as a conflict.
    return scope.navigator.locks ? scope.navigator.locks.request(SYNC_TAG, work) : work();
  }

  // Sends the days of the session given, or of the one a signed-in page last remembered.
  async function sendWaiting(session) {
    const current = session || (await rememberedSession());
    if (!current || !current.token || !current.owner) throw new Stop(403);
    return send(current);
  }

  function localToday() {
    const now = new Date();
    const pad = (number) => String(number).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  // The log form posted while the network failed on the way (the page thought it was online):
  // the service worker keeps what was typed, as the form had it, for the offline form to show
  // and finish (offline.js turns it into the API's shape there, with the form's labels).
  async function rescue(request) {
    const session = await rememberedSession();
    if (!session) return;
    const match = new URL(request.url).pathname.match(/^\/log\/(\d{4}-\d{2}-\d{2})\/$/);
    const data = await request.formData();
    const fields = Array.from(data.entries())
      .filter(([name]) => name !== "csrfmiddlewaretoken")
      .map(([name, value]) => [name, String(value)]);
    await days.put({
      owner: session.owner,
      day: match ? match[1] : localToday(),
      version: String(data.get("version") || ""),
      fields: fields,
      labels: {},
      body: null,
      newSymptom: String(data.get("new_symptom") || "").trim(),
      status: "rescued",
      savedAt: Date.now(),
    });
  }

  scope.HearthQueue = {
    localToday: localToday,
    rescue: rescue,
    SYNC_TAG: SYNC_TAG,
    days: days,
    rememberSession: rememberSession,
    rememberedSession: rememberedSession,
    sendWaiting: sendWaiting,
  };
})(self);
