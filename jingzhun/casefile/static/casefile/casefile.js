// The case file's tab strip: on a screen too narrow for every tab it scrolls sideways. Mark
// the strip while tabs are hidden past its edge (a chevron and a line of text show it), and
// bring the open tab into view. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  function update(strip) {
    const list = strip.querySelector(".nav");
    if (!list) return;
    const overflow = list.scrollWidth > list.clientWidth + 1;
    const atEnd = list.scrollLeft + list.clientWidth >= list.scrollWidth - 1;
    strip.classList.toggle("jz-overflow", overflow);
    strip.classList.toggle("jz-more", overflow && !atEnd);
  }

  function init(strip) {
    const list = strip.querySelector(".nav");
    if (!list) return;
    const active = list.querySelector(".nav-link.active");
    if (active) list.scrollLeft = Math.max(0, active.offsetLeft - list.clientWidth / 3);
    list.addEventListener("scroll", function () { update(strip); }, { passive: true });
    update(strip);
  }

  function all() { document.querySelectorAll("[data-tab-strip]").forEach(init); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-tab-strip]").forEach(update);
  });
})();
