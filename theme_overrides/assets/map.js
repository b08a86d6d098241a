/* The archive's map (generator/mkdocs_plugin/map.py writes its data): country outlines from
   Natural Earth (world-atlas), clustered markers; a marker opens the newest articles there.
   Names and titles are data: they reach the page through textContent only. */
(function () {
  "use strict";
  var el = document.getElementById("archive-map");
  if (!el || !window.L) return;
  var base = el.getAttribute("data-base");
  // Zoom 1 is 512 px wide: on a 390 px phone fitBounds stopped there, with the Americas or Australia
  // off the map. A quarter step lets it fit the world the markers span.
  var map = L.map(el, { worldCopyJump: true, minZoom: 0, maxZoom: 12, zoomSnap: 0.25 });
  // Leaflet makes the map a Tab stop (arrow keys pan it) with no name: a screen reader said "group".
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", "Map of the archive's places: arrow keys pan, + and - zoom; the Locations page lists them");
  map.setView([30, 20], 2);
  var tiles = el.getAttribute("data-tiles");
  if (tiles) L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
  function json(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.json(); }); }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(href) ? "#" : base + href;
    a.textContent = text;
    return a;
  }
  function popup(row) {
    var box = document.createElement("div");
    box.className = "archive-map-popup";
    var h = document.createElement("strong");
    h.appendChild(link(row[5], row[0]));
    box.appendChild(h);
    var n = document.createElement("div");
    n.textContent = row[4] + " article" + (row[4] === 1 ? "" : "s") + " · " + row[1];
    box.appendChild(n);
    var ul = document.createElement("ul");
    row[6].forEach(function (a) {
      var li = document.createElement("li");
      li.appendChild(link(a[1], a[0]));
      var s = document.createElement("small");
      s.textContent = " " + a[2];
      li.appendChild(s);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (row[4] > row[6].length) box.appendChild(link(row[5], "All " + row[4] + " articles"));
    return box;
  }
  var outlines = json(el.getAttribute("data-outlines")).then(function (world) {
    var fc = topojson.feature(world, world.objects.countries);
    // Outlines crossing the antimeridian (Russia, Fiji) are unwrapped into one piece, instead of a
    // line drawn across the whole map; Antarctica (id 010) is left out.
    fc.features = fc.features.filter(function (f) { return f.id !== "010" && f.geometry; });
    fc.features.forEach(function (f) {
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      polys.forEach(function (poly) {
        poly.forEach(function (ring) {
          for (var i = 1; i < ring.length; i++) {
            var d = ring[i][0] - ring[i - 1][0];
            if (d > 180) ring[i][0] -= 360; else if (d < -180) ring[i][0] += 360;
          }
        });
      });
    });
    // Filled land is the offline map; over configured tiles the outlines are lines only (a fill would hide the tiles).
    L.geoJSON(fc, {
      style: { color: "#8d8778", weight: 0.7, fillColor: "#ece8dc", fillOpacity: tiles ? 0 : 1 },
      interactive: false
    }).addTo(map);
    el.setAttribute("data-outlines-drawn", "1");
  });
  var places = json(el.getAttribute("data-places")).then(function (rows) {
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
    var bounds = [];
    rows.forEach(function (row) {
      var size = Math.round(10 + 3 * Math.sqrt(row[4]));
      var icon = L.divIcon({ className: "archive-marker archive-marker--" + String(row[1]).replace(/[^a-z]/g, ""),
        iconSize: [size, size] });
      var m = L.marker([row[2], row[3]], { icon: icon, title: row[0] + " (" + row[4] + ")" });
      m.bindPopup(function () { return popup(row); });
      cluster.addLayer(m);
      bounds.push([row[2], row[3]]);
    });
    map.addLayer(cluster);
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
    el.setAttribute("data-markers", String(rows.length));
  });
  Promise.all([outlines, places]).then(function () { el.setAttribute("data-ready", "1"); })
    .catch(function (e) { el.setAttribute("data-error", e.message); });
})();
