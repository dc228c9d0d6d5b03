// Wegweiser staff area: the few things plain HTML cannot do. No inline scripts anywhere (CSP default-src 'self').
"use strict";

(function () {
  // The session's CSRF token, for fetch calls of other staff pages: wegweiserStaff.fetch(url, options).
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function staffFetch(url, options) {
    const settings = Object.assign({ credentials: "same-origin" }, options || {});
    const headers = new Headers(settings.headers || {});
    headers.set("x-csrf-token", csrfToken());
    if (!headers.has("accept")) {
      headers.set("accept", "application/json");
    }
    settings.headers = headers;
    return fetch(url, settings);
  }

  window.wegweiserStaff = { csrfToken: csrfToken, fetch: staffFetch };

  // Forms with data-confirm ask before they are sent (locking an account, deleting content).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
