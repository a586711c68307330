// Batch actions on a queue (issue 9): the header box ticks or clears every row box of its table, and the
// count of ticked rows is shown beside the batch button. (A file, not an inline script: CSP.)
(function () {
  function update(table) {
    var form = document.getElementById(table.getAttribute("data-batch-form"));
    var boxes = table.querySelectorAll("input[data-batch-row]");
    var ticked = 0;
    boxes.forEach(function (b) { if (b.checked) { ticked += 1; } });
    var counter = form && form.querySelector("[data-batch-count]");
    if (counter) { counter.textContent = String(ticked); }
    var all = table.querySelector("input[data-batch-all]");
    if (all) { all.checked = boxes.length > 0 && ticked === boxes.length; }
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    var table = box && box.closest && box.closest("table[data-batch-form]");
    if (!table) { return; }
    if (box.hasAttribute("data-batch-all")) {
      table.querySelectorAll("input[data-batch-row]").forEach(function (b) { b.checked = box.checked; });
    }
    update(table);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-batch-form]").forEach(update);
  });
})();
