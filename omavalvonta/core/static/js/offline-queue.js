// The offline queue: a report written without a network waits on this device,
// encrypted, until it can be sent; it is never silently dropped.
//
// Markup: base.html's {% offline_queue %} (core/templatetags/offline.py) holds
// the indicator and the texts; a form opts in with data-offline-form
// (queued only when the browser is offline) or data-offline-form="always" (the
// offline page: always queued first, then sent). A <select> with
// data-offline-options-url is filled from JSON fetched while online and kept
// encrypted (the units one may report in). The sign-out form carries
// data-offline-signout.
//
// Storage: IndexedDB "omavalvonta-offline": "keys" (the signed-in person's AES-GCM
// key, a non-extractable CryptoKey from core/offline.py's queue_key, with an
// owner tag), "items" (the queued reports: their fields and files encrypted
// with that key, each with a random idempotency key as its id) and "data" (the
// forms' choices, encrypted). When another person signs in, the stored key is
// forgotten first: what the previous person queued stays unreadable until they
// sign in again. Signing out deletes the person's items and key (after a
// warning when something is still waiting).
//
// Sending: on every page load while online, when the connection returns, on
// "Send now" and on Background Sync (the service worker asks the open pages).
// The server accepts each idempotency key once, so a report sent twice (its
// first answer lost) is stored once. A refusal keeps the report with the
// server's reasons and opens it for correction; an ended session keeps it
// waiting until the person signs in again.
(function () {
  "use strict";

  var root = document.querySelector("[data-offline-queue]");
  if (!root || !window.indexedDB || !window.crypto || !window.crypto.subtle) return;

  var DB_NAME = "omavalvonta-offline";
  var NOTES_KEY = "omavalvonta.offline-notes";
  var OPTIONS_MAX_AGE_MS = 10 * 60 * 1000;
  var SYNC_TAG = "omavalvonta-queue";
  var pageOwner = root.getAttribute("data-owner") || "";
  var keyUrl = root.getAttribute("data-key-url");
  var swUrl = root.getAttribute("data-sw-url");
  var optionsUrls = (root.getAttribute("data-options-urls") || "").split(" ").filter(Boolean);
  var maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 10 * 1024 * 1024;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function text(name) { return root.getAttribute("data-text-" + name) || ""; }
  function $(selector) { return root.querySelector(selector); }

  // --- IndexedDB ---------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var d = open.result;
          d.createObjectStore("keys", { keyPath: "slot" });
          d.createObjectStore("items", { keyPath: "id" });
          d.createObjectStore("data", { keyPath: "id" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function op(storeName, mode, method, arg) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(storeName, mode);
        var store = tx.objectStore(storeName);
        var req = arg === undefined ? store[method]() : store[method](arg);
        tx.oncomplete = function () { resolve(req.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error || req.error); };
      });
    });
  }

  // --- The person's key --------------------------------------------------------------

  function bytesFromBase64(value) {
    var binary = atob(value);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function fetchKey() {
    return fetch(keyUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("key");
        return response.json();
      })
      .then(function (data) {
        return crypto.subtle.importKey("raw", bytesFromBase64(data.key), "AES-GCM", false, ["encrypt", "decrypt"])
          .then(function (key) {
            var record = { slot: "current", owner: data.owner, key: key };
            return op("keys", "readwrite", "put", record).then(function () { return record; });
          });
      });
  }

  // The key of whoever is signed in on this page; on an offline page (rendered
  // for nobody) the key kept for the device's last signed-in person.
  var keyPromise = null;
  function currentKey() {
    if (!keyPromise) {
      keyPromise = op("keys", "readonly", "get", "current").then(function (record) {
        if (!pageOwner) return record || null;
        if (record && record.owner === pageOwner) return record;
        return op("keys", "readwrite", "delete", "current").then(function () {
          return fetchKey().catch(function () { return null; });
        });
      }).catch(function () { return null; });
    }
    return keyPromise;
  }

  // --- Encryption --------------------------------------------------------------------

  function seal(key, bytes) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, bytes).then(function (data) {
      return { iv: iv, data: data };
    });
  }
  function unseal(key, box) { return crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, key, box.data); }
  function sealJson(key, value) { return seal(key, encoder.encode(JSON.stringify(value))); }
  function unsealJson(key, box) {
    return unseal(key, box).then(function (bytes) { return JSON.parse(decoder.decode(bytes)); });
  }

  // --- The queue ---------------------------------------------------------------------

  function mine() {
    return currentKey().then(function (k) {
      if (!k) return { key: null, items: [] };
      return op("items", "readonly", "getAll").then(function (all) {
        var items = all.filter(function (item) { return item.owner === k.owner; });
        items.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
        return {
          key: k,
          all: items,
          // A kept copy of a form posted online waits unseen unless its post was lost.
          items: items.filter(function (item) { return item.state !== "kept"; }),
        };
      });
    });
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function formFields(form) {
    var fields = [];
    var files = [];
    var problems = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      var type = (el.type || "").toLowerCase();
      if (type === "file") {
        Array.prototype.forEach.call(el.files || [], function (file) {
          if (file.size > maxBytes) {
            problems.push(text("too-large").replace("{name}", file.name).replace("{max}", String(Math.round(maxBytes / 1048576))));
          } else {
            files.push({ field: el.name, file: file });
          }
        });
        return;
      }
      if (type === "submit" || type === "button" || type === "reset") return;
      if ((type === "checkbox" || type === "radio") && !el.checked) return;
      if (el.name === "csrfmiddlewaretoken" || el.name === "submission_key") return;
      fields.push([el.name, el.value]);
    });
    return { fields: fields, files: files, problems: problems };
  }

  // Store the form's report in the queue (replacing `replaceId` when correcting one).
  function queueForm(form, replaceId, state) {
    return currentKey().then(function (k) {
      if (!k) throw new Error(text("no-key"));
      var collected = formFields(form);
      if (collected.problems.length) throw new Error(collected.problems.join(" "));
      var previous = replaceId ? op("items", "readonly", "get", replaceId) : Promise.resolve(null);
      return previous.then(function (old) {
        var kept = old && !collected.files.length
          ? unsealJson(k.key, old.payload).then(function (p) { return { meta: p.files, boxes: old.files }; })
          : Promise.all(collected.files.map(function (f) {
              return f.file.arrayBuffer().then(function (buffer) { return seal(k.key, buffer); });
            })).then(function (boxes) {
              return {
                meta: collected.files.map(function (f) {
                  return { field: f.field, name: f.file.name, type: f.file.type || "application/octet-stream" };
                }),
                boxes: boxes,
              };
            });
        return kept.then(function (files) {
          var payload = {
            url: form.action,
            label: form.getAttribute("data-offline-label") || "",
            fields: collected.fields,
            files: files.meta,
          };
          return sealJson(k.key, payload).then(function (box) {
            return op("items", "readwrite", "put", {
              id: replaceId || newId(),
              owner: k.owner,
              state: state || "waiting",
              reasons: [],
              queuedAt: old ? old.queuedAt : Date.now(),
              formUrl: form.getAttribute("data-offline-form-url") || "",
              payload: box,
              files: files.boxes,
            });
          });
        });
      });
    });
  }

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function mark(item, state, reasons) {
    item.state = state;
    item.reasons = reasons;
    return op("items", "readwrite", "put", item);
  }

  function sendOne(k, item) {
    return unsealJson(k.key, item.payload).then(function (payload) {
      return Promise.all(item.files.map(function (box) { return unseal(k.key, box); })).then(function (buffers) {
        var body = new FormData();
        payload.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
        payload.files.forEach(function (meta, i) {
          body.append(meta.field, new Blob([buffers[i]], { type: meta.type }), meta.name);
        });
        var token = csrfToken();
        body.set("csrfmiddlewaretoken", token);
        body.set("submission_key", item.id);
        return fetch(payload.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token },
        });
      });
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) {
        // Sent to the sign-in page, or a CSRF refusal of an old cookie: the
        // person must sign in again. Another refusal (gone, not theirs) is kept
        // with it; a server error is tried again later.
        if (response.redirected || response.status === 403) return mark(item, "waiting", [text("session")]);
        if (response.status >= 400 && response.status < 500) return mark(item, "refused", [text("refused") + " " + response.status]);
        return mark(item, "waiting", [text("network")]);
      }
      return response.json().then(function (data) {
        if (data.status === "created" || data.status === "exists") {
          return op("items", "readwrite", "delete", item.id).then(function () {
            // A draft restored with this key would be the same report again.
            var drafts = window.Omavalvonta && window.Omavalvonta.drafts;
            if (drafts && drafts.forgetWith) drafts.forgetWith("submission_key", item.id);
            // The post the copy was kept for arrived: nothing to tell.
            if (!(item.state === "kept" && data.status === "exists")) note(data);
          });
        }
        var reasons = [data.message || text("refused")];
        Object.keys(data.errors || {}).forEach(function (name) {
          var error = data.errors[name];
          var label = error.label ? error.label + (/[?!.:]$/.test(error.label) ? " " : ": ") : "";
          reasons.push(label + error.messages.join(" "));
        });
        return mark(item, "refused", reasons);
      });
    }, function (error) {
      if (window.console) console.warn("offline queue: send failed", error);
      return mark(item, "waiting", [text("network")]);
    });
  }

  var sending = null;
  function sendAll() {
    if (sending) return sending;
    sending = mine().then(function (m) {
      var waiting = m.all.filter(function (item) { return item.state === "waiting" || item.state === "kept"; });
      if (m.items.some(function (item) { return item.state === "waiting"; })) status(text("sending"), true);
      return waiting.reduce(function (chain, item) {
        return chain.then(function () { return sendOne(m.key, item); });
      }, Promise.resolve());
    }).catch(function () { /* shown on the next render */ }).then(function () {
      sending = null;
      if (transient === text("sending")) transient = "";
      return render();
    });
    return sending;
  }

  function clearMine() {
    return mine().then(function (m) {
      var owner = m.key && m.key.owner;
      var deletions = m.all.map(function (item) { return op("items", "readwrite", "delete", item.id); });
      return Promise.all(deletions).then(function () {
        return op("data", "readonly", "getAll");
      }).then(function (records) {
        return Promise.all(records.filter(function (r) { return r.owner === owner; }).map(function (r) {
          return op("data", "readwrite", "delete", r.id);
        }));
      }).then(function () { return op("keys", "readwrite", "delete", "current"); });
    });
  }

  // --- What the page shows ---------------------------------------------------------------

  function readNotes() {
    try { return JSON.parse(window.sessionStorage.getItem(NOTES_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeNotes(notes) {
    try { window.sessionStorage.setItem(NOTES_KEY, JSON.stringify(notes)); } catch (e) { /* shown once */ }
  }

  // A sent report's note stays until closed: an anonymous report's follow-up
  // code is shown only here.
  function note(data) {
    var lines = [data.message];
    if (data.code) lines.push(text("code").replace("{code}", data.code));
    var notes = readNotes();
    notes.push(lines);
    writeNotes(notes);
  }

  var transient = "";
  function status(message, quiet) {
    transient = message;
    if (!quiet) render();
    else paintStatus();
  }

  function paintStatus() {
    var box = $("[data-offline-status]");
    box.textContent = "";
    readNotes().forEach(function (lines, index) {
      var p = document.createElement("p");
      p.className = "offline-queue__note";
      var words = document.createElement("span");
      lines.forEach(function (line, i) {
        if (i) words.appendChild(document.createElement("br"));
        words.appendChild(document.createTextNode(line));
      });
      p.appendChild(words);
      p.appendChild(button(text("dismiss"), "link-button", function () {
        var notes = readNotes();
        notes.splice(index, 1);
        writeNotes(notes);
        render();
      }));
      box.appendChild(p);
    });
    if (transient) {
      var p = document.createElement("p");
      p.textContent = transient;
      box.appendChild(p);
    }
  }

  function button(label, className, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function itemTime(ms) {
    var lang = document.documentElement.lang || "fi";
    try {
      return new Date(ms).toLocaleString(lang, { day: "numeric", month: "numeric", hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return new Date(ms).toLocaleString();
    }
  }

  function itemRow(item, label) {
    var li = document.createElement("li");
    li.setAttribute("data-offline-item", item.id);
    li.setAttribute("data-state", item.state);
    if (item.state === "refused") li.className = "is-refused";
    var title = document.createElement("strong");
    var saved = text("item").replace("{time}", itemTime(item.queuedAt));
    title.textContent = label ? label + ", " + saved : saved.charAt(0).toUpperCase() + saved.slice(1);
    li.appendChild(title);
    (item.reasons || []).forEach(function (reason) {
      var p = document.createElement("p");
      p.className = "offline-queue__reason";
      p.textContent = reason;
      li.appendChild(p);
    });
    var actions = document.createElement("div");
    actions.className = "offline-queue__actions";
    if (item.state === "refused" && item.formUrl) {
      var fix = document.createElement("a");
      fix.className = "btn btn--small";
      fix.href = item.formUrl + "#jono=" + encodeURIComponent(item.id);
      fix.textContent = text("fix");
      fix.setAttribute("data-offline-fix", "");
      actions.appendChild(fix);
    }
    actions.appendChild(button(text("remove"), "btn btn--small btn--secondary", function () {
      if (!window.confirm(text("remove-confirm"))) return;
      op("items", "readwrite", "delete", item.id).then(render);
    }));
    li.appendChild(actions);
    return li;
  }

  function render() {
    return mine().then(function (m) {
      return Promise.all(m.items.map(function (item) {
        return unsealJson(m.key.key, item.payload).then(function (p) { return p.label; }, function () { return ""; });
      })).then(function (labels) {
        var count = m.items.length;
        var network = $("[data-offline-network]");
        network.textContent = text("offline");
        network.hidden = navigator.onLine;
        $("[data-offline-bar]").hidden = count === 0;
        $("[data-offline-count]").textContent = text(count === 1 ? "count-one" : "count-many").replace("{n}", String(count));
        $("[data-offline-send]").disabled = !navigator.onLine;
        var list = $("[data-offline-list]");
        list.textContent = "";
        m.items.forEach(function (item, i) { list.appendChild(itemRow(item, labels[i])); });
        paintStatus();
        root.setAttribute("data-count", String(count));
        root.hidden = network.hidden && !count && !readNotes().length && !transient;
        return count;
      });
    }).catch(function () { return 0; });
  }

  // --- Forms -----------------------------------------------------------------------------

  function localNow() {
    var d = new Date();
    d.setSeconds(0, 0);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }

  function setNow(form) {
    form.querySelectorAll("input[type=datetime-local][data-offline-now]").forEach(function (input) {
      input.value = localNow();
    });
  }

  function refreshOptions(k) {
    optionsUrls.forEach(function (url) {
      var id = k.owner + " " + url;
      op("data", "readonly", "get", id).then(function (record) {
        if (record && Date.now() - record.fetchedAt < OPTIONS_MAX_AGE_MS) return;
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok && !response.redirected ? response.json() : null; })
          .then(function (data) {
            if (!data) return;
            return sealJson(k.key, data).then(function (box) {
              return op("data", "readwrite", "put", { id: id, owner: k.owner, fetchedAt: Date.now(), box: box });
            });
          });
      }).catch(function () { /* fetched on the next page */ });
    });
  }

  function fillOptions(form) {
    var selects = form.querySelectorAll("select[data-offline-options-url]");
    if (!selects.length) return Promise.resolve();
    return currentKey().then(function (k) {
      if (!k) { status(text("no-key")); return; }
      return Promise.all(Array.prototype.map.call(selects, function (select) {
        var url = select.getAttribute("data-offline-options-url");
        return op("data", "readonly", "get", k.owner + " " + url).then(function (record) {
          if (!record) return null;
          return unsealJson(k.key, record.box);
        }).then(function (data) {
          if (!data) return;
          data.choices.forEach(function (choice) {
            var option = document.createElement("option");
            option.value = String(choice[0]);
            option.textContent = choice[1];
            if (String(choice[0]) === String(data.initial)) option.selected = true;
            select.appendChild(option);
          });
        });
      }));
    });
  }

  // Put a queued report back into its form for correction.
  function loadForCorrection(form, id) {
    return currentKey().then(function (k) {
      if (!k) return null;
      return op("items", "readonly", "get", id).then(function (item) {
        if (!item || item.owner !== k.owner) return null;
        return unsealJson(k.key, item.payload).then(function (payload) {
          var values = {};
          Array.prototype.forEach.call(form.elements, function (el) {
            var type = (el.type || "").toLowerCase();
            if (el.name && (type === "checkbox" || type === "radio")) values[el.name] = [];
          });
          payload.fields.forEach(function (pair) {
            if (Array.isArray(values[pair[0]])) values[pair[0]].push(pair[1]);
            else values[pair[0]] = pair[1];
          });
          Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || !(el.name in values)) return;
            var type = (el.type || "").toLowerCase();
            var value = values[el.name];
            if (type === "checkbox" || type === "radio") el.checked = value.indexOf(el.value) >= 0;
            else if (type !== "file" && type !== "hidden") el.value = value;
            el.dispatchEvent(new Event("change", { bubbles: true }));
          });
          var notes = [text("fixing")];
          if (payload.files.length) notes.push(text("kept-files").replace("{n}", String(payload.files.length)));
          var p = document.createElement("p");
          p.className = "alert alert--warning";
          p.setAttribute("data-offline-fixing", "");
          p.textContent = notes.join(" ");
          form.insertBefore(p, form.firstChild);
          (item.reasons || []).forEach(function (reason) {
            var r = document.createElement("p");
            r.className = "offline-queue__reason";
            r.textContent = reason;
            p.appendChild(document.createElement("br"));
            p.appendChild(r);
          });
          return item.id;
        });
      });
    }).catch(function () { return null; });
  }

  function attachForm(form) {
    var always = form.getAttribute("data-offline-form") === "always";
    var fixing = null;
    var ready = fillOptions(form).then(function () {
      if (always) setNow(form);
      var match = /#jono=([\w-]+)/.exec(window.location.hash);
      if (!match) return;
      return loadForCorrection(form, decodeURIComponent(match[1])).then(function (id) { fixing = id; });
    });
    form.addEventListener("submit", function (event) {
      if (!always && navigator.onLine) {
        if (form.hasAttribute("data-offline-keep")) keepCopyAndPost(form, event);
        return; // the usual post, with the server's own answer
      }
      event.preventDefault();
      ready.then(function () { return queueForm(form, fixing); }).then(function () {
        if (form.omavalvontaDraft) form.omavalvontaDraft.clear();
        fixing = null;
        var banner = form.querySelector("[data-offline-fixing]");
        if (banner) banner.remove();
        if (window.location.hash) history.replaceState(null, "", window.location.pathname);
        form.reset();
        setNow(form);
        transient = text("queued");
        window.scrollTo(0, 0);
        if (navigator.onLine) return sendAll();
        requestSync();
        return render();
      }, function (error) {
        status(error.message || text("no-key"));
        window.scrollTo(0, 0);
      });
    });
  }

  // A form posted online (data-offline-keep) keeps an encrypted copy under the
  // idempotency key it posts: when the post is lost on a bad network the copy is
  // sent later; when it arrives the copy's send is answered "already there" and
  // the copy goes. A form shown again with the server's errors drops its copy
  // (the person corrects the form itself). A draft restored after a lost post
  // brings the key back with the text, so sending it again is the same report.
  function keepCopyAndPost(form, event) {
    var keyInput = form.querySelector("input[name=submission_key]");
    if (!keyInput || form.hasAttribute("data-offline-kept")) return;
    event.preventDefault();
    function post() {
      form.setAttribute("data-offline-kept", "");
      form.submit();
    }
    queueForm(form, keyInput.value || null, "kept").then(function (id) {
      keyInput.value = id;
      // The draft (saved as the form was sent) keeps this key too: a report
      // sent again from a restored draft is then the same report as the kept
      // copy, and the server stores it once.
      if (form.omavalvontaDraft) form.omavalvontaDraft.save();
    }).then(post, post);
  }

  function dropCorrectedCopies() {
    var ids = [];
    // The key the server put back (not one a restored draft brought).
    document.querySelectorAll("form[data-offline-keep] input[name=submission_key]").forEach(function (input) {
      if (input.getAttribute("value")) ids.push(input.getAttribute("value"));
    });
    return Promise.all(ids.map(function (id) { return op("items", "readwrite", "delete", id); }));
  }

  // --- Service worker, network and sign-out --------------------------------------------

  function requestSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
    }).catch(function () { /* sent on the next page load or "Send now" */ });
  }

  function guardSignOut(form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-offline-cleared")) return;
      event.preventDefault();
      function leave() {
        form.setAttribute("data-offline-cleared", "");
        form.submit();
      }
      mine().then(function (m) {
        var count = m.items.length;
        if (count && !window.confirm(text(count === 1 ? "confirm-one" : "confirm-many").replace("{n}", String(count)))) return;
        writeNotes([]);
        return clearMine().then(leave, leave);
      }, leave);
    });
  }

  function init() {
    document.querySelectorAll("form[data-offline-signout]").forEach(guardSignOut);
    document.querySelectorAll("form[data-offline-form]").forEach(attachForm);
    $("[data-offline-send]").addEventListener("click", function () { sendAll(); });
    window.addEventListener("online", function () { sendAll(); });
    window.addEventListener("offline", function () { render(); });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "omavalvonta-queue-send") sendAll();
      });
      if (pageOwner) navigator.serviceWorker.register(swUrl, { scope: "/" }).catch(function () { /* no offline pages */ });
    }
    currentKey().then(function (k) {
      if (k && pageOwner && navigator.onLine) refreshOptions(k);
    });
    dropCorrectedCopies().catch(function () { /* none kept */ }).then(function () {
      if (navigator.onLine) sendAll();
      else render();
    });
  }

  window.Omavalvonta = window.Omavalvonta || {};
  window.Omavalvonta.offlineQueue = { sendAll: sendAll, render: render, count: function () { return render(); } };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
