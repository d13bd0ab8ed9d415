// The simulator's service worker: after the first visit the app loads and works
// offline, reload included. On install it keeps the page and every file it names
// (the content-hashed script, wasm, style and icon); afterwards the page and its
// files come from the network when it answers and from the cache when it does not.
const CACHE = "wasmtp-web";

async function keepTheApp() {
  const cache = await caches.open(CACHE);
  const page = await fetch("./", { cache: "no-cache" });
  const html = await page.clone().text();
  await cache.put("./", page);
  const files = new Set();
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"](\/[^'"]+)['"]/g)) {
    files.add(match[1]);
  }
  await cache.addAll([...files]);
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepTheApp().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // The app's own files only; the edge's API is always live.
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  const key = event.request.mode === "navigate" ? "./" : event.request;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      })
      .catch(() => caches.match(key, { ignoreSearch: true }).then((cached) => cached || Response.error())),
  );
});
