// Content editor: a live count of characters beside fields with a limit (button titles), so staff see
// before publishing when a title gets too long. The server checks again; this only helps.
"use strict";

(function () {
  for (const field of document.querySelectorAll("[data-limit]")) {
    const limit = Number(field.getAttribute("data-limit"));
    const counter = document.createElement("span");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);

    const update = function () {
      const used = Array.from(field.value).length;
      counter.textContent = used + " von " + limit + " Zeichen";
      counter.classList.toggle("char-count-over", used > limit);
    };
    field.addEventListener("input", update);
    update();
  }
})();
