// Anchor 2: Leaflet + supercluster (from npm). The matching activities are loaded into
// a supercluster index (rebuilt on every filter change); each view asks it for the
// clusters in the view, drawn as DOM divIcons like the app's, and single activities
// as L.circleMarker on one canvas renderer.
(function () {
  'use strict';
  var map, acts, index, renderer, clusters, points, onDrawn;

  function draw() {
    if (!index) return;
    var b = map.getBounds().pad(0.2); // the app pads its view by 20% too
    var zoom = map.getZoom();
    var found = index.getClusters([Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()),
      Math.min(180, b.getEast()), Math.min(85, b.getNorth())], zoom);
    clusters.clearLayers();
    points.clearLayers();
    for (var k = 0; k < found.length; k++) {
      var f = found[k];
      var c = f.geometry.coordinates;
      if (f.properties.cluster) {
        var n = f.properties.point_count;
        var size = n < 10 ? 36 : n < 100 ? 42 : 50;
        var m = L.marker([c[1], c[0]], {
          icon: L.divIcon({ className: 'an-cluster-icon', iconSize: [size, size], html: '<span class="an-cluster">' + n + '</span>' }),
          keyboard: true,
        });
        m.anCluster = f.properties.cluster_id;
        clusters.addLayer(m);
      } else {
        var a = acts[f.properties.i];
        points.addLayer(L.circleMarker([c[1], c[0]], {
          renderer: renderer, radius: 12, color: '#ffffff', weight: 3, fillColor: a.colour, fillOpacity: 1,
        }));
      }
    }
    if (onDrawn) onDrawn();
  }

  startAnchor({
    init: function (m, a, drawn) {
      map = m;
      acts = a;
      onDrawn = drawn;
      renderer = L.canvas({ padding: 0.2 });
      clusters = L.layerGroup().addTo(map);
      points = L.layerGroup().addTo(map);
      clusters.on('click', function (e) {
        var id = e.layer.anCluster;
        if (id === undefined) return;
        map.setView(e.layer.getLatLng(), Math.min(index.getClusterExpansionZoom(id), 19));
      });
      map.on('moveend', draw);
    },
    show: function (idx, indexed, drawn) {
      var features = new Array(idx.length);
      for (var k = 0; k < idx.length; k++) {
        var a = acts[idx[k]];
        features[k] = { type: 'Feature', properties: { i: idx[k] }, geometry: { type: 'Point', coordinates: [a.lng, a.lat] } };
      }
      // radius and extent in the app's terms: 56 px cells on 256 px tiles, every pin alone from zoom 16.
      index = new Supercluster({ radius: 56, extent: 256, maxZoom: 15, minPoints: 2 });
      index.load(features);
      if (indexed) indexed();
      onDrawn = drawn;
      draw();
    },
  });
})();
