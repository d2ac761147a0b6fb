// The mapping step lists the columns no field reads (未使用的列). The server renders the list for
// the suggested mapping; this keeps it true while the user changes a column's field, before the
// check. Without the script the list shows the mapping as it was when the page loaded.
(function () {
  "use strict";
  const box = document.querySelector("[data-testid=unused-columns][data-live]");
  const form = box && box.closest("form");
  if (!form) return;
  const list = box.querySelector("ul");
  const count = box.querySelector("[data-testid=unused-count]");
  const selects = Array.from(form.querySelectorAll("select[name^='col_']"));
  const rows = Array.from(form.querySelectorAll("tbody tr"));

  function letter(index) {
    let name = "";
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
      name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    }
    return name;
  }

  function hasValue(index) {
    return rows.some((row) => (row.cells[index] ? row.cells[index].textContent.trim() : "") !== "");
  }

  function sync() {
    list.replaceChildren();
    let shown = 0;
    for (const select of selects) {
      const index = Number(select.name.slice(4));
      // The select is labelled by its header, or "#3" when the header cell is empty.
      const label = select.getAttribute("aria-label") || "";
      const header = label === "#" + (index + 1) ? "" : label;
      if (select.value !== "" || (header === "" && !hasValue(index))) continue;
      const item = document.createElement("li");
      item.className = "list-inline-item badge text-bg-light border text-wrap";
      item.dataset.testid = "unused-column";
      item.textContent = box.dataset.columnLabel.replace("@", letter(index)) + " " + (header || box.dataset.noHeader);
      list.append(item);
      shown += 1;
    }
    count.textContent = String(shown);
    box.hidden = shown === 0;
  }

  selects.forEach((select) => select.addEventListener("change", sync));
})();
