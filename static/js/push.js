/* "Remind me on this phone" on the profile (templates/accounts/push_control.html): asks the
   browser's permission, subscribes this device through the service worker with Hearth's VAPID
   key and hands the subscription to the server (accounts/push.py), or undoes both. The service
   worker (templates/pwa/sw.js) shows each reminder. */
(function () {
  "use strict";

  const control = document.querySelector("[data-push-control]");
  if (!control) return;
  const buttons = control.querySelector("[data-push-buttons]");
  const subscribeButton = control.querySelector("[data-push-subscribe]");
  const unsubscribeButton = control.querySelector("[data-push-unsubscribe]");
  const status = control.querySelector("[data-push-status]");
  const pushCheckbox = document.querySelector('input[name="reminder_push"]');

  function say(text) {
    status.textContent = text;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return; // the note saying so stays
  }
  control.querySelector("[data-push-unsupported]").hidden = true;

  function csrfToken() {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // The VAPID public key arrives base64url-encoded; the Push API wants its bytes.
  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }

  function show(subscribed) {
    buttons.hidden = false;
    control.querySelector("[data-push-when-off]").hidden = subscribed;
    control.querySelector("[data-push-when-on]").hidden = !subscribed;
  }

  async function subscribe() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Notifications are blocked for Hearth in this browser's settings. Allow them there, then try again.");
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription =
      (await registration.pushManager.getSubscription()) ||
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(control.dataset.pushKey),
      }));
    const response = await post(control.dataset.subscribeUrl, subscription.toJSON());
    if (!response.ok) {
      await subscription.unsubscribe();
      say("This phone could not be set up for reminders. Please try again later.");
      return;
    }
    if (pushCheckbox) pushCheckbox.checked = true;
    show(true);
    say("Reminders will come to this phone as notifications, saying only that it's time to check in.");
  }

  async function unsubscribe() {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post(control.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show(false);
    say("Reminders will no longer come to this phone.");
  }

  function guarded(action) {
    return () => {
      subscribeButton.disabled = unsubscribeButton.disabled = true;
      action()
        .catch(() => say("Something went wrong setting up notifications. Please try again."))
        .finally(() => {
          subscribeButton.disabled = unsubscribeButton.disabled = false;
          // The pressed button may be gone: keep the keyboard on the one now shown.
          const subscribed = !control.querySelector("[data-push-when-on]").hidden;
          (subscribed ? unsubscribeButton : subscribeButton).focus();
        });
    };
  }

  subscribeButton.addEventListener("click", guarded(subscribe));
  unsubscribeButton.addEventListener("click", guarded(unsubscribe));
  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => show(Boolean(subscription)))
    .catch(() => show(false));
})();
