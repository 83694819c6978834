// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Show the type-specific part of the report form for the chosen type.
  function syncKindSections(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "";
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      var kinds = el.getAttribute("data-kinds").split(" ");
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-kind-form]");
    if (form && event.target.name === "kind") syncKindSections(form);
  });
  // A print button (data-print) prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  // The risk matrix: colour a cell by the level just chosen.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-risk-cell]")) {
      select.className = "badge badge--" + select.value;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-kind-form]").forEach(syncKindSections);
    document.querySelectorAll("form[data-kind-form]").forEach(syncAnonymous);
  });
  // An anonymous report names no child: the chooser goes away (and is cleared)
  // while "report anonymously" is ticked.
  function syncAnonymous(form) {
    var anonymous = form.querySelector("input[name=anonymous]");
    var on = !!(anonymous && anonymous.checked);
    form.querySelectorAll("[data-unless-anonymous]").forEach(function (el) {
      el.hidden = on;
      if (on) el.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-kind-form]");
    if (form && event.target.name === "anonymous") syncAnonymous(form);
  });

  // Copy a code: <button data-copy="#element" data-copied="Copied" hidden>. The
  // button stays hidden without this script (nothing to press that does nothing).
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text) && done(); });
    } else if (legacyCopy(text)) {
      done();
    }
  }
  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener("click", function (event) {
    var copy = event.target.closest && event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      if (source) {
        copyText(source.textContent.trim(), function () {
          copy.textContent = copy.getAttribute("data-copied") || copy.textContent;
        });
      }
    }
  });
  // Buttons that need this script start hidden, so none is offered without it.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy], [data-print]").forEach(function (button) { button.hidden = false; });
  });
})();
