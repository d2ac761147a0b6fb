// What the templates ask for with data attributes, so that no page needs an inline script or
// an on…= handler: the Content-Security-Policy runs scripts from this site's files only.
(function () {
  "use strict";

  // <button data-confirm="…"> (or <form data-confirm>): ask before the form is sent.
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // <select data-autosubmit>: choosing an option sends its form.
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit")) {
      if (select.form) select.form.requestSubmit();
    }
  });

  // <a data-tab> in a tab bar whose panel htmx loads: the clicked tab becomes the active one.
  document.addEventListener("click", function (event) {
    const tab = event.target instanceof Element ? event.target.closest("[data-tab]") : null;
    if (!tab) return;
    const bar = tab.closest(".nav");
    if (bar) bar.querySelectorAll(".nav-link").forEach((link) => link.classList.remove("active"));
    tab.classList.add("active");
  });
})();
