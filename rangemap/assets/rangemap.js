// rangemap's page script: layout (title bar, legend, layer list), decluttered labels, and the
// "what reaches here" popup. Everything it shows comes from the JSON data block that rangemap
// wrote into the page; text is always inserted with textContent, never as HTML.
// Distances use GeographicLib's geodesic (window.geodesic), the same algorithms as pyproj.Geod.
(function () {
  "use strict";

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // For the one place that takes HTML: Leaflet's layer list sets each layer name as innerHTML.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"'`{}$\\]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  // ---- geometry helpers (lon/lat degrees) ----
  function ringContains(ring, lon, lat) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  // polygons: [[exterior, hole, ...], ...]; even-odd over all rings of one polygon.
  function polygonsContain(polygons, lon, lat) {
    for (var p = 0; p < polygons.length; p++) {
      var rings = polygons[p], inside = false;
      for (var r = 0; r < rings.length; r++) { if (ringContains(rings[r], lon, lat)) { inside = !inside; } }
      if (inside) { return true; }
    }
    return false;
  }
  function containsAnyLon(polygons, lon, lat) {
    // A map shifted across the antimeridian shows longitudes past 180: test both wraps.
    return polygonsContain(polygons, lon, lat) || polygonsContain(polygons, lon - 360, lat) ||
      polygonsContain(polygons, lon + 360, lat);
  }

  // Geodesic distance (m) from a point to a launch group: 0 inside its areas, else the nearest point of its
  // paths (vertices densified along the geodesics, then a golden-section search along the two geodesic
  // pieces next to the nearest vertex, so the result is the distance to the path itself).
  function distanceToGroupM(geod, group, lon, lat) {
    if (group.areas.length && containsAnyLon(group.areas, lon, lat)) { return 0; }
    var best = Infinity, bestPath = -1, bestIndex = -1;
    for (var p = 0; p < group.paths.length; p++) {
      var path = group.paths[p];
      for (var i = 0; i < path.length; i++) {
        var d = geod.Inverse(lat, lon, path[i][1], path[i][0], geod.DISTANCE).s12;
        if (d < best) { best = d; bestPath = p; bestIndex = i; }
      }
    }
    if (bestPath < 0) { return best; }
    var pts = group.paths[bestPath];
    [bestIndex - 1, bestIndex].forEach(function (k) {
      if (k < 0 || k + 1 >= pts.length) { return; }
      var line = geod.InverseLine(pts[k][1], pts[k][0], pts[k + 1][1], pts[k + 1][0]);
      var length = line.s13, lo = 0, hi = length, g = (Math.sqrt(5) - 1) / 2;
      var f = function (s) {
        var q = line.Position(s, geod.STANDARD);
        return geod.Inverse(lat, lon, q.lat2, q.lon2, geod.DISTANCE).s12;
      };
      for (var it = 0; it < 60 && hi - lo > 1e-4; it++) {
        var a = hi - g * (hi - lo), b = lo + g * (hi - lo);
        if (f(a) < f(b)) { hi = b; } else { lo = a; }
      }
      best = Math.min(best, f((lo + hi) / 2));
    });
    return best;
  }

  // ---- layout: title bar, legend, layer list ----
  function titleControl(data) {
    var c = L.control({position: "topleft"});
    c.onAdd = function () {
      var box = el("div", "rm-panel rm-title");
      box.id = "rangemap-title";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el("h1", "rm-title-text", data.title));
      var line = el("div", "rm-subtitle");
      if (data.date) { line.appendChild(el("span", "rm-date", data.date)); }
      var toggle = el("button", "rm-about-toggle", "About this map");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "false");
      line.appendChild(toggle);
      box.appendChild(line);
      var about = el("div", "rm-about");
      about.id = "rangemap-about";
      about.hidden = true;
      data.about.forEach(function (section) {
        if (section.heading) { about.appendChild(el("h2", "", section.heading)); }
        if (section.items) {
          var list = el("ul");
          section.items.forEach(function (t) { list.appendChild(el("li", "", t)); });
          about.appendChild(list);
        } else {
          about.appendChild(el("p", "", section.text));
        }
      });
      box.appendChild(about);
      toggle.addEventListener("click", function () {
        about.hidden = !about.hidden;
        toggle.setAttribute("aria-expanded", String(!about.hidden));
      });
      return box;
    };
    return c;
  }

  function swatch(entry) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "22"); svg.setAttribute("height", "16"); svg.setAttribute("class", "rm-swatch");
    var s = entry.symbol, shape;
    if (s.kind === "area") {
      // One strip per fill colour (a region's ramp has several), then the outline over them.
      var fills = s.fills && s.fills.length ? s.fills : [null];
      fills.forEach(function (fill, i) {
        var strip = document.createElementNS(ns, "rect");
        strip.setAttribute("x", String(2 + 18 * i / fills.length)); strip.setAttribute("y", "2");
        strip.setAttribute("width", String(18 / fills.length)); strip.setAttribute("height", "12");
        strip.setAttribute("fill", fill || "none");
        svg.appendChild(strip);
      });
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "2"); shape.setAttribute("y", "2"); shape.setAttribute("width", "18");
      shape.setAttribute("height", "12"); shape.setAttribute("fill", "none");
      if (s.stroke) { shape.setAttribute("stroke", s.stroke); shape.setAttribute("stroke-width", s.width); }
      if (s.dash) { shape.setAttribute("stroke-dasharray", s.dash); }
      svg.appendChild(shape);
    } else if (s.kind === "line") {
      if (s.casing) {
        var casing = document.createElementNS(ns, "line");
        casing.setAttribute("x1", "1"); casing.setAttribute("y1", "8"); casing.setAttribute("x2", "21");
        casing.setAttribute("y2", "8"); casing.setAttribute("stroke", s.casing);
        casing.setAttribute("stroke-width", s.casingWidth);
        svg.appendChild(casing);
      }
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "8"); shape.setAttribute("x2", "21");
      shape.setAttribute("y2", "8"); shape.setAttribute("stroke", s.colour); shape.setAttribute("stroke-width", s.width);
      if (s.dash) { shape.setAttribute("stroke-dasharray", s.dash); }
      svg.appendChild(shape);
    } else if (s.kind === "triangle") {
      shape = document.createElementNS(ns, "polygon");
      shape.setAttribute("points", "11,1 20,15 2,15");
      shape.setAttribute("fill", s.fill); shape.setAttribute("stroke", s.stroke);
      shape.setAttribute("stroke-width", s.width);
      svg.appendChild(shape);
    } else {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "11"); shape.setAttribute("cy", "8"); shape.setAttribute("r", Math.min(6, s.radius));
      shape.setAttribute("fill", s.fill); shape.setAttribute("stroke", s.stroke);
      shape.setAttribute("stroke-width", s.width);
      svg.appendChild(shape);
    }
    return svg;
  }

  function legendControl(data, startOpen) {
    var c = L.control({position: "bottomright"});
    c.onAdd = function () {
      var box = el("div", "rm-panel rm-legend");
      box.id = "rangemap-legend";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var toggle = el("button", "rm-legend-toggle", "Key");
      toggle.type = "button";
      box.appendChild(toggle);
      var body = el("div", "rm-legend-body");
      data.legend.forEach(function (entry) {
        var row = el("div", "rm-legend-row");
        row.appendChild(swatch(entry));
        var text = el("div", "rm-legend-text");
        text.appendChild(el("span", "rm-legend-label", entry.text));
        if (entry.source) { text.appendChild(el("div", "rm-legend-source", "Source: " + entry.source)); }
        row.appendChild(text);
        body.appendChild(row);
      });
      box.appendChild(body);
      var setOpen = function (open) {
        body.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Key \u25BE" : "Key \u25B8";
      };
      setOpen(startOpen);
      toggle.addEventListener("click", function () { setOpen(body.hidden); });
      return box;
    };
    return c;
  }

  // ---- labels ----
  // Each label has candidate anchors (a point and a side: center, right, left, above, below); the first that
  // fits inside the map without touching a label of higher priority is used, else the label is hidden.
  // The anchors and the priorities come from rangemap/outputs/labels.py (the static map's table): this
  // script only chooses among them, lowest priority number first.
  var GAP_PX = 6;
  function boxAt(point, align, w, h) {
    var x = point.x, y = point.y;
    if (align === "right") { return {x0: x + GAP_PX, y0: y - h / 2, x1: x + GAP_PX + w, y1: y + h / 2}; }
    if (align === "left") { return {x0: x - GAP_PX - w, y0: y - h / 2, x1: x - GAP_PX, y1: y + h / 2}; }
    if (align === "above") { return {x0: x - w / 2, y0: y - GAP_PX - h, x1: x + w / 2, y1: y - GAP_PX}; }
    if (align === "below") { return {x0: x - w / 2, y0: y + GAP_PX, x1: x + w / 2, y1: y + GAP_PX + h}; }
    return {x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2};
  }
  function overlaps(a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

  function addLabels(map, data) {
    var labels = data.labels.map(function (spec) {
      var icon = L.divIcon({className: "rm-label-anchor", html: "", iconSize: null});
      var first = spec.anchors[0];
      var marker = L.marker([first[1], first[0]], {icon: icon, interactive: false, keyboard: false, pane: "rmLabels"});
      marker.addTo(map);
      var text = el("span", "rm-label rm-label-" + spec.kind, spec.text);
      if (spec.colour) { text.style.color = spec.colour; }
      marker.getElement().appendChild(text);
      return {spec: spec, marker: marker, text: text};
    });
    var order = labels.slice().sort(function (a, b) { return a.spec.priority - b.spec.priority; });
    var layerOn = function (name) {
      var layer = name && window[name];
      return !layer || map.hasLayer(layer);
    };
    var declutter = function () {
      var size = map.getSize(), taken = [], pad = 2;
      // Symbols (places, launch sites) are obstacles too, so that no label covers one.
      data.labels.forEach(function (s) {
        if (s.symbolPx && layerOn(s.layer)) {
          var p = map.latLngToContainerPoint([s.anchors[0][1], s.anchors[0][0]]), r = s.symbolPx;
          taken.push({x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r, symbol: true});
        }
      });
      order.forEach(function (l) {
        var s = l.spec;
        l.text.style.visibility = "hidden";
        l.text.dataset.shown = "no";
        if (map.getZoom() < s.minZoom || !layerOn(s.layer)) { return; }
        var w = l.text.offsetWidth, h = l.text.offsetHeight;
        for (var i = 0; i < s.anchors.length; i++) {
          var a = s.anchors[i], point = map.latLngToContainerPoint([a[1], a[0]]);
          var box = boxAt(point, a[2], w, h);
          if (box.x0 < pad || box.y0 < pad || box.x1 > size.x - pad || box.y1 > size.y - pad) { continue; }
          var free = true;
          for (var k = 0; k < taken.length && free; k++) {
            // A label may sit beside its own symbol, never on another one.
            var t = taken[k];
            // Region and country names may lie over a place's circle (never over another label).
            if (t.symbol && (s.kind === "region" || s.kind === "country")) { continue; }
            if (t.symbol && Math.abs((t.x0 + t.x1) / 2 - point.x) < 0.5 && Math.abs((t.y0 + t.y1) / 2 - point.y) < 0.5) {
              continue;
            }
            if (overlaps(box, t)) { free = false; }
          }
          if (!free) { continue; }
          l.marker.setLatLng([a[1], a[0]]);
          l.text.style.transform = "translate(" + (box.x0 - point.x) + "px," + (box.y0 - point.y) + "px)";
          l.text.style.visibility = "visible";
          l.text.dataset.shown = "yes";
          taken.push({x0: box.x0 - pad, y0: box.y0 - pad, x1: box.x1 + pad, y1: box.y1 + pad});
          return;
        }
      });
    };
    map.on("zoomend moveend overlayadd overlayremove resize", declutter);
    declutter();
    return declutter;
  }

  // ---- what reaches here ----
  function reachPopup(map, data, geod) {
    map.on("click", function (e) {
      var lon = e.latlng.lng, lat = e.latlng.lat;
      var box = el("div", "rm-reach");
      box.appendChild(el("b", "rm-reach-title", "What reaches here"));
      var where = null;
      data.regions.forEach(function (r) { if (!where && containsAnyLon(r.polygons, lon, lat)) { where = r; } });
      if (!where) {
        data.admin1.forEach(function (r) { if (!where && containsAnyLon(r.polygons, lon, lat)) { where = r; } });
      }
      var table = el("table");
      var row = function (k, v) {
        var tr = el("tr"); tr.appendChild(el("th", "", k)); tr.appendChild(el("td", "", v)); table.appendChild(tr);
      };
      row("Region", where ? where.name : "outside the regions on this map");
      if (where && where.rows) { where.rows.forEach(function (r) { row(r[0], r[1]); }); }
      data.notes.forEach(function (n) { if (containsAnyLon(n.polygons, lon, lat)) { row("Status", n.note); } });
      var covering = data.footprints.filter(function (f) { return containsAnyLon(f.polygons, lon, lat); });
      row("In range of", covering.length ? covering.map(function (f) { return f.name; }).join("; ") : "none");
      var wrapped = ((lon + 540) % 360) - 180;
      data.launches.forEach(function (g) {
        var d = distanceToGroupM(geod, g, wrapped, lat);
        var km = d / 1000;
        var cell = el("td", "rm-distance", km.toLocaleString("en-GB", {minimumFractionDigits: 1, maximumFractionDigits: 1}) + " km");
        cell.setAttribute("data-distance-m", d.toFixed(3));
        var tr = el("tr"); tr.appendChild(el("th", "", "From " + g.label)); tr.appendChild(cell); table.appendChild(tr);
      });
      box.appendChild(table);
      box.appendChild(el("div", "rm-reach-note", "Distances: geodesic, WGS84, to the nearest launch site (GeographicLib)."));
      L.popup(data.popupOptions).setLatLng(e.latlng).setContent(box).openOn(map);
    });
  }

  window.rangemapInit = function (map, data) {
    var geod = window.geodesic.Geodesic.WGS84;
    var narrow = map.getContainer().clientWidth < 900;
    titleControl(data).addTo(map);
    // Leaflet stacks controls in each corner: the title bar goes above the zoom buttons.
    var zoom = map.zoomControl;
    if (zoom) { zoom.remove(); zoom.addTo(map); }
    var overlays = {};
    data.layers.forEach(function (l) { if (window[l.var]) { overlays[escapeHtml(l.name)] = window[l.var]; } });
    var control = L.control.layers(null, overlays, {collapsed: narrow, position: "topright"}).addTo(map);
    control.getContainer().id = "rangemap-layers";
    legendControl(data, !narrow).addTo(map);
    // The controls above may change the map's size: let Leaflet re-measure; and the SVG renderers clip to the
    // view they last drew, which can predate the final fitted view: a moveend makes them redraw for it.
    map.invalidateSize({pan: false});
    map.setMaxZoom(data.maxZoom);
    map.fitBounds(data.bounds, {padding: [12, 12], animate: false});
    addLabels(map, data);
    map.fire("moveend");
    reachPopup(map, data, geod);
    document.documentElement.dataset.rangemapReady = "yes";
  };
})();
