// The rule editor offers, in each condition row, only the operators the chosen field takes.
// Without this script every operator is listed and the server names a wrong one at its row.
(function () {
  "use strict";
  function sync(field, op) {
    const option = field.selectedOptions[0];
    const kind = option ? option.dataset.kind : "";
    let selectedHidden = false;
    for (const choice of op.options) {
      const fits = !kind || (choice.dataset.kinds || "").split(" ").includes(kind);
      choice.hidden = !fits;
      choice.disabled = !fits;
      if (!fits && choice.selected) selectedHidden = true;
    }
    if (selectedHidden) {
      const first = Array.from(op.options).find((choice) => !choice.disabled);
      if (first) op.value = first.value;
    }
  }
  document.querySelectorAll("[data-testid=condition-row]").forEach((row) => {
    const field = row.querySelector("select[name$='-field']");
    const op = row.querySelector("select[name$='-op']");
    if (!field || !op) return;
    field.addEventListener("change", () => sync(field, op));
    sync(field, op);
  });
})();
