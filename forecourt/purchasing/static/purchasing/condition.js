// The damage diagram: a click or tap on a view of the car adds a numbered marker there
// (SVG coordinates, so it lands in the same place on every screen size); each marker gets
// a row for its type, severity, note and photo. On submit the markers go to the hidden
// `markers` field as JSON and each photo travels as `photo-<marker id>`.
(function () {
  "use strict";
  var form = document.getElementById("condition-form");
  if (!form) { return; }
  var svg = form.querySelector("svg.damage-diagram");
  var layer = svg.querySelector("g.markers");
  var list = document.getElementById("marker-list");
  var rowTemplate = document.getElementById("marker-row-template");
  var hidden = form.querySelector("input[name=markers]");
  var views = JSON.parse(svg.getAttribute("data-views"));
  var NS = "http://www.w3.org/2000/svg";
  var markers = [];
  var serial = 0;

  function viewAt(x, y) {
    for (var i = 0; i < views.length; i++) {
      var v = views[i];
      if (x >= 0 && x <= v.width && y >= v.top && y <= v.top + v.height) { return v.key; }
    }
    return null;
  }

  function renumber() {
    markers.forEach(function (marker, index) {
      marker.label.textContent = String(index + 1);
      marker.row.querySelector(".marker-number").textContent = String(index + 1) + ".";
    });
  }

  function add(data) {
    serial += 1;
    var id = data.id || "m" + serial;
    var group = document.createElementNS(NS, "g");
    group.setAttribute("class", "marker marker-" + (data.severity || "minor"));
    group.setAttribute("data-marker-id", id);
    var dot = document.createElementNS(NS, "circle");
    dot.setAttribute("cx", data.x);
    dot.setAttribute("cy", data.y);
    dot.setAttribute("r", "13");
    var label = document.createElementNS(NS, "text");
    label.setAttribute("x", data.x);
    label.setAttribute("y", data.y);
    label.setAttribute("dy", "5");
    label.setAttribute("text-anchor", "middle");
    group.appendChild(dot);
    group.appendChild(label);
    layer.appendChild(group);

    var row = rowTemplate.content.firstElementChild.cloneNode(true);
    row.setAttribute("data-marker-id", id);
    row.querySelector(".marker-where").textContent = data.view + " view";
    row.querySelector(".marker-type").value = data.type || "scratch";
    var severity = row.querySelector(".marker-severity");
    severity.value = data.severity || "minor";
    row.querySelector(".marker-note").value = data.note || "";
    row.querySelector(".marker-photo").name = "photo-" + id;
    var marker = { id: id, view: data.view, x: data.x, y: data.y, group: group, label: label, row: row };
    severity.addEventListener("change", function () {
      group.setAttribute("class", "marker marker-" + severity.value);
    });
    row.querySelector(".marker-remove").addEventListener("click", function () {
      markers.splice(markers.indexOf(marker), 1);
      group.remove();
      row.remove();
      renumber();
    });
    list.appendChild(row);
    markers.push(marker);
    renumber();
    return row;
  }

  svg.addEventListener("click", function (event) {
    var matrix = svg.getScreenCTM();
    if (!matrix) { return; }
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var at = point.matrixTransform(matrix.inverse());
    var view = viewAt(at.x, at.y);
    if (!view) { return; }
    var row = add({ view: view, x: Math.round(at.x * 10) / 10, y: Math.round(at.y * 10) / 10 });
    row.querySelector(".marker-type").focus();
  });

  form.addEventListener("submit", function () {
    hidden.value = JSON.stringify(markers.map(function (marker) {
      return {
        id: marker.id, view: marker.view, x: marker.x, y: marker.y,
        type: marker.row.querySelector(".marker-type").value,
        severity: marker.row.querySelector(".marker-severity").value,
        note: marker.row.querySelector(".marker-note").value
      };
    }));
  });

  // After a refused submit the page comes back with what was sent: draw it again.
  try {
    JSON.parse(hidden.value || "[]").forEach(function (data) { add(data); });
  } catch (ignored) { hidden.value = "[]"; }
})();
