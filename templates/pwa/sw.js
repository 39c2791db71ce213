/* Hearth's service worker, served at /sw.js by tracker/pwa.py (so its scope is the whole site).
   It keeps the app shell only: static files and two pages rendered for nobody, fetched without
   cookies. Pages and API answers go to the network and are never stored: they hold a person's
   health data. Offline, opening a page shows the offline page, or the empty log form for /log/. */
"use strict";

importScripts("{{ queue_script }}");

const VERSION = "{{ version }}";
const CACHE = "hearth-shell-" + VERSION;
const SHELL = {{ shell|safe }};
const OFFLINE_PAGE = "{{ offline_page }}";
const OFFLINE_LOG = "{{ offline_log }}";
const LOG_PAGE = /^\/log\/(\d{4}-\d{2}-\d{2}\/)?$/;

self.addEventListener("install", (event) => {
  const requests = SHELL.map((url) => new Request(url, { credentials: "omit", cache: "reload" }));
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(requests)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("hearth-") && name !== CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    const logPage = LOG_PAGE.test(url.pathname);
    // A log form posted as the network failed: what was typed is kept, not lost.
    const posted = logPage && request.method === "POST" ? request.clone() : null;
    event.respondWith(
      fetch(request).catch(async () => {
        if (posted) await HearthQueue.rescue(posted).catch(() => {});
        return caches.match(logPage ? OFFLINE_LOG : OFFLINE_PAGE, { cacheName: CACHE });
      })
    );
  } else if (request.method === "GET" && SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: CACHE }).then((kept) => kept || fetch(request))
    );
  }
});

// Background Sync: the browser wakes the worker once the network is back, even with no page open.
self.addEventListener("sync", (event) => {
  if (event.tag === HearthQueue.SYNC_TAG) event.waitUntil(HearthQueue.sendWaiting());
});

{% load static %}
// Push reminders (accounts/push.py): the message holds only the reminder's neutral title, text
// and the page to open, never anything the person logged, as it shows on the lock screen.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Hearth", {
      body: message.body || "",
      icon: "{% static 'icons/icon-192.png' %}",
      tag: "hearth-reminder",
      data: { url: message.url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const wanted = event.notification.data && event.notification.data.url;
  // Only a page of Hearth's own: a path, never another site.
  const path = typeof wanted === "string" && /^\/(?!\/)/.test(wanted) ? wanted : "{% url 'tracker:log_today' %}";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname === path);
      return open ? open.focus() : self.clients.openWindow(path);
    })
  );
});
