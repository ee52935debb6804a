// The trader app's service worker. The server puts three constants before this text:
//   VERSION     a digest of the app's files. A new digest is a new version of the app.
//   SHELL_URL   the page that every screen shares.
//   SHELL_FILES every file the app needs, the page included.
// Calls to the voucher service (on another host) pass straight through: they are never cached.

const CACHE_PREFIX = "arc-trader-app-";
const CACHE_NAME = CACHE_PREFIX + VERSION;

// Fetch a fresh copy of every file, past the browser's HTTP cache, then take over at once: the
// trader should not have to close every tab before a fix reaches them.
self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE_NAME);
    await cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

// Remove the files of older versions, then control the open pages (they reload when it is safe).
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

// Offline first: screens and files come from the cache; the network is used only for anything
// the cache lacks.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE_NAME);
      const shell = await cache.match(SHELL_URL);
      return shell || fetch(request);
    })());
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE_NAME);
    return (await cache.match(request, { ignoreSearch: true })) || fetch(request);
  })());
});
