// Omavalvonta's service worker, served at /sw.js by core/offline.py.
//
// What it keeps (one cache per release; a new release deletes the old cache):
// the static files and the offline pages the areas register, which are rendered
// for nobody and carry a header saying so. Nothing else is ever stored: pages
// with personal data, signed-out pages, JSON and every POST go to the network
// only. When the network is down, a page that has an offline stand-in (the
// report form) gets it, and any other page gets the offline shell.
"use strict";

var CONFIG = {{ config|safe }};

function samePath(url) {
  return new URL(url, self.location.href).pathname;
}

function isStatic(path) {
  return path.indexOf(CONFIG.staticUrl) === 0;
}

// Only a page that says it is an offline page, answered directly (not a
// redirect to the sign-in page), and static files are kept.
function keepable(path, response) {
  if (!response || !response.ok || response.redirected || response.type !== "basic") return false;
  if (isStatic(path)) return true;
  return CONFIG.offlinePages.indexOf(path) >= 0 && response.headers.get(CONFIG.header) === "1";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CONFIG.cacheName).then(function (cache) {
      return Promise.all(CONFIG.precache.map(function (url) {
        return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
          if (keepable(samePath(url), response)) return cache.put(url, response);
        }).catch(function () { /* kept on the next release or visit */ });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CONFIG.cachePrefix) === 0 && name !== CONFIG.cacheName;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromCache(path) {
  return caches.open(CONFIG.cacheName).then(function (cache) { return cache.match(path); });
}

function offlineStandIn(path) {
  var standIn = CONFIG.fallbacks[path] || (CONFIG.offlinePages.indexOf(path) >= 0 ? path : CONFIG.shell);
  return fromCache(standIn).then(function (response) {
    return response || fromCache(CONFIG.shell);
  }).then(function (response) {
    return response || new Response("", { status: 503, statusText: "Offline" });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  if (isStatic(path)) {
    event.respondWith(
      fromCache(path).then(function (cached) {
        return cached || fetch(request).then(function (response) {
          if (keepable(path, response)) {
            var copy = response.clone();
            caches.open(CONFIG.cacheName).then(function (cache) { cache.put(path, copy); });
          }
          return response;
        });
      })
    );
  } else if (request.mode === "navigate") {
    // The network first and only; the stand-in when it is down.
    event.respondWith(fetch(request).catch(function () { return offlineStandIn(path); }));
  }
});

// Background Sync: the pages send their queue (they hold the person's key).
self.addEventListener("sync", function (event) {
  if (event.tag !== "omavalvonta-queue") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "omavalvonta-queue-send" }); });
    })
  );
});
