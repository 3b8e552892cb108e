// Anchor 1: Leaflet + Leaflet.markercluster (from npm), one DOM marker per activity
// (a divIcon per category, like the app's pins), clustered by L.markerClusterGroup
// with chunkedLoading. A filter change clears the group and adds the matching markers
// again, which rebuilds markercluster's index; its first display happens when the last
// chunk is in, which is when the engine reports both "indexed" and "drawn".
(function () {
  'use strict';
  var group, markers, pending = null;
  startAnchor({
    init: function (map, acts) {
      var icons = {};
      markers = acts.map(function (a, i) {
        var icon = icons[a.category] || (icons[a.category] = L.divIcon({
          className: 'an-pin-icon', iconSize: [30, 30], iconAnchor: [15, 15],
          html: '<span class="an-pin" style="background-color:' + a.colour + '"></span>',
        }));
        var m = L.marker([a.lat, a.lng], { icon: icon, keyboard: true, riseOnHover: true, title: a.name });
        m.anIndex = i;
        return m;
      });
      group = L.markerClusterGroup({
        chunkedLoading: true,
        maxClusterRadius: 56, // the app's CELL_PX
        disableClusteringAtZoom: 16, // the app's MAX_CLUSTER_ZOOM
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: false,
        chunkProgress: function (done, total) {
          if (done === total && pending) {
            var p = pending;
            pending = null;
            if (p.indexed) p.indexed();
            p.drawn();
          }
        },
      });
      map.addLayer(group);
    },
    show: function (idx, indexed, drawn) {
      pending = { indexed: indexed, drawn: drawn };
      group.clearLayers();
      group.addLayers(idx.map(function (i) { return markers[i]; }));
    },
  });
})();
