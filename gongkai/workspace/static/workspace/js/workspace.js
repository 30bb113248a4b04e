// gongkai back office: the one script of the staff layout (the site's CSP allows scripts from 'self' only).
(function () {
  "use strict";
  // A form that came back with errors (issue 27.1, WCAG 3.3.1, 4.1.3, 2.4.3): the title says so and focus
  // moves to the error summary, so that a screen reader reads it and the page opens where it is. A summary
  // inside a closed action panel (<details>) opens it first.
  var summary = document.querySelector(".form-errors[tabindex]");
  if (summary) {
    if (document.title.indexOf("错误：") !== 0) { document.title = "错误：" + document.title; }
    for (var el = summary.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    summary.focus();
  }
  // The summary's links move focus to their field (a link to an id scrolls, but does not focus a select).
  document.querySelectorAll(".form-errors a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) { event.preventDefault(); field.focus(); }
    });
  });
})();
