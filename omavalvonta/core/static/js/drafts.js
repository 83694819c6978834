// Drafts kept in the browser: what a person types into a form survives a failed
// submission (a server error, a lost connection), a reload, or the Back button.
// The server never sees a draft. Every page works without this file.
//
// Markup (see the {% draft_attrs %} template tag): a form with
//   data-draft="u12:deviation-report"        the key: one draft per user and form
//   data-draft-restored="Restored …"         the note shown after restoring
//   data-draft-discard="Discard"             the note's button
//   data-draft-storage="local"               optional; sessionStorage by default
// is attached when the page loads. Hidden inputs are not kept, except those
// marked data-draft-field (the edit version of optimistic concurrency: a
// restored text must still be checked against the version it was typed on).
//
// The draft is cleared once the form was saved, which the next page tells: the
// server answered the submission with a redirect (Post/Redirect/Get). A page
// that marks itself [data-drafts-keep] (the 500 page, the sign-in page) keeps it.
//
// API, for other scripts (the offline queue reuses it): window.Omavalvonta.drafts
//   attach(form, options) -> Draft      options: key, storage ("session" | "local"),
//                                       maxAgeMs (default 7 days), messages {restored, discard}
//   Draft.save()                        store the form's values now
//   Draft.read() -> {savedAt, values} | null
//   Draft.restore() -> boolean          put a stored draft back (true if anything changed)
//   Draft.discard()                     put the page's own values back and drop the draft
//   Draft.clear()                       drop the stored draft
//   collect(form) -> {name: value | [values]}
//   fill(form, values)
//   storage(kind) -> Storage | null     null where the browser refuses storage
//   forgetWith(name, value)             drop every stored draft whose field `name`
//                                       holds `value` (a report the queue delivered)
(function () {
  "use strict";

  var PREFIX = "omavalvonta.draft:";
  var SENT_KEY = "omavalvonta.draft-sent";
  var SENT_MAX_AGE_MS = 15 * 60 * 1000;
  var DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  var SAVE_DELAY_MS = 300;

  function storage(kind) {
    try {
      var s = kind === "local" ? window.localStorage : window.sessionStorage;
      var probe = PREFIX + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  function kept(el) {
    if (!el.name || el.disabled) return false;
    var type = (el.type || "").toLowerCase();
    if (type === "file" || type === "password" || type === "submit" || type === "button" || type === "reset") return false;
    if (type === "hidden") return el.hasAttribute("data-draft-field");
    return el.name !== "csrfmiddlewaretoken";
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (!(el.name in values)) values[el.name] = [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function fill(form, values) {
    var changed = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in values)) return;
      var value = values[el.name];
      var type = (el.type || "").toLowerCase();
      var before;
      if (type === "checkbox" || type === "radio") {
        before = el.checked;
        el.checked = [].concat(value).indexOf(el.value) !== -1;
        if (before !== el.checked) changed.push(el);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          var selected = [].concat(value).indexOf(o.value) !== -1;
          if (o.selected !== selected) { o.selected = selected; changed.push(el); }
        });
      } else if (el.value !== value) {
        el.value = value;
        changed.push(el);
      }
    });
    // Let other scripts (the report form's kind sections) follow the values.
    changed.forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
    return changed.length > 0;
  }

  // Only what the person can see decides whether a draft differs.
  function visibleDiffers(form, a, b) {
    return Object.keys(a).some(function (name) {
      var el = form.elements[name];
      var hidden = el && el.type === "hidden";
      return !hidden && JSON.stringify(a[name]) !== JSON.stringify(b[name]);
    });
  }

  function Draft(form, options) {
    this.form = form;
    this.key = PREFIX + options.key;
    this.store = storage(options.storage);
    this.maxAgeMs = options.maxAgeMs || DEFAULT_MAX_AGE_MS;
    this.messages = options.messages || {};
    this.original = collect(form);
    this.note = null;
    this._timer = null;
  }

  Draft.prototype.read = function () {
    if (!this.store) return null;
    try {
      var record = JSON.parse(this.store.getItem(this.key) || "null");
      if (!record || !record.values || Date.now() - record.savedAt > this.maxAgeMs) return null;
      return record;
    } catch (e) {
      return null;
    }
  };

  Draft.prototype.save = function () {
    if (!this.store) return;
    var values = collect(this.form);
    try {
      if (!visibleDiffers(this.form, values, this.original) && !this.read()) return;
      this.store.setItem(this.key, JSON.stringify({ savedAt: Date.now(), values: values }));
    } catch (e) { /* storage full or refused: the form still works */ }
  };

  Draft.prototype.clear = function () {
    if (this.store) this.store.removeItem(this.key);
    if (this.note) { this.note.remove(); this.note = null; }
  };

  Draft.prototype.restore = function () {
    var record = this.read();
    if (!record) { this.clear(); return false; }
    if (!visibleDiffers(this.form, record.values, collect(this.form))) return false;
    fill(this.form, record.values);
    this.showNote(record.savedAt);
    return true;
  };

  Draft.prototype.discard = function () {
    fill(this.form, this.original);
    this.clear();
  };

  Draft.prototype.showNote = function (savedAt) {
    var self = this;
    var note = document.createElement("div");
    note.className = "alert alert--info draft-note";
    note.setAttribute("role", "status");
    var text = document.createElement("p");
    var time = new Date(savedAt).toLocaleTimeString(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit" });
    text.textContent = (this.messages.restored || "Restored your unsent text.") + " (" + time + ")";
    note.appendChild(text);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--small btn--secondary";
    button.textContent = this.messages.discard || "Discard it";
    button.addEventListener("click", function () { self.discard(); });
    note.appendChild(button);
    this.form.parentNode.insertBefore(note, this.form);
    this.note = note;
  };

  Draft.prototype.listen = function () {
    var self = this;
    function later() {
      clearTimeout(self._timer);
      self._timer = setTimeout(function () { self.save(); }, SAVE_DELAY_MS);
    }
    this.form.addEventListener("input", later);
    this.form.addEventListener("change", later);
    this.form.addEventListener("submit", function () {
      clearTimeout(self._timer);
      self.save();
      var session = storage("session");
      if (session) session.setItem(SENT_KEY, JSON.stringify({ key: self.key, storage: self.storeKind, at: Date.now() }));
    });
  };

  function attach(form, options) {
    options = options || {};
    var draft = new Draft(form, {
      key: options.key || form.getAttribute("data-draft"),
      storage: options.storage || form.getAttribute("data-draft-storage") || "session",
      maxAgeMs: options.maxAgeMs,
      messages: options.messages || {
        restored: form.getAttribute("data-draft-restored"),
        discard: form.getAttribute("data-draft-discard"),
      },
    });
    draft.storeKind = options.storage || form.getAttribute("data-draft-storage") || "session";
    draft.restore();
    draft.listen();
    return draft;
  }

  // Was the last submission saved? A redirect answered it (Post/Redirect/Get);
  // a form shown again with its errors, the 500 page or the Back button did not.
  function settleLastSubmission() {
    var session = storage("session");
    if (!session) return;
    var sent;
    try { sent = JSON.parse(session.getItem(SENT_KEY) || "null"); } catch (e) { sent = null; }
    session.removeItem(SENT_KEY);
    if (!sent || Date.now() - sent.at > SENT_MAX_AGE_MS) return;
    if (document.querySelector("[data-drafts-keep]")) return;
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (nav && nav.type === "navigate" && nav.redirectCount > 0) {
      var store = storage(sent.storage);
      if (store) store.removeItem(sent.key);
    }
  }

  // A draft that carries the key of a report delivered some other way (the
  // offline queue's kept copy) was saved: restoring it would send it again.
  function forgetWith(name, value) {
    if (!value) return;
    ["session", "local"].forEach(function (kind) {
      var store = storage(kind);
      if (!store) return;
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (!key || key.indexOf(PREFIX) !== 0) continue;
        try {
          var record = JSON.parse(store.getItem(key) || "null");
          if (record && record.values && record.values[name] === value) store.removeItem(key);
        } catch (e) { /* not a draft of ours */ }
      }
    });
  }

  function init() {
    settleLastSubmission();
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      form.omavalvontaDraft = attach(form);
    });
    document.querySelectorAll("[data-history-back]").forEach(function (button) {
      button.addEventListener("click", function () { window.history.back(); });
    });
  }

  window.Omavalvonta = window.Omavalvonta || {};
  window.Omavalvonta.drafts = { attach: attach, collect: collect, fill: fill, storage: storage, forgetWith: forgetWith };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
