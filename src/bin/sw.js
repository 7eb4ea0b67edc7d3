// Segmenta's service worker: keeps a copy of the app's own files so that a second visit
// works without a network. It only ever handles GETs of this site's files (the page makes
// no other requests, and none at all once data is loaded), so it never sees customer data.
//
// Network first, cache as fallback: online visits always get the files just deployed
// (their names carry no hash), offline visits get the last ones seen.
const CACHE = 'segmenta';
const FILES = [
  './',
  './index.html',
  './app-loader.js',
  './segmenta-app.js',
  './segmenta-app_bg.wasm',
  './worker-loader.js',
  './segmenta-worker.js',
  './segmenta-worker_bg.wasm',
  './main.css',
  './favicon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
