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

  function decodeMask(mask) {  // bit i of the base64 bytes says whether catalogue point i is in
    var bytes = atob(mask || "");
    return function (i) { return (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; };
  }

  var HIDDEN = "rgba(0,0,0,0)";
  var current = { matched: function () { return 1; }, index: {} };
  var lastViews = null;
  var pendingList = 0;

  // Hide and show markers by opacity: a style-only change plotly repaints without
  // recomputing the plot. Hidden markers also lose their hover and label.
  function restyleView(holder, matched, index, selected, labels, channels, attempt) {
    var gd = holder && holder.querySelector(".js-plotly-plot");
    if (!gd || !gd._fullLayout || !gd.data || !window.Plotly) {
      // On first load the figure is still being drawn; try again shortly.
      if ((attempt || 0) < 200) {
        setTimeout(function () { restyleView(holder, matched, index, selected, labels, channels, (attempt || 0) + 1); }, 25);
      }
      return;
    }
    var style = { "marker.opacity": [], "textfont.color": [], hoverinfo: [] };
    var mode = labels ? "markers+text" : "markers";
    var modeChanged = false;
    var styled = [];
    var shown = {};
    var ring = { x: [], y: [] };
    gd.data.forEach(function (trace, t) {
      if (!trace.meta || trace.meta.kind !== "points") { return; }
      var opacity = [], colour = [], hover = [];
      trace.customdata.forEach(function (code, k) {
        var on = matched(index[code]) === 1;
        opacity.push(on ? 1 : 0);
        colour.push(on ? "#222222" : HIDDEN);
        hover.push(on ? "text" : "skip");
        if (on) { shown[trace.meta.meridian] = true; }
        if (code === selected) { ring.x.push(trace.x[k]); ring.y.push(trace.y[k]); }
      });
      style["marker.opacity"].push(opacity);
      style["textfont.color"].push(colour);
      style.hoverinfo.push(hover);
      modeChanged = modeChanged || trace.mode !== mode;
      styled.push(t);
    });
    // Paint first: set each drawn marker's and label's opacity straight on the
    // SVG plotly already drew (its data-bound nodes carry the point index), then
    // bring plotly's own model up to date a moment later, so zooming, hovering and
    // later redraws agree. A restyle costs tens of milliseconds; the DOM pass does not.
    var byTrace = {};
    styled.forEach(function (t, n) { byTrace[t] = style["marker.opacity"][n]; });
    gd.querySelectorAll(".scatterlayer .trace").forEach(function (group) {
      var calc = group.__data__ && group.__data__[0];
      var opacity = calc && calc.trace && byTrace[calc.trace.index];
      if (!opacity) { return; }
      group.querySelectorAll(".points path, .text text").forEach(function (node) {
        if (node.__data__ && node.__data__.i !== undefined) { node.style.opacity = opacity[node.__data__.i]; }
      });
    });
    if (modeChanged) { style.mode = mode; }
    clearTimeout(gd._bodymapPending);
    gd._bodymapPending = setTimeout(function () { window.Plotly.restyle(gd, style, styled); }, modeChanged ? 0 : 150);
    var lines = [], visible = [];
    gd.data.forEach(function (trace, t) {
      if (trace.meta && trace.meta.kind === "channel") {
        var want = Boolean(channels && shown[trace.meta.meridian]);
        if (Boolean(trace.visible === true) !== want) { lines.push(t); visible.push(want); }
      }
    });
    if (lines.length) { window.Plotly.restyle(gd, { visible: visible }, lines); }
    gd.data.forEach(function (trace, t) {
      if (trace.meta && trace.meta.kind === "selected" &&
          JSON.stringify([trace.x, trace.y]) !== JSON.stringify([ring.x, ring.y])) {
        window.Plotly.restyle(gd, { x: [ring.x], y: [ring.y] }, [t]);
      }
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }  // text, never HTML: data and searches stay inert
    return node;
  }

  // The results list is plain DOM, drawn here rather than as hundreds of React
  // components: it is the largest part of the page to redraw on every change.
  function drawResults(catalogue, matched, payload, selected) {
    var holder = document.getElementById("results-list");
    if (!holder) { return; }
    var ranks = payload.ranks || {};
    var readings = {};
    var first = [];
    (payload.readings || []).forEach(function (r) { readings[r[0]] = r; first.push(r[0]); });
    var order = [];
    for (var i = 0; i < catalogue.codes.length; i++) { if (matched(i)) { order.push(i); } }
    if (first.length) {
      order.sort(function (a, b) {
        var ia = first.indexOf(a), ib = first.indexOf(b);
        return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib) || a - b;
      });
    }
    order.sort(function (a, b) { return (ranks[b] || 0) - (ranks[a] || 0); });
    var fragment = document.createDocumentFragment();
    order.forEach(function (i) {
      var code = catalogue.codes[i];
      var item = element("button", "list-group-item list-group-item-action py-1 text-start" + (code === selected ? " active" : ""));
      item.type = "button";
      item.setAttribute("role", "listitem");
      item.dataset.code = code;
      var chip = element("span", "me-1", "●");
      chip.style.color = catalogue.colours[catalogue.meridians[i]];
      chip.setAttribute("aria-hidden", "true");
      item.appendChild(chip);
      item.appendChild(element("strong", "", code));
      item.appendChild(document.createTextNode(" " + catalogue.names[i] + " · " + catalogue.english[i]));
      if (payload.of > 1) {
        var rank = ranks[i] || 0;
        var badge = element("span", "badge text-bg-primary ms-2", rank + "/" + payload.of);
        badge.title = "serves " + rank + " of the " + payload.of + " chosen conditions";
        item.appendChild(badge);
      }
      catalogue.cautions[i].forEach(function (kind) {
        item.appendChild(element("span", "badge text-bg-warning ms-1", "⚠ " + kind));
      });
      if (readings[i]) {
        item.appendChild(element("div", "small text-muted", (readings[i][2] ? "[" + readings[i][2] + "] " : "") + readings[i][1]));
      }
      fragment.appendChild(item);
    });
    holder.replaceChildren(fragment);
    if (!holder.dataset.listening) {
      holder.dataset.listening = "1";
      holder.addEventListener("click", function (event) {
        var item = event.target.closest("[data-code]");
        if (item) { window.dash_clientside.set_props("selected-point", { data: item.dataset.code }); }
      });
    }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    bodymap: {
      // Combines the filters in the browser: meridians and condition masks come
      // with the page (computed by the server's query), a search's mask from the
      // server. Points must pass every filter; their rank is how many of the
      // chosen conditions they serve.
      apply: function (payload, views, conditions, meridians, selected, labels, channels, applied, catalogue) {
        var noUpdate = window.dash_clientside.no_update;
        var viewIds = (catalogue && catalogue.views) || [];
        if (!applied || !catalogue) {
          return [noUpdate, noUpdate].concat(viewIds.map(function () { return noUpdate; }));
        }
        var wanted = {};
        (meridians || []).forEach(function (m) { wanted[m] = true; });
        var masks = (conditions || []).map(function (c) { return catalogue.conditions[c]; })
          .filter(Boolean).map(decodeMask);
        var searched = payload && payload.search_mask ? decodeMask(payload.search_mask) : null;
        var total = catalogue.codes.length;
        var hits = new Uint8Array(total), ranks = {}, count = 0;
        for (var i = 0; i < total; i++) {
          if (!wanted[catalogue.meridians[i]] || (searched && !searched(i))) { continue; }
          var rank = 0;
          for (var m = 0; m < masks.length; m++) { rank += masks[m](i); }
          if (masks.length && !rank) { continue; }
          hits[i] = 1; ranks[i] = rank; count++;
        }
        var matched = function (i) { return hits[i] || 0; };
        var index = indexOf(catalogue);
        var chosen = views || [];
        // Panels are only restyled when the chosen views change: re-rendering them
        // would re-render their graphs too.
        var viewsKey = chosen.join(",");
        var styles = viewIds.map(function (view) {
          return viewsKey === lastViews ? noUpdate : { display: chosen.indexOf(view) >= 0 ? "block" : "none" };
        });
        lastViews = viewsKey;
        current = { matched: matched, index: index };
        viewIds.forEach(function (view) {
          if (chosen.indexOf(view) >= 0) {
            restyleView(document.getElementById("graph-" + view), matched, index, selected, labels, channels, 0);
          }
        });
        // The list is redrawn just after the figures have painted, so the figure never waits for it.
        var listing = { ranks: ranks, of: masks.length, readings: payload && payload.readings };
        cancelAnimationFrame(pendingList);
        pendingList = requestAnimationFrame(function () {
          setTimeout(function () { drawResults(catalogue, matched, listing, selected); }, 0);
        });
        var text = count === 1 ? "1 point matches" : count + " points match";
        if (masks.length > 1) { text += ", ranked by how many of the " + masks.length + " conditions they serve"; }
        return [Date.now(), text].concat(styles);
      },
      // The handout link: the page's own query plus the export options.
      exportLink: function (search, title, paper, landscape, format, table) {
        var params = new URLSearchParams(search || "");
        ["labels", "channels", "point"].forEach(function (key) { params.delete(key); });
        if (title) { params.set("title", title); }
        params.set("paper", paper || "a4");
        params.set("format", format || "pdf");
        if (landscape) { params.set("landscape", "1"); }
        if (!table) { params.set("table", "0"); }
        return "/_bodymap/export?" + params.toString();
      },
      select: function () {
        var noUpdate = window.dash_clientside.no_update;
        var context = window.dash_clientside.callback_context;
        var fired = context && context.triggered && context.triggered[0];
        var point = fired && fired.value && fired.value.points && fired.value.points[0];
        if (!point || point.customdata === undefined || point.customdata === null) { return noUpdate; }
        var code = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
        // A hidden marker is still there, only transparent: a click on it selects nothing.
        return current.matched(current.index[code]) === 1 ? code : noUpdate;
      }
    }
  });
})();
