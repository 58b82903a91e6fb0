// The 3D view: plotly.js's gl3d bundle and the scene load when the view is first
// shown; after that the page's wanted state (assets/bodymap.js) filters the scene
// by restyling its marker traces, so no figure crosses the wire again.
(function () {
  "use strict";

  var state = null;     // the latest wanted state from bodymap.js
  var scene = null;     // once drawn: the plot, its plotly, and the full marker data
  var loading = null;

  function holder() { return document.getElementById("scene-plot"); }

  // The words this script writes, in the page's language: assets/bodymap.js holds them
  // (it runs first: Dash loads the assets in name order).
  function say(key, values) { return window.bodymapWords(key, values); }

  // Where the time goes, for benchmarks/scene.py (the browser's own performance timeline).
  function mark(name) {
    if (window.performance && performance.mark) { performance.mark("bodymap:3d-" + name); }
  }

  function problem(text) {
    var box = document.getElementById("scene-problem");
    if (box) { box.textContent = text; box.classList.toggle("show", Boolean(text)); box.hidden = !text; }
  }

  // The gl3d bundle must not replace the page's own window.Plotly (the basic bundle the
  // 2D views were drawn with), yet it sets window.Plotly itself: it runs here as a module,
  // and the page's Plotly is put back in the same task, before any other code can run.
  function loadPlotly(url, early) {
    if (!url) {
      return new Promise(function (resolve) {
        (function wait() { if (window.Plotly) { resolve(window.Plotly); } else { setTimeout(wait, 50); } })();
      });
    }
    return (early || fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })).catch(function (error) {
      throw new Error(say("sceneCodeMissing", { status: error.message }));
    }).then(function (code) {
      var module = { exports: {} }, page = window.Plotly;
      try {
        new Function("module", "exports", code)(module, module.exports);
      } finally {
        window.Plotly = page;
      }
      mark("evaluated");
      if (!module.exports || typeof module.exports.newPlot !== "function") {
        throw new Error("the 3D drawing code is not plotly.js");
      }
      return module.exports;
    });
  }

  // What the 3D view needs from the server, asked for once. A link that opens the 3D view
  // asks at once, while the page is still building (the addresses come with the page).
  var fetched = null;
  function fetchAll(bundleUrl, sceneUrl) {
    if (!fetched) {
      // Downloads the page's head started (a link straight to the 3D view) are taken over once.
      var early = window.bodymapSceneEarly || {};
      window.bodymapSceneEarly = null;
      fetched = Promise.all([
        loadPlotly(bundleUrl, early.bundle),
        (early.scene || fetch(sceneUrl).then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })).catch(function (error) { throw new Error(say("sceneBodyMissing", { status: error.message })); })
      ]);
      fetched.catch(function () { fetched = null; });
    }
    return fetched;
  }
  if (/[?&]view=[^&#]*\b3d\b/.test(location.search) && window.bodymapSceneUrls) {
    fetchAll(window.bodymapSceneUrls.bundle, window.bodymapSceneUrls.scene);
    var waiting = new MutationObserver(function () {
      if (holder()) { waiting.disconnect(); start(); }
    });
    var watch = function () { waiting.observe(document.body, { childList: true, subtree: true }); };
    if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }
  }

  // Drawing starts as soon as the plot's place and the data are there, even before the
  // page's filters are known (a link straight to the 3D view): the first, costly drawing
  // of the body then overlaps the page's own start. Until the filters are known the body
  // is drawn bare, without markers, so it never shows a point the filters would not pass.
  function start() {
    var div = holder();
    if (loading || !div) { return; }
    mark("start");
    problem("");
    div.setAttribute("aria-busy", "true");
    loading = fetchAll(div.dataset.bundleUrl, div.dataset.sceneUrl).then(function (got) {
      var P = got[0], figure = got[1];
      mark("fetched");
      prepare(P, div, figure);
      var restore = withoutMultisampling(), drawing;
      try {
        drawing = P.newPlot(div, traces(), figure.layout, {
          displaylogo: false, responsive: true, scrollZoom: false,
          // plotly draws 3D at twice the screen's resolution by default: four times the pixels for
          // a screen that shows no more of them (and WebGL is often drawn in software).
          plotGlPixelRatio: Math.min(window.devicePixelRatio || 1, 2),
          modeBarButtonsToRemove: ["resetCameraLastSave3d", "hoverClosest3d"]
        });
      } catch (error) {
        restore();
        throw error;
      }
      return drawing.then(function () {
        restore();
        mark("drawn");
        div.dataset.body = "drawn";  // for tests and benchmarks: the body is on the screen
        ready();
      }, function (error) { restore(); throw error; });
    }).catch(function (error) {
      loading = null;  // showing the view again tries again
      scene = null;
      div.removeAttribute("aria-busy");
      problem(say("sceneProblem", { problem: error.message }));
    });
  }

  // Where WebGL is drawn in software (no graphics processor, as on many school machines and
  // virtual desktops), multisampled edges cost about a third of every frame; there the 3D view
  // is drawn without them. plotly.js asks for them when it makes its drawing context, so the
  // context is made without while plotly makes it; the browser's own getContext is restored
  // straight after. Returns the function that restores it.
  function withoutMultisampling() {
    if (!softwareWebGL()) { return function () {}; }
    var proto = HTMLCanvasElement.prototype, original = proto.getContext;
    proto.getContext = function (kind, attributes) {
      if (/webgl/.test(kind)) { attributes = Object.assign({}, attributes, { antialias: false }); }
      return original.call(this, kind, attributes);
    };
    return function () { if (proto.getContext !== original) { proto.getContext = original; } };
  }

  var software = null;
  function softwareWebGL() {
    if (software === null) {
      software = false;
      try {
        var gl = document.createElement("canvas").getContext("webgl");
        var info = gl && gl.getExtension("WEBGL_debug_renderer_info");
        var renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
        software = /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
        var lose = gl && gl.getExtension("WEBGL_lose_context");
        if (lose) { lose.loseContext(); }
      } catch (error) { software = false; }
    }
    return software;
  }

  function prepare(P, div, figure) {
    var points = [], channels = [], ring = -1;
    figure.data.forEach(function (trace, t) {
      var kind = trace.meta && trace.meta.kind;
      if (kind === "points") {
        // One trace of every spot, each with its meridian's colour and shape (bodymap/scene.py).
        points.push({ t: t, meridians: trace.meta.meridians, x: trace.x, y: trace.y, z: trace.z,
                      codes: trace.customdata, hover: trace.hovertext, colours: trace.marker.color,
                      symbols: trace.marker.symbol, marker: trace.marker });
      } else if (kind === "channel") {
        channels.push({ t: t, meridian: trace.meta.meridian });
      } else if (kind === "selected") {
        ring = t;
      }
    });
    scene = { P: P, div: div, data: figure.data.slice(), points: points, channels: channels, ring: ring,
              meta: figure.layout.meta, drawn: false, keys: {} };
  }

  function ready() {
    var div = scene.div;
    scene.drawn = true;
    drawing3d.keepMesh(div);
    div.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      if (!point || !point.data || !point.data.meta || point.data.meta.kind !== "points") { return; }
      var code = point.customdata;
      if (state && state.isOn(code) && window.dash_clientside && window.dash_clientside.set_props) {
        window.dash_clientside.set_props("selected-point", { data: code });
      }
    });
    apply();
  }

  function pick(list, keep) { return keep.map(function (k) { return list[k]; }); }

  // The body alone: no markers, no ring, no channel lines.
  function bare() {
    var empty = { x: [], y: [], z: [], customdata: [], hovertext: [] };
    return scene.data.filter(function (trace, t) {
      return !scene.channels.some(function (line) { return line.t === t; });
    }).map(function (trace) {
      var kind = trace.meta && trace.meta.kind;
      if (kind === "points") {
        return Object.assign({}, trace, empty, { marker: Object.assign({}, trace.marker, { color: [], symbol: [] }) });
      }
      return kind === "selected" ? Object.assign({}, trace, { x: [], y: [], z: [] }) : trace;
    });
  }

  // The scene's traces under the wanted state: matching markers only, channel lines of
  // the shown meridians when asked for, the ring round the selected point. A trace that
  // does not change stays the same object, so plotly's react redraws only what changed,
  // in one frame. Before the state is known, every trace as sent.
  function traces() {
    if (!state) { return bare(); }
    var data = scene.data.slice(), shownMeridians = {}, markers = 0, codes = {};
    var ring = { x: [], y: [], z: [] };
    function set(t, key, values) {
      if (scene.keys[t] !== key) { scene.keys[t] = key; data[t] = Object.assign({}, scene.data[t], values); }
      else if (scene.current) { data[t] = scene.current[t]; }
    }
    scene.points.forEach(function (trace) {
      var keep = [];
      trace.codes.forEach(function (code, k) {
        if (state.isOn(code)) { keep.push(k); codes[code] = true; shownMeridians[trace.meridians[k]] = true; }
        if (code === state.selected) { ring.x.push(trace.x[k]); ring.y.push(trace.y[k]); ring.z.push(trace.z[k]); }
      });
      markers += keep.length;
      set(trace.t, keep.join(","), {
        x: pick(trace.x, keep), y: pick(trace.y, keep), z: pick(trace.z, keep),
        customdata: pick(trace.codes, keep), hovertext: pick(trace.hover, keep),
        marker: Object.assign({}, trace.marker, { color: pick(trace.colours, keep), symbol: pick(trace.symbols, keep) })
      });
    });
    if (scene.ring >= 0) { set(scene.ring, JSON.stringify(ring), ring); }
    // Channel lines not shown are left out altogether: plotly updates every 3D trace it
    // has on every change, shown or not, and the lines are half of that work.
    var off = {};
    scene.channels.forEach(function (line) {
      if (!(state.channels && shownMeridians[line.meridian])) { off[line.t] = true; }
    });
    scene.current = data;
    data = data.filter(function (trace, t) { return !off[t]; });
    scene.shown = { points: Object.keys(codes).length, markers: markers, ring: ring.x.length };
    return data;
  }

  function apply() {
    if (!scene || !state || !scene.drawn) { return; }
    var div = scene.div, before = div.data, data = traces();
    var changed = !before || data.length !== before.length || data.some(function (trace, t) { return trace !== before[t]; });
    if (changed) { mark("react"); }
    var work = changed ? scene.P.react(div, data, div.layout) : Promise.resolve();
    var turn = document.getElementById("scene-turn");
    if (turn) { turn.disabled = !scene.shown.ring; }
    var count = scene.shown.points;
    var summary = document.getElementById("summary-3d");
    var text = say(count === 1 ? "sceneSummaryOne" : "sceneSummary", { points: count, markers: scene.shown.markers });
    if (summary && summary.textContent !== text) { summary.textContent = text; }
    var key = state.key + "|" + (state.selected || "");
    Promise.resolve(work).then(function () {
      // For tests and benchmarks: the state the drawing now shows.
      div.dataset.applied = key;
      mark("applied");
      requestAnimationFrame(function () { requestAnimationFrame(function () { mark("painted"); }); });
      div.removeAttribute("aria-busy");
    });
  }

  // The body turned so the selected point faces the reader: the camera looks at the
  // point along the skin's normal there.
  function turnToSelected() {
    if (!scene || !state || !state.selected) { return null; }
    var meta = scene.meta, normal = null, spot = null;
    Object.keys(meta.normals).some(function (key) {
      if (key.split("|")[0] !== state.selected) { return false; }
      normal = meta.normals[key];
      return true;
    });
    scene.points.some(function (trace) {
      var k = trace.codes.indexOf(state.selected);
      if (k >= 0) { spot = [trace.x[k], trace.y[k], trace.z[k]]; }
      return k >= 0;
    });
    if (!normal || !spot) { return null; }
    // Camera coordinates: the box round the body spans -0.5..0.5 on each axis (aspectmode cube).
    var centre = spot.map(function (v, a) { return (v - meta.centre[a]) / (2 * meta.half); });
    var eye = centre.map(function (v, a) { return v + normal[a] * 0.45; });
    // Plotly turns the body about its vertical (z); a point on the crown is seen from a little in front.
    if (Math.abs(normal[2]) > 0.9) { eye[1] -= 0.35; }
    return { center: { x: centre[0], y: centre[1], z: centre[2] }, eye: { x: eye[0], y: eye[1], z: eye[2] },
             up: { x: 0, y: 0, z: 1 } };
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-camera]");
    if (!button || !scene || !scene.drawn) { return; }
    var name = button.dataset.camera, camera;
    if (name === "selected") {
      camera = turnToSelected();
    } else if (scene.meta.cameras[name]) {
      var preset = scene.meta.cameras[name];
      camera = { eye: { x: preset.eye[0], y: preset.eye[1], z: preset.eye[2] },
                 up: { x: preset.up[0], y: preset.up[1], z: preset.up[2] }, center: { x: 0, y: 0, z: 0 } };
    }
    if (camera) { scene.P.relayout(scene.div, { "scene.camera": camera }); }
  });

  document.addEventListener("bodymap:state", function (event) {
    if (!state) { mark("state"); }
    state = event.detail;
    if (state.views.indexOf("3d") >= 0) { start(); }
    apply();
  });

  // ---- plotly's 3D drawing ------------------------------------------------------
  // The one place that reads plotly.js's private 3D structures: where a point of the
  // scene lands on the screen (plotly's own 3D annotations project the same way).
  // `check` says what no longer holds after a plotly upgrade; a browser test fails on it.
  var drawing3d = {
    scene: function (div) { return div._fullLayout && div._fullLayout.scene && div._fullLayout.scene._scene; },
    check: function (div) {
      var problems = [], inner = drawing3d.scene(div);
      if (!inner) { return ["no _fullLayout.scene._scene"]; }
      var camera = inner.glplot && inner.glplot.cameraParams;
      ["model", "view", "projection"].forEach(function (name) {
        if (!camera || !camera[name] || camera[name].length !== 16) { problems.push("no 4x4 cameraParams." + name); }
      });
      if (!inner.dataScale || inner.dataScale.length !== 3) { problems.push("no dataScale"); }
      if (!div._fullLayout._size || !div._fullLayout.scene.domain) { problems.push("no _size or scene.domain"); }
      if (!drawing3d.meshes(div).length) { problems.push("no mesh3d object with update() in _scene.traces"); }
      return problems;
    },
    // The skin's drawing object(s): plotly keeps one per trace in _scene.traces.
    meshes: function (div) {
      var inner = drawing3d.scene(div), found = [];
      Object.keys((inner && inner.traces) || {}).forEach(function (uid) {
        var obj = inner.traces[uid];
        if (obj && obj.data && obj.data.type === "mesh3d" && typeof obj.update === "function") { found.push(obj); }
      });
      return found;
    },
    // plotly updates every 3D trace on every change, the skin's 16,000 triangles too (their
    // normals and buffers): half of a filter change's work, for a skin that never changes. The
    // skin is updated only when its own trace is another object.
    keepMesh: function (div) {
      drawing3d.meshes(div).forEach(function (obj) {
        if (obj._bodymapKept) { return; }
        var update = obj.update;
        obj._bodymapKept = true;
        obj._bodymapInput = obj.data._input;
        obj.update = function (data) {
          if (data && data._input && data._input === this._bodymapInput) { this.data = data; return; }
          this._bodymapInput = data && data._input;
          return update.call(this, data);
        };
      });
    },
    project: function (div, xyz) {
      var inner = drawing3d.scene(div), camera = inner.glplot.cameraParams, scale = inner.dataScale;
      function times(m, v) {
        var out = [0, 0, 0, 0];
        for (var i = 0; i < 4; i++) { for (var j = 0; j < 4; j++) { out[j] += m[4 * i + j] * v[i]; } }
        return out;
      }
      var p = times(camera.projection, times(camera.view, times(camera.model,
        [xyz[0] * scale[0], xyz[1] * scale[1], xyz[2] * scale[2], 1])));
      var size = div._fullLayout._size, domain = div._fullLayout.scene.domain, box = div.getBoundingClientRect();
      return [box.left + size.l + domain.x[0] * size.w + 0.5 * (1 + p[0] / p[3]) * size.w * (domain.x[1] - domain.x[0]),
              box.top + size.t + (1 - domain.y[1]) * size.h + 0.5 * (1 - p[1] / p[3]) * size.h * (domain.y[1] - domain.y[0])];
    }
  };

  // For tests and tools: what the scene shows, and where.
  window.bodymapScene = {
    check: function () { return scene && scene.drawn ? drawing3d.check(scene.div) : ["no scene drawn"]; },
    // Where the first shown marker of `code` is on the screen.
    locate: function (code) {
      if (!scene || !scene.drawn) { return null; }
      var found = null;
      scene.div.data.some(function (data) {
        var k = data.meta && data.meta.kind === "points" ? (data.customdata || []).indexOf(code) : -1;
        if (k >= 0) { found = drawing3d.project(scene.div, [data.x[k], data.y[k], data.z[k]]); }
        return k >= 0;
      });
      return found;
    },
    markers: function () {
      if (!scene || !scene.drawn) { return -1; }
      return scene.div.data.reduce(function (n, data) {
        return n + (data.meta && data.meta.kind === "points" ? (data.x || []).length : 0);
      }, 0);
    },
    camera: function () { return scene && scene.drawn ? scene.div.layout.scene.camera : null; },
    plotly: function () { return scene ? scene.P : null; }
  };
})();
