/* Sinergi's own small script (no inline scripts: the CSP allows only files from 'self').
   - An error summary at the top of a form takes the focus when the page or an HTMX
     fragment brings one, so an error below the fold is seen and read out.
   - Parts of a form meant for some choices only ([data-show-when="field=value value"])
     hide while another choice is made; without this script every part stays shown. */
(function () {
  "use strict";

  function focusErrorSummary() {
    // Each summary once: a fragment swapped in later (a new item row) leaves the focus alone.
    var summary = document.querySelector("[data-error-summary]:not([data-shown])");
    if (summary) {
      summary.setAttribute("data-shown", "");
      summary.scrollIntoView({ block: "start" });
      summary.focus({ preventScroll: true });
    }
  }

  function chosenValue(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.querySelector('select[name="' + name + '"], input[name="' + name + '"]:not([type="radio"])');
    return field ? field.value : "";
  }

  function applyDependentParts(root) {
    (root || document).querySelectorAll("[data-show-when]").forEach(function (part) {
      var form = part.closest("form");
      if (!form) { return; }
      var rule = part.getAttribute("data-show-when").split("=");
      var wanted = (rule[1] || "").split(" ");
      var value = chosenValue(form, rule[0]);
      part.hidden = value !== "" && wanted.indexOf(value) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    applyDependentParts(document);
  });
  document.addEventListener("change", function (event) {
    if (event.target.form) { applyDependentParts(event.target.form); }
  });
  document.addEventListener("htmx:afterSettle", function () {
    applyDependentParts(document);
    focusErrorSummary();
  });
})();

/* A table shown as stacked cards on a phone (table.cards, see portal.css) names each value
   by its column: each cell gets its column heading as data-label, unless it has one. */
(function () {
  "use strict";

  function labelCells(root) {
    (root || document).querySelectorAll("table.cards").forEach(function (table) {
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headRow) { return; }
      var headings = [];
      Array.prototype.forEach.call(headRow.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i += 1) { headings.push(cell.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.colSpan === 1 && !cell.hasAttribute("data-label") && headings[column]) {
              cell.setAttribute("data-label", headings[column]);
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  document.addEventListener("htmx:afterSettle", function () { labelCells(document); });
})();

/* A button marked data-print prints the page (the print stylesheet leaves out the
   navigation, the forms and the buttons). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
