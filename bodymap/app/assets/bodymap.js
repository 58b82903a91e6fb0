// Browser side of bodymap. The page's filters are combined here into one wanted
// state; every figure is brought to that state whenever the state changes and
// whenever plotly (re)draws the figure, so the order in which plotly.js, the
// figures and the filter answer arrive never matters.
(function () {
  "use strict";

  // The words this script writes, in the page's language (the server puts them in the page);
  // English where a page has none.
  var ENGLISH = {
    viewSummaryOne: "{view} view: 1 point shown ({markers} of {total} markers)",
    viewSummary: "{view} view: {points} points shown ({markers} of {total} markers)",
    sceneSummaryOne: "3D body: 1 point shown ({markers} markers)",
    sceneSummary: "3D body: {points} points shown ({markers} markers)",
    matchOne: "1 point matches", matchMany: "{count} points match",
    rankedBy: ", ranked by how many of the {of} conditions they serve",
    copied: "Link copied.", copyHint: "Select the link and copy it (Ctrl+C).",
    chosen: "Chosen: {names}", listSeparator: ", ",
    sceneCodeMissing: "the 3D drawing code did not load ({status})",
    sceneBodyMissing: "the 3D body did not load ({status})",
    sceneProblem: "The 3D view could not be shown: {problem}. The 2D views and the list still work."
  };
  function words(key, values) {  // also window.bodymapWords, for the 3D view's script
    var text = (window.bodymapText && window.bodymapText[key]) || ENGLISH[key];
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }
  window.bodymapWords = words;
  // The language menu keeps the page as it is: its settings go with the chosen language.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("a[data-lang]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var params = new URLSearchParams(location.search);
    params.set("lang", link.dataset.lang);
    event.preventDefault();
    location.assign("?" + params.toString());
  });

  // ---- plotly's drawing ------------------------------------------------------
  // The one place that reads plotly.js's private structures: which SVG node draws
  // which point (d3 binds plotly's calc data to its nodes as __data__), and where
  // the plot area is. Restyling through plotly's API costs tens of milliseconds a
  // figure; writing the nodes' opacity costs one or two. `check` says what no
  // longer holds after a plotly upgrade, and a browser test fails on it.
  var drawing = {
    // trace index -> the <g class="trace"> plotly drew for it
    groups: function (gd) {
      var groups = {};
      gd.querySelectorAll(".scatterlayer .trace").forEach(function (group) {
        var calc = group.__data__ && group.__data__[0];
        if (calc && calc.trace && calc.trace.index !== undefined) { groups[calc.trace.index] = group; }
      });
      return groups;
    },
    // Each marker and label node of a trace group with the index of its point.
    nodes: function (group, visit) {
      group.querySelectorAll(".points path, .text text").forEach(function (node) {
        var datum = node.__data__;
        if (datum && datum.i !== undefined) { visit(node, datum.i); }
      });
    },
    plotArea: function (gd) {
      var cover = gd.querySelector(".draglayer .nsewdrag");
      return cover ? cover.getBoundingClientRect() : null;
    },
    // A page position -> the view's SVG units, through the plot area and the axes'
    // ranges (y runs downwards: range[1] is the top). null outside the plot area.
    toData: function (gd, clientX, clientY) {
      var area = drawing.plotArea(gd), x = gd.layout.xaxis && gd.layout.xaxis.range,
          y = gd.layout.yaxis && gd.layout.yaxis.range;
      if (!area || !x || !y || !area.width || !area.height || clientX < area.left || clientX > area.right ||
          clientY < area.top || clientY > area.bottom) { return null; }
      return [x[0] + (clientX - area.left) / area.width * (x[1] - x[0]),
              y[1] + (clientY - area.top) / area.height * (y[0] - y[1])];
    },
    // The view's SVG units -> a page position; the inverse of toData.
    toScreen: function (gd, x, y) {
      var area = drawing.plotArea(gd), rx = gd.layout.xaxis && gd.layout.xaxis.range,
          ry = gd.layout.yaxis && gd.layout.yaxis.range;
      if (!area || !rx || !ry) { return null; }
      return [area.left + (x - rx[0]) / (rx[1] - rx[0]) * area.width,
              area.top + (y - ry[1]) / (ry[0] - ry[1]) * area.height];
    },
    check: function (gd) {
      var problems = [];
      if (typeof gd.on !== "function") { problems.push("the graph div has no on() for plotly events"); }
      var groups = drawing.groups(gd);
      (gd.data || []).forEach(function (trace, t) {
        if (!trace.meta || trace.meta.kind !== "points") { return; }
        if (!groups[t]) { problems.push("no drawn group carries trace " + t + " as __data__[0].trace.index"); return; }
        var seen = 0;
        drawing.nodes(groups[t], function (node, i) { if (i >= 0 && i < trace.x.length) { seen++; } });
        if (seen < trace.x.length) {
          problems.push("trace " + t + ": " + seen + " of " + trace.x.length + " points found through __data__.i");
        }
      });
      if (!drawing.plotArea(gd)) { problems.push("no .draglayer .nsewdrag plot area"); return problems; }
      // A click is read through the plot area and the axes' ranges: a marker must be
      // drawn where that mapping puts its data position.
      var t = (gd.data || []).findIndex(function (trace) { return trace.meta && trace.meta.kind === "points"; });
      if (t >= 0 && groups[t]) {
        drawing.nodes(groups[t], function (node, i) {
          if (i !== 0 || node.tagName.toLowerCase() !== "path") { return; }
          var box = node.getBoundingClientRect(), at = drawing.toScreen(gd, gd.data[t].x[0], gd.data[t].y[0]);
          if (!at || Math.abs(at[0] - (box.left + box.width / 2)) > 1.5 || Math.abs(at[1] - (box.top + box.height / 2)) > 1.5) {
            problems.push("trace " + t + ": a marker is drawn away from where toScreen puts it");
          }
        });
      }
      return problems;
    }
  };

  // ---- the wanted state ------------------------------------------------------
  var want = null;           // {hits, index, selected, labels, channels, views, key}
  var graphs = {};           // view id -> plotly graph div, once plotly has started on it
  var synced = {};           // view id -> the wanted state plotly's own model was last brought to
  var CHANNEL_OPACITY = 0.55;  // as the server draws channel lines

  function codeIndex(catalogue) {
    if (!catalogue._index) {
      var index = {};
      catalogue.codes.forEach(function (code, i) { index[code] = i; });
      Object.defineProperty(catalogue, "_index", { value: index, enumerable: false });
    }
    return catalogue._index;
  }

  function decodeMask(mask) {  // bit i of the base64 bytes says whether catalogue point i is in
    var bytes = atob(mask || "");
    return function (i) { return (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; };
  }

  function isOn(code) { return want !== null && want.hits[want.index[code]] === 1; }

  // What each trace of a figure should show under the wanted state.
  function plan(gd) {
    var traces = [], shown = {}, ring = { x: [], y: [] }, lesson = { x: [], y: [], text: [] }, markers = 0, total = 0,
        codes = {}, xs = [], ys = [];
    gd.data.forEach(function (trace, t) {
      if (!trace.meta || trace.meta.kind !== "points") { return; }
      var on = trace.customdata.map(function (code, k) {
        var hit = isOn(code);
        total++;
        if (hit) {
          markers++; codes[code] = true; shown[trace.meta.meridian] = true;
          xs.push(trace.x[k]); ys.push(trace.y[k]);
        }
        if (code === want.selected) { ring.x.push(trace.x[k]); ring.y.push(trace.y[k]); }
        if (want.lesson[code]) { lesson.x.push(trace.x[k]); lesson.y.push(trace.y[k]); lesson.text.push(String(want.lesson[code])); }
        return hit;
      });
      traces.push({ t: t, on: on });
    });
    var lines = [];
    gd.data.forEach(function (trace, t) {
      if (trace.meta && trace.meta.kind === "channel") {
        lines.push({ t: t, on: Boolean(want.channels && shown[trace.meta.meridian]) });
      }
    });
    return { traces: traces, lines: lines, ring: ring, lesson: lesson, markers: markers, total: total,
             points: Object.keys(codes).length, xs: xs, ys: ys };
  }

  // The nodes as last read from plotly's drawing; read again after each redraw.
  var drawn = {};
  function nodesOf(view, gd) {
    if (!drawn[view]) {
      var groups = drawing.groups(gd), traces = {};
      Object.keys(groups).forEach(function (t) {
        var list = [];
        drawing.nodes(groups[t], function (node, i) {
          node._bodymapShown = undefined;  // plotly may have restyled it from its own model
          list.push({ node: node, i: i, label: node.tagName.toLowerCase() === "text" });
        });
        traces[t] = list;
      });
      Object.keys(groups).forEach(function (t) { groups[t]._bodymapShown = undefined; });
      drawn[view] = { groups: groups, traces: traces };
    }
    return drawn[view];
  }

  function setOpacity(node, value, shownAs) {
    // Remembered on the node, so an unchanged one costs neither a style read nor a write.
    if (node._bodymapShown !== value) { node._bodymapShown = value; node.style.opacity = value ? (shownAs || "") : "0"; }
  }

  // Brings one drawn figure to the wanted state by writing its nodes' styles.
  function waiting(gd) { return Boolean(gd.layout && gd.layout.meta && gd.layout.meta.waiting); }

  function paint(view) {
    var gd = graphs[view];
    if (!gd || !want || !gd.data || waiting(gd) || !gd.querySelector(".scatterlayer")) { return; }
    var p = plan(gd);
    var nodes = nodesOf(view, gd);
    p.traces.forEach(function (trace) {
      (nodes.traces[trace.t] || []).forEach(function (entry) {
        setOpacity(entry.node, Boolean(trace.on[entry.i] && (!entry.label || want.labels)));
      });
    });
    p.lines.forEach(function (line) {
      if (nodes.groups[line.t]) { setOpacity(nodes.groups[line.t], line.on, String(CHANNEL_OPACITY)); }
    });
    var ringTrace = gd.data.findIndex(function (trace) { return trace.meta && trace.meta.kind === "selected"; });
    if (ringTrace >= 0 && JSON.stringify([gd.data[ringTrace].x, gd.data[ringTrace].y]) !== JSON.stringify([p.ring.x, p.ring.y])) {
      window.Plotly.restyle(gd, { x: [p.ring.x], y: [p.ring.y] }, [ringTrace]);
    }
    var lessonTrace = gd.data.findIndex(function (trace) { return trace.meta && trace.meta.kind === "lesson"; });
    if (lessonTrace >= 0) {
      var had = gd.data[lessonTrace];
      if (JSON.stringify([had.x, had.y, had.text]) !== JSON.stringify([p.lesson.x, p.lesson.y, p.lesson.text])) {
        window.Plotly.restyle(gd, { x: [p.lesson.x], y: [p.lesson.y], text: [p.lesson.text] }, [lessonTrace]);
      }
    }
    fit(view, gd, p);
    var panel = document.getElementById("panel-" + view);
    if (panel) { panel.classList.add("is-painted"); }
    var summary = document.getElementById("summary-" + view);
    var name = panel ? panel.querySelector("h2").textContent : view;
    var text = words(p.points === 1 ? "viewSummaryOne" : "viewSummary",
                     { view: name, points: p.points, markers: p.markers, total: p.total });
    if (summary && summary.textContent !== text) { summary.textContent = text; }
  }

  // "Fit to points": the view zooms to the shown markers with about two cun round them
  // (at least ten cun across); off, it shows its whole box again. Only a change of the
  // wanted box moves the figure, so a reader's own zoom and pan stand until the next one.
  // A lesson with frame = "points" opens with it on.
  var fitted = {};  // view id -> the box last asked of plotly
  function fit(view, gd, p) {
    var frame = want.frames && want.frames[view];
    if (!frame) { return; }
    var b = frame.box, x0 = b[0], x1 = b[0] + b[2], y0 = b[1], y1 = b[1] + b[3];
    if (want.fit && p.xs.length) {
      var pad = 2 * frame.cun, least = 10 * frame.cun;
      var lo = [Math.min.apply(null, p.xs) - pad, Math.min.apply(null, p.ys) - pad];
      var hi = [Math.max.apply(null, p.xs) + pad, Math.max.apply(null, p.ys) + pad];
      [0, 1].forEach(function (a) {
        var grow = least - (hi[a] - lo[a]);
        if (grow > 0) { lo[a] -= grow / 2; hi[a] += grow / 2; }
      });
      x0 = Math.max(lo[0], x0); y0 = Math.max(lo[1], y0); x1 = Math.min(hi[0], x1); y1 = Math.min(hi[1], y1);
    }
    var key = [x0, x1, y0, y1].map(function (v) { return v.toFixed(1); }).join(",");
    if (fitted[view] === key || (fitted[view] === undefined && !want.fit)) { return; }
    fitted[view] = key;
    window.Plotly.relayout(gd, { "xaxis.range": [x0, x1], "yaxis.range": [y1, y0] });
  }

  // Plotly's model is brought up to date only when a pointer comes to the figure:
  // hover and click then skip hidden markers, and plotly's own redraws agree.
  function syncModel(view) {
    var gd = graphs[view];
    if (!gd || !want || !gd.data || synced[view] === want.key) { return; }
    synced[view] = want.key;
    var p = plan(gd);
    // Labels keep their colour in the model and are hidden by opacity alone, so
    // switching them on never waits for this.
    var style = { "marker.opacity": [], hoverinfo: [] };
    p.traces.forEach(function (trace) {
      style["marker.opacity"].push(trace.on.map(function (on) { return on ? 1 : 0; }));
      style.hoverinfo.push(trace.on.map(function (on) { return on ? "text" : "skip"; }));
    });
    var traces = p.traces.map(function (trace) { return trace.t; });
    if (traces.length) { window.Plotly.restyle(gd, style, traces); }
    if (p.lines.length) {
      window.Plotly.restyle(gd, { opacity: p.lines.map(function (l) { return l.on ? CHANNEL_OPACITY : 0; }) },
                            p.lines.map(function (l) { return l.t; }));
    }
  }

  // ---- finding the figures ---------------------------------------------------
  function attach(view, gd) {
    graphs[view] = gd;
    synced[view] = null;
    // Every (re)draw of plotly's, whatever started it, ends with the wanted state.
    ["plotly_afterplot", "plotly_relayout", "plotly_restyle"].forEach(function (event) {
      gd.on(event, function () { drawn[view] = null; touchMode(gd); paint(view); });
    });
    gd.addEventListener("pointerenter", function () { syncModel(view); });
    gd.addEventListener("pointerdown", function () { syncModel(view); }, true);
    pinchZoom(gd);
    touchMode(gd);
    paint(view);
  }

  // On a touch screen one finger scrolls the page (a figure as tall as the screen must
  // not trap it) and taps select; two fingers zoom and move the figure. Said again for
  // each new figure a graph is given.
  function touchMode(gd) {
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches && gd.layout && !waiting(gd) &&
        gd.layout.dragmode !== false) {
      window.Plotly.relayout(gd, { dragmode: false });
    }
  }

  function discover() {
    var pending = false;
    document.querySelectorAll(".view-panel[data-view]:not([data-scene])").forEach(function (panel) {
      var view = panel.dataset.view;
      var gd = panel.querySelector(".js-plotly-plot");
      if (graphs[view] && graphs[view] === gd) { return; }
      if (gd && typeof gd.on === "function") { attach(view, gd); } else { pending = true; }
    });
    sizeHiddenPanels();
    watchNotice();
    return !pending && document.querySelector(".view-panel[data-view]") !== null;
  }

  // What sticks under the notice (the quiz's question on a phone) sits at its real height: the
  // notice takes two lines in some languages, and would cover the question's first line.
  function watchNotice() {
    var notice = document.getElementById("illustrative-notice");
    onResize(notice, function () {
      document.documentElement.style.setProperty("--notice-height", notice.offsetHeight + "px");
    });
  }

  var observer = new MutationObserver(function () { if (discover()) { observer.disconnect(); } });
  function watch() {
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
    discover();
  }
  if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }

  // Hidden panels are drawn at the width of one column of the grid, so that
  // showing one changes no figure's size and plotly redraws nothing.
  var sizedFor = null;
  function sizeHiddenPanels() {
    var grid = document.getElementById("view-grid");
    if (!grid) { return; }
    var track = getComputedStyle(grid).gridTemplateColumns.split(" ")[0];
    if (track && track !== sizedFor) { sizedFor = track; grid.style.setProperty("--column-width", track); }
    onResize(grid, sizeHiddenPanels);
  }

  // Calls `handler` whenever `node` changes size (once set up for a node, never again).
  function onResize(node, handler) {
    if (!node || node.dataset.watched || !window.ResizeObserver) { return; }
    node.dataset.watched = "1";
    new ResizeObserver(handler).observe(node);
  }

  // ---- pinch to zoom on touch screens (plotly.js has none) --------------------
  function pinchZoom(gd) {
    var start = null, frame = 0;
    function spread(touches) {
      var a = touches[0], b = touches[1];
      return { x: (a.clientX + b.clientX) / 2, y: (a.clientY + b.clientY) / 2,
               d: Math.max(Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), 1) };
    }
    gd.addEventListener("touchstart", function (event) {
      // A gesture that began with two fingers is a pinch to its end: plotly must
      // not take its lifting fingers for a tap (see `select`).
      gd._bodymapPinch = event.touches.length > 1;
      if (event.touches.length !== 2 || !gd.layout.xaxis || !gd.layout.xaxis.range) { return; }
      start = { touch: spread(event.touches), area: drawing.plotArea(gd),
                x: gd.layout.xaxis.range.slice(), y: gd.layout.yaxis.range.slice() };
      event.preventDefault();
      event.stopPropagation();
    }, { passive: false, capture: true });
    gd.addEventListener("mousedown", function () { gd._bodymapPinch = false; }, true);
    gd.addEventListener("touchmove", function (event) {
      if (!start || event.touches.length !== 2 || !start.area) { return; }
      event.preventDefault();
      event.stopPropagation();
      // The gesture is captured here: the fingers may lift before the frame runs
      // (a busy or slow device), and the last move must still land.
      var now = spread(event.touches), gesture = start;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(function () {
        var scale = gesture.touch.d / now.d, area = gesture.area;
        // The body point under the fingers' first midpoint stays under their midpoint now.
        function range(r, from, to, offset, size, flipped) {
          var f0 = (from - offset) / size, f1 = (to - offset) / size;
          if (flipped) { f0 = 1 - f0; f1 = 1 - f1; }
          var anchor = r[0] + f0 * (r[1] - r[0]), span = (r[1] - r[0]) * scale;
          return [anchor - f1 * span, anchor - f1 * span + span];
        }
        window.Plotly.relayout(gd, {
          "xaxis.range": range(gesture.x, gesture.touch.x, now.x, area.left, area.width, false),
          "yaxis.range": range(gesture.y, gesture.touch.y, now.y, area.top, area.height, true)
        });
      });
    }, { passive: false, capture: true });
    gd.addEventListener("touchend", function (event) { if (event.touches.length < 2) { start = null; } }, true);
  }

  // ---- the results list ------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }  // text, never HTML: data and searches stay inert
    return node;
  }

  // Every entry is built once; a change then only shows, hides, marks and
  // (when ranked or searched) reorders them, which costs far less than rebuilding.
  var entries = null, shownOrder = "";  // "" while the entries stand in channel order
  function buildEntries(catalogue, holder) {
    entries = catalogue.codes.map(function (code, i) {
      var item = element("li", "list-group-item p-0");
      item.dataset.code = code;
      item.hidden = true;
      var button = element("button", "list-group-item-action border-0 py-1 px-2 text-start w-100");
      button.type = "button";
      button.dataset.code = code;
      var chip = element("span", "me-1", "●");
      chip.style.color = catalogue.colours[catalogue.meridians[i]];
      chip.setAttribute("aria-hidden", "true");
      button.appendChild(chip);
      button.appendChild(element("strong", "", code));
      button.appendChild(document.createTextNode(" " + catalogue.names[i] + " · " + catalogue.english[i]));
      var rank = element("span", "badge text-bg-primary ms-2 rank");
      rank.hidden = true;
      button.appendChild(rank);
      catalogue.cautions[i].forEach(function (kind) {
        var said = (catalogue.caution_kinds && catalogue.caution_kinds[kind]) || kind;
        button.appendChild(element("span", "badge text-bg-warning ms-1", "⚠ " + said));
      });
      (catalogue.badges[i] || []).forEach(function (label) {
        button.appendChild(element("span", "badge text-bg-light border ms-1 category-badge", label));
      });
      var reading = element("div", "small text-muted reading");
      reading.hidden = true;
      button.appendChild(reading);
      item.appendChild(button);
      return { item: item, button: button, rank: rank, reading: reading };
    });
    var fragment = document.createDocumentFragment();
    entries.forEach(function (entry) { fragment.appendChild(entry.item); });
    holder.replaceChildren(fragment);
    holder.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-code]");
      if (button) { window.dash_clientside.set_props("selected-point", { data: button.dataset.code }); }
    });
  }

  function drawResults(catalogue, listing) {
    var holder = document.getElementById("results-list");
    if (!holder) { return; }
    if (!entries) { buildEntries(catalogue, holder); }
    var readings = {}, first = [];
    (listing.readings || []).forEach(function (r) { readings[r[0]] = r; first.push(r[0]); });
    var order = [];
    entries.forEach(function (entry, i) {
      var on = want.hits[i] === 1;
      if (entry.item.hidden === on) { entry.item.hidden = !on; }
      var active = catalogue.codes[i] === want.selected;
      if (entry.button.classList.contains("active") !== active) {
        entry.button.classList.toggle("active", active);
        if (active) { entry.button.setAttribute("aria-current", "true"); } else { entry.button.removeAttribute("aria-current"); }
      }
      var rankText = on && listing.of > 1 ? (listing.ranks[i] || 0) + "/" + listing.of : "";
      if (entry.rank.textContent !== rankText) {
        entry.rank.textContent = rankText;
        entry.rank.hidden = !rankText;
        entry.rank.title = rankText ? "serves " + (listing.ranks[i] || 0) + " of the " + listing.of + " chosen conditions" : "";
      }
      var readingText = on && readings[i] ? (readings[i][2] ? "[" + readings[i][2] + "] " : "") + readings[i][1] : "";
      if (entry.reading.textContent !== readingText) { entry.reading.textContent = readingText; entry.reading.hidden = !readingText; }
      if (on) { order.push(i); }
    });
    // Shown entries in channel order, unless ranked by conditions or by a search's readings.
    if (first.length) {
      order.sort(function (a, b) {
        var ia = first.indexOf(a), ib = first.indexOf(b);
        return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib) || a - b;
      });
    }
    if (listing.of > 0) { order.sort(function (a, b) { return (listing.ranks[b] || 0) - (listing.ranks[a] || 0); }); }
    // Entries move in the document itself, so a screen reader reads them in the order shown.
    var natural = order.every(function (value, k) { return k === 0 || order[k - 1] < value; });
    var key = natural ? "" : order.join(",");
    if (key !== shownOrder) {
      var fragment = document.createDocumentFragment();
      if (natural) {
        entries.forEach(function (entry) { fragment.appendChild(entry.item); });
      } else {
        order.forEach(function (i) { fragment.appendChild(entries[i].item); });
        entries.forEach(function (entry, i) { if (want.hits[i] !== 1) { fragment.appendChild(entry.item); } });
      }
      holder.replaceChildren(fragment);
      shownOrder = key;
    }
  }

  // ---- the panels --------------------------------------------------------
  function showPanels(views) {
    document.querySelectorAll(".view-panel[data-view]").forEach(function (panel) {
      var hidden = views.indexOf(panel.dataset.view) < 0;
      if (panel.classList.contains("is-hidden") !== hidden) { panel.classList.toggle("is-hidden", hidden); }
    });
  }

  // ---- combining the filters -----------------------------------------------
  // Meridians and condition masks come with the page (computed by the server's
  // query), a search's mask from the server. Points must pass every filter; their
  // rank is how many chosen conditions they serve.
  var pendingList = 0;
  var last = null;  // the inputs of the state shown, as Dash last gave them
  function update(inputs) {
    var catalogue = inputs.catalogue;
    var wanted = {};
    (inputs.meridians || []).forEach(function (m) { wanted[m] = true; });
    var masks = (inputs.conditions || []).map(function (c) { return catalogue.conditions[c]; })
      .filter(Boolean).map(decodeMask);
    // Special-point categories: a point in any chosen one passes.
    var kinds = (inputs.categories || []).map(function (c) { return catalogue.categories[c]; })
      .filter(Boolean).map(decodeMask);
    var payload = inputs.payload;
    var searched = payload && payload.search_mask ? decodeMask(payload.search_mask) : null;
    var total = catalogue.codes.length;
    // The lesson's points by their number in it; with "only the lesson's points", no other passes.
    var lesson = {}, only = null;
    ((inputs.lesson && Array.isArray(inputs.lesson.points)) ? inputs.lesson.points : []).forEach(function (entry, k) {
      if (Array.isArray(entry) && typeof entry[0] === "string") { lesson[entry[0]] = k + 1; }
    });
    if (inputs.lessonOnly && Object.keys(lesson).length) { only = lesson; }
    var hits = new Uint8Array(total), ranks = {}, count = 0;
    for (var i = 0; i < total; i++) {
      if (!wanted[catalogue.meridians[i]] || (searched && !searched(i)) || (only && !only[catalogue.codes[i]])) { continue; }
      if (kinds.length && !kinds.some(function (kind) { return kind(i); })) { continue; }
      var rank = 0;
      for (var m = 0; m < masks.length; m++) { rank += masks[m](i); }
      if (masks.length && !rank) { continue; }
      hits[i] = 1; ranks[i] = rank; count++;
    }
    var chosen = (inputs.views || []).filter(function (v) { return catalogue.views.indexOf(v) >= 0; });
    want = { hits: hits, index: codeIndex(catalogue), selected: inputs.selected, labels: Boolean(inputs.labels),
             channels: Boolean(inputs.channels), views: chosen, fit: Boolean(inputs.fit), frames: catalogue.frames,
             lesson: lesson };
    want.key = hits.join("") + (want.labels ? "L" : "") + (want.channels ? "C" : "");
    // The 3D view (assets/scene.js) follows the same wanted state.
    document.dispatchEvent(new CustomEvent("bodymap:state", { detail: {
      isOn: isOn, selected: want.selected, channels: want.channels, views: chosen, key: want.key } }));
    showPanels(chosen);
    // The shown views get their figures now; the others wait (see `give`).
    chosen.forEach(function (view) { give(view, inputs); });
    // Looking for figures not found yet costs a style read; the 3D view (drawn by scene.js) is never one.
    if (Object.keys(graphs).length < catalogue.views.filter(isDrawnHere).length) { discover(); }
    chosen.forEach(paint);
    // Hidden figures are given and catch up after the shown ones have painted, one at a time
    // when the browser is idle, so no frame waits for all of them.
    catchUp(catalogue.views.filter(function (v) { return want.views.indexOf(v) < 0; }), inputs);
    return { count: count, ranks: ranks, of: masks.length };
  }

  function isDrawnHere(view) { return view !== "3d"; }

  function sceneStarting() {
    var scene = document.getElementById("scene-plot");
    return Boolean(want && want.views.indexOf("3d") >= 0 && scene && !scene.dataset.applied &&
                   !document.querySelector("#scene-problem.show"));
  }

  // A view's figure waits in the page (the figures store) until the view is first shown or
  // the browser is idle: plotting every view's figure while the page starts cost about a
  // second of a first visit here. Dash draws it once given; plotly's afterplot then brings
  // it to the wanted state like any redraw.
  var given = {};
  function give(view, inputs) {
    var figures = inputs && inputs.figures, graph = inputs && inputs.catalogue.graphs[view];
    if (given[view] || !figures || !figures[view] || !graph || !window.dash_clientside.set_props) { return; }
    given[view] = true;
    window.dash_clientside.set_props(graph, { figure: figures[view] });
  }

  var behind = [], catching = false, giving = null;
  function catchUp(views, inputs) {
    behind = views.slice();
    giving = inputs;
    if (catching) { return; }
    catching = true;
    var later = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
    requestAnimationFrame(function next() {
      // A 3D view being drawn for the first time comes first: a hidden figure drawn in an idle
      // moment meanwhile (50-100 ms each) would hold up its start.
      if (sceneStarting()) { setTimeout(next, 250); return; }
      later(function () {
        var view = behind.shift();
        if (view !== undefined && want.views.indexOf(view) < 0) {
          if (given[view]) { paint(view); } else { give(view, giving); }
        }
        if (behind.length) { next(); } else { catching = false; }
      });
    });
  }

  function checked(selector) {
    return Array.from(document.querySelectorAll(selector + " input:checked")).map(function (input) { return input.value; });
  }

  // A control's own change event repaints the figures at once, in the same frame
  // as the click; Dash's callback then arrives with the same state and finds
  // nothing left to do but the list and the URL. Anything not read here (All,
  // None, a search, a link) takes Dash's path alone.
  // A checkbox's click comes first: React turns it into the control's own change and Dash
  // re-renders the control (10-20 ms) before the browser's change event, so the figures are
  // brought to the new state from the click, ahead of that work (the box is already ticked
  // when its click is dispatched). The change event then finds the state already shown.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.tagName === "INPUT" && target.type === "checkbox" && fromControl(target)) {
      target._bodymapClicked = target.checked;
    }
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target._bodymapClicked === target.checked) { target._bodymapClicked = undefined; return; }
    fromControl(target);
  }, true);

  function fromControl(target) {
    if (!last || !target || target.tagName !== "INPUT") { return false; }
    var next = Object.assign({}, last);
    if (target.closest("#meridian-select")) { next.meridians = checked("#meridian-select"); }
    else if (target.closest("#view-select")) { next.views = checked("#view-select"); }
    else if (target.id === "labels-switch") { next.labels = target.checked; }
    else if (target.id === "channels-switch") { next.channels = target.checked; }
    else if (target.id === "fit-switch") { next.fit = target.checked; }
    else if (target.closest("#condition-select")) { next.conditions = checked("#condition-select"); }
    else if (target.closest("#category-select")) { next.categories = checked("#category-select"); }
    else if (target.id === "lesson-only") { next.lessonOnly = target.checked; }
    else { return false; }
    update(next);
    return true;
  }

  // The condition filter box hides the conditions (and groups) its words do not match.
  document.addEventListener("input", function (event) {
    if (!event.target || event.target.id !== "condition-filter") { return; }
    var words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("#condition-select .condition-group").forEach(function (group) {
      var heading = group.dataset.group.toLowerCase(), any = false;
      group.querySelectorAll(".form-check").forEach(function (item) {
        var text = heading + " " + item.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        item.hidden = !match;
        any = any || match;
      });
      group.hidden = !any;
    });
  }, true);

  function showChosen(catalogue, conditions) {
    var line = document.getElementById("conditions-chosen");
    if (!line) { return; }
    var names = conditions.map(function (c) { return catalogue.condition_names[c] || c; });
    var text = names.length ? words("chosen", { names: names.join(words("listSeparator", {})) }) : "";
    if (line.textContent !== text) { line.textContent = text; }
  }

  // ---- the quiz: a click or tap anywhere on the body is an answer ------------
  // plotly reports clicks on markers only, and the quiz figure has none: the
  // pointer's own events are read, and `drawing` turns the position into the
  // view's units. A press that moves (a pan, a scroll) or a pinch is no answer.
  var quizGd = null, answers = 0, quizDrawn = null;
  function attachQuiz(gd) {
    quizGd = gd;
    var down = null;
    pinchZoom(gd);
    gd.on("plotly_afterplot", function () { quizDrawn = gd.layout.meta ? gd.layout.meta.view : null; });
    gd.addEventListener("pointerdown", function (event) {
      down = event.isPrimary && !event.target.closest(".modebar") ?
        { x: event.clientX, y: event.clientY, id: event.pointerId } : null;
    }, true);
    // The press ends wherever the pointer is: plotly covers the page while a mouse
    // button is down, so the release is heard on the window.
    window.addEventListener("pointercancel", function () { down = null; }, true);
    window.addEventListener("pointerup", function (event) {
      var start = down;
      down = null;
      if (!start || event.pointerId !== start.id || gd._bodymapPinch ||
          Math.hypot(event.clientX - start.x, event.clientY - start.y) > 8) { return; }
      var at = drawing.toData(gd, event.clientX, event.clientY);
      if (!at || !gd.layout.meta || !gd.layout.meta.view) { return; }
      answers++;
      window.dash_clientside.set_props("quiz-click", { data: { view: gd.layout.meta.view, x: at[0], y: at[1],
                                                                n: answers } });
    }, true);
  }

  // dcc.Upload draws a bare file input: it is named here after the text it shows.
  function labelUpload() {
    var input = document.querySelector("#lesson-upload input[type=file]");
    if (input && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", "Open a lesson file (.toml)");
    }
    return Boolean(input);
  }

  function watchQuiz() {
    var gd = document.querySelector("#quiz-graph .js-plotly-plot");
    if (gd && gd !== quizGd && typeof gd.on === "function") { attachQuiz(gd); }
    return labelUpload() && Boolean(quizGd);
  }
  var quizObserver = new MutationObserver(function () { if (watchQuiz()) { quizObserver.disconnect(); } });
  function startQuizWatch() {
    if (!watchQuiz()) { quizObserver.observe(document.body, { childList: true, subtree: true }); }
  }
  if (document.body) { startQuizWatch(); } else { document.addEventListener("DOMContentLoaded", startQuizWatch); }

  // ---- the lesson panel -------------------------------------------------------
  // A move, a removal or a note redraws the list; focus goes back to the same
  // control of the same point (or the nearest one), so the keyboard keeps its place.
  var LESSON_MAX_BYTES = 64 * 1024;
  function keepLessonFocus(button) {
    var list = document.getElementById("lesson-points");
    var at = Array.from(list.children).indexOf(button.closest("li"));
    var parts = button.dataset.key.split("-"), action = parts[0], code = parts.slice(1).join("-");
    var other = { up: "down", down: "up" }[action];
    // The redrawn list may reuse the focused node for another point, so the
    // control is found again by its point, each time the list changes, for a moment.
    function refocus() {
      var target = list.querySelector('[data-key="' + action + "-" + code + '"]:not([disabled])') ||
        (other && list.querySelector('[data-key="' + other + "-" + code + '"]:not([disabled])'));
      if (!target && action === "remove") {
        var rows = list.children, row = rows[Math.min(at, rows.length - 1)];
        target = row && row.querySelector('[data-key^="remove-"]');
      }
      target = target || document.getElementById("lesson-title");
      var active = document.activeElement;
      if (target !== active && (!active || active === document.body || list.contains(active))) { target.focus(); }
    }
    var observer = new MutationObserver(refocus);
    observer.observe(list, { childList: true, subtree: true, attributes: true });
    setTimeout(function () { observer.disconnect(); }, 3000);
  }

  function copyLink(input, status) {
    function done(ok) { status.textContent = ok ? words("copied", {}) : words("copyHint", {}); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
      return;
    }
    // Served over plain http on a classroom network, the clipboard API is absent:
    // the selected text is copied the old way.
    input.focus();
    input.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    done(ok);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) { return; }
    var copy = target.closest("#lesson-copy, #lesson-quiz-copy");
    if (copy) {
      copyLink(document.getElementById(copy.id === "lesson-copy" ? "lesson-link" : "lesson-quiz-link"),
               document.getElementById("lesson-copied"));
      return;
    }
    var show = target.closest("#lesson-points button[data-code]");
    if (show) { window.dash_clientside.set_props("selected-point", { data: show.dataset.code }); return; }
    var control = target.closest("#lesson-points button[data-key]");
    if (control) { keepLessonFocus(control); }
  }, true);
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("lesson-link")) {
      event.target.select();  // one tap or Tab selects the whole link
    }
  });

  // A file past the lesson limit is refused here, before the browser reads and sends it.
  function refuseLarge(event, files) {
    var file = files && files[0];
    if (!file || file.size <= LESSON_MAX_BYTES) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (event.target && event.target.value) { event.target.value = ""; }
    window.dash_clientside.set_props("lesson-upload-refused", { data: { name: file.name, size: file.size, at: Date.now() } });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.closest && event.target.closest("#lesson-upload")) {
      refuseLarge(event, event.target.files);
    }
  }, true);
  document.addEventListener("drop", function (event) {
    if (event.target && event.target.closest && event.target.closest("#lesson-upload")) {
      refuseLarge(event, event.dataTransfer && event.dataTransfer.files);
    }
  }, true);

  // ---- Dash's clientside callbacks ------------------------------------------
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    bodymap: {
      apply: function (payload, views, conditions, meridians, selected, labels, channels, categories, fit, lesson,
                       lessonOnly, applied, catalogue, figures) {
        var noUpdate = window.dash_clientside.no_update;
        if (!applied || !catalogue) { return [noUpdate, noUpdate]; }
        // One checklist per condition group: the chosen conditions are all their values.
        var chosen = [].concat.apply([], (conditions || []).filter(Array.isArray));
        last = { payload: payload, views: views, conditions: chosen, meridians: meridians, selected: selected,
                 labels: labels, channels: channels, categories: categories, fit: fit, lesson: lesson,
                 lessonOnly: lessonOnly, catalogue: catalogue, figures: figures };
        showChosen(catalogue, chosen);
        var result = update(last);
        // The list follows once the figures' frame is painted, so they never wait for it.
        var listing = { ranks: result.ranks, of: result.of, readings: payload && payload.readings };
        cancelAnimationFrame(pendingList);
        pendingList = requestAnimationFrame(function () {
          setTimeout(function () { drawResults(catalogue, listing); }, 0);
        });
        var text = result.count === 1 ? words("matchOne", {}) : words("matchMany", { count: result.count });
        if (result.of > 1) { text += words("rankedBy", { of: result.of }); }
        return [Date.now(), text];
      },
      // The handout link: the page's own (canonical) query plus the export options;
      // while only a lesson's points are shown, the lesson's own handout.
      exportLink: function (search, title, paper, landscape, format, table, framed) {
        var params = new URLSearchParams(search || "");
        if (params.has("lesson") && !params.has("show")) {
          params = new URLSearchParams({ lesson: params.get("lesson") });
        } else {
          ["labels", "channels", "point", "lesson", "show", "mode", "points", "ask", "within", "frame"].forEach(
            function (key) { params.delete(key); });
        }
        // A handout frames its views on its points unless asked for whole views.
        if (framed === false) { params.set("frame", "body"); }
        if (title) { params.set("title", title); }
        params.set("paper", paper || "a4");
        params.set("format", format || "pdf");
        if (landscape) { params.set("landscape", "1"); }
        if (!table) { params.set("table", "0"); }
        return "/_bodymap/export?" + params.toString();
      },
      // Each quiz's progress is kept by its key (its points, views and task), the last few only.
      saveQuiz: function (state, saved) {
        if (!state || !state.key) { return window.dash_clientside.no_update; }
        var kept = {};
        Object.keys(saved || {}).filter(function (key) { return key !== state.key; }).slice(-4)
          .forEach(function (key) { kept[key] = saved[key]; });
        kept[state.key] = state;
        return kept;
      },
      // After the quiz's page has changed, focus goes where the next key press belongs.
      quizFocus: function (focus) {
        var target = focus && focus.target;
        requestAnimationFrame(function () {
          if (!target || !document.getElementById("page").classList.contains("is-quiz")) { return; }
          var node = target === "choice" ? document.querySelector("#quiz-choices button:not([disabled])")
            : document.getElementById(target);
          if (node && !node.hidden) { node.focus({ preventScroll: true }); }
        });
        return window.dash_clientside.no_update;
      },
      select: function () {
        var noUpdate = window.dash_clientside.no_update;
        var context = window.dash_clientside.callback_context;
        var fired = context && context.triggered && context.triggered[0];
        var point = fired && fired.value && fired.value.points && fired.value.points[0];
        if (!point || point.customdata === undefined || point.customdata === null) { return noUpdate; }
        var gd = graphs[String(fired.prop_id).replace(/^graph-/, "").replace(/\.clickData$/, "")];
        if (gd && gd._bodymapPinch) { return noUpdate; }  // fingers lifting after a pinch, not a tap
        var code = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
        // A hidden marker is still there, only transparent: a click on it selects nothing.
        return isOn(code) ? code : noUpdate;
      }
    }
  });

  // For tests and tools: where a point's marker is on screen, and whether
  // plotly's drawing still looks the way `drawing` expects.
  window.bodymap = {
    locate: function (view, code) {
      var gd = graphs[view];
      if (!gd) { return null; }
      var groups = drawing.groups(gd), found = null;
      gd.data.forEach(function (trace, t) {
        var k = trace.customdata ? trace.customdata.indexOf(code) : -1;
        if (found || k < 0 || !groups[t] || !trace.meta || trace.meta.kind !== "points") { return; }
        drawing.nodes(groups[t], function (node, i) {
          if (i === k && node.tagName.toLowerCase() === "path") {
            var box = node.getBoundingClientRect();
            found = [box.left + box.width / 2, box.top + box.height / 2];
          }
        });
      });
      return found;
    },
    check: function (view) { return graphs[view] ? drawing.check(graphs[view]) : ["no graph for " + view]; },
    // A view's SVG position on screen, and back ("quiz" for the quiz's figure).
    toScreen: function (view, x, y) {
      var gd = view === "quiz" ? quizGd : graphs[view];
      return gd ? drawing.toScreen(gd, x, y) : null;
    },
    toData: function (view, clientX, clientY) {
      var gd = view === "quiz" ? quizGd : graphs[view];
      return gd ? drawing.toData(gd, clientX, clientY) : null;
    },
    quizView: function () { return quizDrawn; },  // the view the quiz figure last finished drawing
    // Where the quiz figure draws its markers of one kind ("truth", "answer", "ring").
    quizMarks: function (kind) {
      if (!quizGd || !quizGd.data) { return []; }
      var groups = drawing.groups(quizGd), found = [];
      quizGd.data.forEach(function (trace, t) {
        if (!trace.meta || trace.meta.kind !== kind || !groups[t]) { return; }
        drawing.nodes(groups[t], function (node) {
          if (node.tagName.toLowerCase() === "path") {
            var box = node.getBoundingClientRect();
            found.push([box.left + box.width / 2, box.top + box.height / 2]);
          }
        });
      });
      return found;
    },
    shown: function (view) {  // markers a reader can see on a view, less the ring
      var gd = graphs[view], groups = gd ? drawing.groups(gd) : {}, n = 0;
      if (!gd) { return -1; }
      gd.data.forEach(function (trace, t) {
        if (!trace.meta || trace.meta.kind !== "points" || !groups[t]) { return; }
        drawing.nodes(groups[t], function (node) {
          if (node.tagName.toLowerCase() === "path" && node.getAttribute("transform") &&
              getComputedStyle(node).opacity !== "0") { n++; }
        });
      });
      var panel = document.getElementById("panel-" + view);
      return panel && panel.classList.contains("is-painted") && !panel.classList.contains("is-hidden") ? n : -1;
    }
  };
})();
