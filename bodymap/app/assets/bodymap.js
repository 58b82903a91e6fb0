// Browser side of bodymap: apply a filter answer to the figures and the
// results list without fetching any figure, and turn clicks into a selection.
(function () {
  "use strict";
  var indexCache = { codes: null, index: null };

  function indexOf(catalogue) {
    if (indexCache.codes !== catalogue.codes) {
      var index = {};
      catalogue.codes.forEach(function (code, i) { index[code] = i; });
      indexCache = { codes: catalogue.codes, index: index };
    }
    return indexCache.index;
  }

  function decodeMask(mask) {
    var bytes = atob(mask || "");
    return function (i) { return (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; };
  }

  var originals = {};

  // A copy of the view's figure with unmatched markers hidden (null
  // coordinates), labels and channel lines switched, and the selection ringed.
  function filteredFigure(view, figure, matched, index, selected, labels, channels) {
    var shown = {};
    var ring = { x: [], y: [] };
    var original = originals[view] = originals[view] || {};
    var data = figure.data.map(function (trace, t) {
      var kind = trace.meta && trace.meta.kind;
      if (kind !== "points") { return trace; }
      if (!original[t]) { original[t] = { x: trace.x.slice(), y: trace.y.slice() }; }
      var xs = [], ys = [];
      trace.customdata.forEach(function (code, k) {
        var on = matched(index[code]) === 1;
        xs.push(on ? original[t].x[k] : null);
        ys.push(on ? original[t].y[k] : null);
        if (on) { shown[trace.meta.meridian] = true; }
        if (code === selected) { ring.x.push(original[t].x[k]); ring.y.push(original[t].y[k]); }
      });
      return Object.assign({}, trace, { x: xs, y: ys, mode: labels ? "markers+text" : "markers" });
    });
    data = data.map(function (trace) {
      var kind = trace.meta && trace.meta.kind;
      if (kind === "channel") {
        return Object.assign({}, trace, { visible: Boolean(channels && shown[trace.meta.meridian]) });
      }
      if (kind === "selected") { return Object.assign({}, trace, ring); }
      return trace;
    });
    return Object.assign({}, figure, { data: data });
  }

  function text(type, children, props) {
    return { namespace: "dash_html_components", type: type, props: Object.assign({ children: children }, props || {}) };
  }

  function resultItems(catalogue, matched, payload, selected) {
    var ranks = payload.ranks || {};
    var readings = {};
    (payload.readings || []).forEach(function (r) { readings[r[0]] = r; });
    var order = [];
    for (var i = 0; i < catalogue.codes.length; i++) { if (matched(i)) { order.push(i); } }
    if (payload.readings) {
      var first = payload.readings.map(function (r) { return r[0]; });
      order.sort(function (a, b) {
        var ia = first.indexOf(a), ib = first.indexOf(b);
        return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib) || a - b;
      });
    }
    order.sort(function (a, b) { return (ranks[b] || 1) - (ranks[a] || 1); });
    return order.map(function (i) {
      var code = catalogue.codes[i];
      var children = [
        text("Span", "●", { style: { color: catalogue.colours[catalogue.meridians[i]] }, className: "me-1", "aria-hidden": "true" }),
        text("Strong", code), " " + catalogue.names[i] + " · " + catalogue.english[i]
      ];
      if (payload.of > 1) {
        children.push(text("Span", (ranks[i] || 1) + "/" + payload.of, {
          className: "badge text-bg-primary ms-2", title: "serves " + (ranks[i] || 1) + " of the " + payload.of + " chosen conditions"
        }));
      }
      catalogue.cautions[i].forEach(function (kind) {
        children.push(text("Span", "⚠ " + kind, { className: "badge text-bg-warning ms-1" }));
      });
      if (readings[i]) {
        children.push(text("Div", (readings[i][2] ? "[" + readings[i][2] + "] " : "") + readings[i][1],
                           { className: "small text-muted" }));
      }
      return text("Button", children, {
        id: { type: "result", code: code }, n_clicks: 0, role: "listitem",
        className: "list-group-item list-group-item-action py-1 text-start" + (code === selected ? " active" : ""),
        "data-code": code
      });
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    bodymap: {
      apply: function (payload, views, selected, labels, channels, catalogue) {
        var noUpdate = window.dash_clientside.no_update;
        var figures = Array.prototype.slice.call(arguments, 6);
        var viewIds = (catalogue && catalogue.views) || [];
        if (!payload || !catalogue) {
          return [noUpdate, noUpdate, noUpdate].concat(viewIds.map(function () { return noUpdate; }),
                                                       viewIds.map(function () { return noUpdate; }));
        }
        var matched = decodeMask(payload.mask);
        var index = indexOf(catalogue);
        var chosen = views || [];
        var styles = viewIds.map(function (view) {
          return { display: chosen.indexOf(view) >= 0 ? "block" : "none" };
        });
        var updated = viewIds.map(function (view, v) {
          if (chosen.indexOf(view) < 0 || !figures[v]) { return noUpdate; }
          return filteredFigure(view, figures[v], matched, index, selected, labels, channels);
        });
        var count = payload.count === 1 ? "1 point matches" : payload.count + " points match";
        if (payload.of > 1) { count += ", ranked by how many of the " + payload.of + " conditions they serve"; }
        return [Date.now(), resultItems(catalogue, matched, payload, selected), count].concat(styles, updated);
      },
      select: function () {
        var noUpdate = window.dash_clientside.no_update;
        var context = window.dash_clientside.callback_context;
        var fired = context && context.triggered && context.triggered[0];
        if (!fired || fired.value === null || fired.value === undefined) { return noUpdate; }
        var prop = fired.prop_id;
        if (prop.slice(-9) === ".n_clicks") {
          if (!fired.value) { return noUpdate; }
          return JSON.parse(prop.slice(0, -9)).code;
        }
        var point = fired.value.points && fired.value.points[0];
        if (!point || point.customdata === undefined || point.customdata === null) { return noUpdate; }
        return Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
      }
    }
  });
})();
