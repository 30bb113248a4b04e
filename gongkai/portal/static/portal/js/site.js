/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // A form came back with errors: move focus to its summary (at the top of the content) so that a
  // screen reader reads it and a phone shows it first; the title says 错误： (WCAG 3.3.1, 4.1.3, 2.4.3).
  var summary = document.querySelector(".form-errors[tabindex]");
  if (summary) {
    if (document.title.indexOf("错误：") !== 0) { document.title = "错误：" + document.title; }
    summary.focus();
  }

  // Print buttons (the print view and the document page also work with the browser's own print).
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Search suggestions: fill a <datalist> from the OpenSearch suggestions endpoint.
  document.querySelectorAll("input[data-suggest]").forEach(function (input, n) {
    var list = document.createElement("datalist");
    list.id = "suggestions-" + n;
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var value = input.value.trim();
      clearTimeout(timer);
      if (!value || value === last) { return; }
      timer = setTimeout(function () {
        last = value;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : [value, []]; })
          .then(function (data) {
            list.textContent = "";
            (data[1] || []).forEach(function (s) {
              var option = document.createElement("option");
              option.value = s;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
