// Opens the first view's map and asks for its tiles as soon as Leaflet is here, while
// the app's own code (the wasm) is still downloading. The tiles are usually the page's
// largest paint, and on a slow phone connection the wasm arrives a second or more after
// Leaflet: without this, the tiles waited for it (BENCHMARKS.md, issue 15's notes).
//
// Where it opens, by the same rule as the app's `Opening::find`
// (src/app/map_view/opening.rs), in the same order:
//   1. the link's `map=lat,lng,zoom`;
//   2. the feed's area as this device last read it (`activity-map:feed-areas`);
//   3. the app's own sample feed's area (`sample_feed::BOUNDS`);
//   4. otherwise England (the app's `START`), until the whole feed is read and the map
//      opens on its pins (`FirstMap::settle`). Those tiles cost the feed's first pins
//      some of the connection, but the person sees a map a second or two sooner
//      (BENCHMARKS.md, the Lighthouse notes of 2026-12-03).
//
// The map is the first view's still map (`FirstMap::open`, src/app/map_view/first.rs,
// which takes it over from `window.activityMapEarlyMap` and sets its view again by its
// own rule, so a difference here costs tiles, never a wrong place). The constants below
// are the app's: tests/sample_feed.rs checks the sample's area against the Rust, and
// tests/browser/opening.spec.ts that this map opens where the app's does.
(function () {
  var q = new URLSearchParams(location.search);
  if (q.has('builder')) return;
  var el = document.getElementById('am-first-map');
  var L = window.L;
  if (!el || !L || !L.map) return;

  var SAMPLE = [50.3747, -4.1404, 54.9885, 1.7392]; // south, west, north, east
  var START = [52.8, -1.6, 6]; // England: lat, lng, zoom
  var AREAS_KEY = 'activity-map:feed-areas';
  var KEPT = 8;
  var MAX_ZOOM = 22;
  var FOCUS_ZOOM = 15;
  var TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
  var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

  // A number as the app reads one from a link: a plain decimal, finite.
  var number = function (s) {
    s = String(s).trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    var n = Number(s);
    return isFinite(n) ? n : null;
  };
  var round = function (v, places) {
    var k = Math.pow(10, places);
    return Math.round(v * k) / k;
  };

  // 1. The link's view.
  var view = null;
  var text = q.get('map');
  if (text !== null) {
    var parts = text.split(',');
    if (parts.length === 3) {
      var lat = number(parts[0]);
      var lng = number(parts[1]);
      var zoom = number(parts[2]);
      if (lat !== null && lng !== null && zoom !== null) {
        lat = round(lat, 5);
        lng = round(lng, 5);
        zoom = round(zoom, 1);
        if (lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 && zoom >= 0 && zoom <= MAX_ZOOM) {
          view = [lat, lng, zoom];
        }
      }
    }
  }

  // 2. The feed's area as last read here, 3. the sample's.
  var area = null;
  var feed = q.get('feed');
  if (!view) {
    var kept = null;
    try {
      kept = localStorage.getItem(AREAS_KEY);
    } catch (e) {
      kept = null; // Storage turned off: nothing was kept.
    }
    var lines = kept ? kept.split(/\r?\n/) : [];
    var read = 0;
    for (var i = 0; i < lines.length && read < KEPT && !area; i++) {
      var m = /^(\S+) (\S+) (\S+) (\S+)(?: (.*))?$/.exec(lines[i]);
      if (!m) continue;
      var b = [number(m[1]), number(m[2]), number(m[3]), number(m[4])];
      if (b.indexOf(null) >= 0 || b[0] > b[2] || b[1] > b[3]) continue;
      read++;
      if ((m[5] || '') === (feed === null ? '' : feed)) area = b;
    }
    if (!area && feed === null) area = SAMPLE;
  }
  if (!view && !area) view = START;

  var map = L.map(el, {
    zoomControl: false,
    dragging: false,
    touchZoom: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
    maxZoom: 19,
  });
  var early = { map: map, tiles: false };
  window.activityMapEarlyMap = early;
  // Where it looks, then its tiles, each in a task of its own: creating the map lays
  // out the page, placing it measures the map's box, and the tiles' elements are most
  // of what the map adds to the page (on a phone's slow CPU, together they made one
  // long task: BENCHMARKS.md).
  setTimeout(function () {
    if (window.activityMapEarlyMap !== early) return; // The app took the map first.
    place();
    setTimeout(function () {
      if (window.activityMapEarlyMap !== early) return;
      L.tileLayer(q.get('tiles') || TILES, { attribution: ATTRIBUTION, maxZoom: 19 }).addTo(map);
      early.tiles = true;
    }, 0);
  }, 0);

  function place() {
    if (view) {
      map.setView([view[0], view[1]], view[2]);
    } else {
      // Clear of the phone's list sheet, as the app opens on an area (`map::open_on`).
      var panel = el.closest('.am-first-main');
      panel = panel && panel.querySelector('.am-first-panel');
      var below = 0;
      if (panel && panel.parentElement && panel.offsetWidth >= panel.parentElement.clientWidth - 8) {
        below = panel.offsetHeight;
      }
      map.fitBounds(
        [
          [area[0], area[1]],
          [area[2], area[3]],
        ],
        { paddingTopLeft: [24, 24], paddingBottomRight: [24, 24 + below], maxZoom: FOCUS_ZOOM, animate: false }
      );
    }
  }
})();
