// dealdraft serve: the few behaviours htmx attributes do not cover.
// - marks the inputs that the last check found problems in, with the message;
// - opens the clause panel when a clause of the preview is clicked;
// - closes the panel.
(function () {
  "use strict";

  function markProblems() {
    var form = document.getElementById("deal-form");
    var box = document.getElementById("problems");
    if (!form || !box) return;
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".field .error").forEach(function (el) { el.textContent = ""; });
    box.querySelectorAll("li[data-field]").forEach(function (item) {
      var name = item.getAttribute("data-field");
      if (!name) return;
      var input = form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      var error = document.getElementById(input.id + "-error");
      if (error) error.textContent = item.getAttribute("data-message");
    });
  }

  function openClause(clauseId) {
    var panel = document.getElementById("clause-panel");
    var form = document.getElementById("deal-form");
    if (!panel || !form) return;
    var name = location.pathname.split("/")[2];
    htmx.ajax("POST", "/deals/" + encodeURIComponent(name) + "/clause", {
      source: form, target: panel, swap: "innerHTML", values: { clause_id: clauseId }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-close-panel]")) {
      document.getElementById("clause-panel").hidden = true;
      return;
    }
    if (target.closest("a[href]")) return;
    var clause = target.closest("#preview [data-clause]");
    if (clause) {
      document.querySelectorAll("#preview .selected").forEach(function (el) { el.classList.remove("selected"); });
      clause.classList.add("selected");
      openClause(clause.getAttribute("data-clause"));
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    // every request that changes something carries the page's CSRF token
    var body = document.body.getAttribute("hx-headers");
    if (body) {
      var headers = JSON.parse(body);
      Object.keys(headers).forEach(function (key) { event.detail.headers[key] = headers[key]; });
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    markProblems();
    var panel = document.getElementById("clause-panel");
    if (panel && event.detail.target === panel) panel.hidden = false;
  });

  document.addEventListener("DOMContentLoaded", markProblems);
})();
