// The activity map's service worker: the next visit opens at once, and the finder
// still opens with no connection after one visit.
//
// What it keeps: the app's own files (its "shell"), one copy per build. What it never
// keeps: feeds (the app saves the last good copy of each itself, with its date, and
// says when it shows one: src/app/loader.rs; answering feeds here would hide that;
// for a tiled feed, its index and the latest of its files, the same way),
// map tiles (the OpenStreetMap tile policy forbids bulk or offline copies), the widget
// script (partner pages are never under this worker) and anything else. Those requests
// go to the network untouched.
//
// How a new build is taken up, without anyone being left on an old one:
// tests/tools/stamp-sw.mjs (a Trunk post-build hook) writes the build's files, their
// hashes and a version made from them into BUILD below, so any change to any file of
// the build changes this file's bytes, which is what browsers compare when they check
// for an update (on each visit, bypassing the HTTP cache: see the registration in
// index.html). A new worker downloads the whole new build beside the old one; a file
// that fails or does not match its hash fails the install, so the old build stays in
// use and the next visit tries again (the two are never mixed). Once installed it takes
// over at once (skipWaiting: waiting for every tab to close would keep a phone's
// home-screen app, rarely closed, on the old build for weeks) and deletes the old copy.
// The visit that found the update goes on with the build it started (its code is
// loaded by then); the next visit runs the new one.
//
// Unstamped (a debug build, or one without the hook), the worker keeps and answers
// nothing, and drops any copy an earlier stamped worker kept.
const BUILD = null; // stamped: { "version": "…", "files": { "path": "sha256-…" | null } }

const PREFIX = 'activity-map-shell-';
const SHELL = BUILD && PREFIX + BUILD.version;
// The app's folder: this file sits at its top (so that is also its scope).
const HOME = new URL('./', self.location.href);
const address = (path) => new URL(path, HOME).href;

self.addEventListener('install', (event) => {
  if (!BUILD) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await Promise.all(
        Object.entries(BUILD.files).map(async ([path, integrity]) => {
          // 'no-cache': revalidated with the host, never an old copy from the HTTP cache.
          // The page has no hash to check (some hosts add a line to HTML pages).
          const request = new Request(address(path), { cache: 'no-cache', integrity: integrity ?? '' });
          const response = await fetch(request);
          if (!response.ok) throw new Error(`${path}: ${response.status}`);
          await cache.put(address(path), await plain(response));
        }),
      );
    })().then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== SHELL) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const path = shellPath(event.request);
  if (!path) return; // Not ours to keep: the network answers, as without a worker.
  event.respondWith(
    (async () => {
      const kept = await caches.match(address(path), { cacheName: SHELL });
      return kept ?? fetch(event.request);
    })(),
  );
});

// The build's file a request asks for, if any. The page counts whatever its query
// (the finder's state lives in the link); other pages of the site are not ours.
function shellPath(request) {
  if (!BUILD || request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (url.origin !== HOME.origin || !url.pathname.startsWith(HOME.pathname)) return null;
  const path = url.pathname.slice(HOME.pathname.length) || 'index.html';
  return Object.hasOwn(BUILD.files, path) ? path : null;
}

// A copy that can answer a page load: a response that came through a redirect (some
// hosts send index.html on to its folder) cannot.
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}
