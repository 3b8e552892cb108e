// The part both anchor pages share, in plain JS: read ?feed= and ?tiles=, build the
// layout's controls (search box, one checkbox per category, a list of the first 60
// results), fetch and parse the feed, filter on every input, and call the page's
// clustering engine. Marks the same performance points as the app:
//   am-feed-ready  feed fetched, parsed and indexed (the engine says when its index is built)
//   am-drawn       after every redraw of the map marks
// The controls carry the app's data-testid hooks, so the benchmark drives every page alike.
(function () {
  'use strict';
  var CATEGORIES = {
    green: ['Green & outdoors', '#2e7d32'],
    parkrun: ['parkrun', '#c2410c'],
    heritage: ['Heritage & culture', '#6d28d9'],
    hub: ['Community hubs', '#0369a1'],
  };
  var LIST_ROWS = 60;
  var START = [52.8, -1.6, 6];
  var FOCUS_ZOOM = 15;

  window.startAnchor = function (engine) {
    var q = new URLSearchParams(location.search);
    var feedUrl = q.get('feed') || '/bench/feeds/feed-1000.json';
    var tiles = q.get('tiles') || '/tiles/{z}/{x}/{y}.png';

    var map = L.map('map', { zoomControl: true, maxZoom: 19 }).setView([START[0], START[1]], START[2]);
    L.tileLayer(tiles, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);

    var panel = document.getElementById('panel');
    var search = document.getElementById('q');
    var catsBox = document.getElementById('cats');
    var countEl = document.getElementById('count');
    var listEl = document.getElementById('list');
    var chosen = {};
    var acts = [];

    function mark(name) { performance.mark(name); }
    function drawn() { mark('am-drawn'); }

    function filtered() {
      var anyCat = Object.keys(chosen).some(function (k) { return chosen[k]; });
      var needle = search.value.trim().toLowerCase();
      var out = [];
      for (var i = 0; i < acts.length; i++) {
        var a = acts[i];
        if (anyCat && !chosen[a.category]) continue;
        if (needle && a.hay.indexOf(needle) < 0) continue;
        out.push(i);
      }
      return out;
    }

    function renderList(idx) {
      countEl.textContent = idx.length === 1 ? '1 activity' : idx.length + ' activities';
      var frag = document.createDocumentFragment();
      for (var k = 0; k < idx.length && k < LIST_ROWS; k++) {
        var a = acts[idx[k]];
        var li = document.createElement('li');
        var name = document.createElement('span');
        name.className = 'an-name';
        name.textContent = a.name;
        var meta = document.createElement('span');
        meta.className = 'an-meta';
        meta.textContent = a.label + (a.place ? ' · ' + a.place : '');
        li.appendChild(name);
        li.appendChild(meta);
        frag.appendChild(li);
      }
      listEl.replaceChildren(frag);
    }

    function refilter() {
      var idx = filtered();
      renderList(idx);
      engine.show(idx, null, drawn);
    }

    function buildCategories() {
      var seen = {};
      acts.forEach(function (a) { seen[a.category] = true; });
      var order = Object.keys(CATEGORIES).filter(function (id) { return seen[id]; });
      Object.keys(seen).forEach(function (id) { if (!CATEGORIES[id]) order.push(id); });
      order.forEach(function (id) {
        var label = document.createElement('label');
        label.className = 'an-cat';
        label.setAttribute('data-testid', 'filter-cat-' + id);
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.addEventListener('change', function () { chosen[id] = box.checked; refilter(); });
        var dot = document.createElement('span');
        dot.className = 'an-dot';
        dot.style.backgroundColor = (CATEGORIES[id] || [id, '#475569'])[1];
        var text = document.createElement('span');
        text.textContent = (CATEGORIES[id] || [id])[0];
        label.appendChild(box);
        label.appendChild(dot);
        label.appendChild(text);
        catsBox.appendChild(label);
      });
    }

    search.addEventListener('input', refilter);

    fetch(feedUrl)
      .then(function (r) {
        if (!r.ok) throw new Error('feed: HTTP ' + r.status);
        return r.json();
      })
      .then(function (doc) {
        var south = 90, west = 180, north = -90, east = -180;
        (doc.activities || []).forEach(function (a) {
          var loc = a.location || {};
          if (typeof loc.lat !== 'number' || typeof loc.lng !== 'number') return;
          var cat = CATEGORIES[a.category] || [a.category, '#475569'];
          acts.push({
            id: a.id, name: a.name, category: a.category, label: cat[0], colour: cat[1],
            lat: loc.lat, lng: loc.lng, place: loc.place || loc.address || '',
            hay: (a.name + ' ' + (a.description || '')).toLowerCase(),
          });
          if (loc.lat < south) south = loc.lat;
          if (loc.lat > north) north = loc.lat;
          if (loc.lng < west) west = loc.lng;
          if (loc.lng > east) east = loc.lng;
        });
        buildCategories();
        // Open on the feed's pins, clear of the list sheet, like the app.
        if (acts.length) {
          map.fitBounds([[south, west], [north, east]], {
            paddingTopLeft: [24, 24], paddingBottomRight: [24, 24 + panel.offsetHeight], maxZoom: FOCUS_ZOOM, animate: false,
          });
        }
        engine.init(map, acts, drawn);
        var idx = filtered();
        renderList(idx);
        engine.show(idx, function () { mark('am-feed-ready'); }, drawn);
      })
      .catch(function (e) {
        countEl.textContent = 'Could not load the feed: ' + e.message;
        throw e;
      });

    window.anchorMap = map;
  };
})();
