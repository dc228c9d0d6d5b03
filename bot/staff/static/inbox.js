// Live inbox: when a ticket changes on any worker, the page fetches itself again and swaps in its
// [data-live] parts. The server renders (and escapes) everything; this file only moves finished nodes.
"use strict";

(function () {
  const live = document.querySelector("[data-live][data-events]");
  if (!live) {
    return;
  }
  let refreshing = false;
  let again = false;

  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const part of document.querySelectorAll("[data-live]")) {
          const replacement = part.id ? fresh.getElementById(part.id) : null;
          if (replacement) {
            part.replaceWith(document.importNode(replacement, true));
          }
        }
      }
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  const events = new EventSource(live.getAttribute("data-events"));
  events.addEventListener("changed", refresh);

  // A canned answer goes into the reply box, where the counsellor can still change it.
  for (const select of document.querySelectorAll("select[data-fills]")) {
    select.addEventListener("change", function () {
      const target = document.getElementById(select.getAttribute("data-fills"));
      if (target && select.value) {
        target.value = target.value ? target.value + "\n\n" + select.value : select.value;
        target.focus();
      }
      select.value = "";
    });
  }
})();
