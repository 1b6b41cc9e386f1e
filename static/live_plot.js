// The dashboard's persistent plot: three plotly.js panels, the animation, its keys and clicks.
//
// Mounted by Streamlit's components v2 (live_plot.py) and by the offline HTML export, with the
// same data: {parts: {view, run}} from rnnviz/live.py. This file knows plotly.js, not RNNs:
// it merges the parts into one figure per panel and, for iterate i, fills each moving trace
// from row i of its series. State lives per mounted element (a WeakMap), never in globals.

const STATE = new WeakMap();
const PANELS = ["surface", "gradient", "run"];
const FRAME_MS = 16; // one iterate per screen refresh at speed 1
const ANIMATE = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };
const CONFIG = { displaylogo: false, responsive: false, scrollZoom: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

export function mount(component) {
  const root = component.parentElement;
  let state = STATE.get(root);
  if (!state) {
    state = create(root);
    STATE.set(root, state);
  }
  state.component = component; // the newest one carries the live setTriggerValue
  update(state, component.data || {});
  // Streamlit also calls the cleanup of a mount call that new data overtook while it was
  // still loading (the element stays), so only an element that has left the page is
  // destroyed: destroying on every call purged live plots mid-draw ("e.emit is not a
  // function" from Plotly.react).
  return () => setTimeout(() => {
    if (!root.isConnected) destroy(root);
  }, 0);
}

// --------------------------------------------------------------------------- series

function decodeSeries(spec) {
  const bytes = Uint8Array.from(atob(spec.bdata), (c) => c.charCodeAt(0));
  const types = { f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, u2: Uint16Array };
  const raw = new types[spec.dtype](bytes.buffer);
  return { raw, shape: spec.shape, log10: !!spec.log10, mask: spec.mask || null };
}

function decodeAll(specs) {
  const out = {};
  for (const [name, spec] of Object.entries(specs || {})) {
    out[name] = spec.labels ? { labels: spec.labels, codes: decodeSeries(spec.codes).raw } : decodeSeries(spec);
  }
  return out;
}

const real = (s, v) => (s.log10 ? 10 ** v : v);
// A series shorter than the run (a racer that stopped: diverged) holds its last row.
const rows = (s) => (s.labels ? s.codes.length : s.shape[0]);
const clamp = (s, i) => Math.min(i, rows(s) - 1);

function scalarAt(series, name, i) {
  const s = series[name];
  if (s.labels) return s.labels[s.codes[clamp(s, i)]];
  return real(s, s.raw[clamp(s, i)]);
}

function rowAt(series, name, i) {
  const s = series[name];
  i = clamp(s, i);
  if (s.shape.length === 1) return [real(s, s.raw[i])];
  const width = s.shape[1];
  const mask = s.mask ? series[s.mask].raw : null;
  const out = new Array(width);
  for (let k = 0; k < width; k++) {
    const j = i * width + k;
    out[k] = mask && mask[j] === 0 ? null : real(s, s.raw[j]);
  }
  return out;
}

// The whole of a series, as a trace field: {"series": name} in a trace, "raw" keeps log10s.
function wholeSeries(series, ref) {
  const s = series[ref.series];
  // Plain arrays: plotly.js reads a typed array as a colour specifier in marker.color.
  return Array.from(s.raw, ref.raw || !s.log10 ? (v) => v : (v) => 10 ** v);
}

function resolve(value, series) {
  if (Array.isArray(value)) return value.map((v) => resolve(v, series));
  if (value && typeof value === "object") {
    if (typeof value.series === "string") return wholeSeries(series, value);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolve(v, series);
    return out;
  }
  return value;
}

// What a moving trace's field holds at iterate i.
function fieldAt(spec, series, i) {
  if (spec === "iteration") return [i, i];
  if (typeof spec === "string") return rowAt(series, spec, i);
  if (spec.upto) {
    // the series from its start to iterate i (a path that draws itself), optionally only
    // where another series is non-zero (the sign flips met so far)
    const s = series[spec.upto];
    const where = spec.where ? series[spec.where].raw : null;
    const out = [];
    for (let j = 0; j <= clamp(s, i); j++) {
      if (!where || where[j]) out.push(spec.raw || !s.log10 ? s.raw[j] : 10 ** s.raw[j]);
    }
    return out;
  }
  if (spec.at_last) {
    // one point, once the run has reached its last iterate
    const s = series[spec.at_last];
    return i >= rows(s) - 1 ? [real(s, s.raw[rows(s) - 1])] : [];
  }
  if (spec.geometric) {
    // y and marker.color of one trace read the same row: it is formed once per frame
    const memo = geometricRow.memo;
    if (memo.g !== spec.geometric || memo.i !== i || memo.series !== series) {
      Object.assign(memo, { g: spec.geometric, i, series, row: geometricRow(series, spec.geometric, i) });
    }
    const [values, signs] = memo.row;
    return spec.signs ? signs : values;
  }
  throw new Error(`unknown moving field ${JSON.stringify(spec)}`);
}

// Row i of a geometric series, a r^(T-k) for k = 0..T, from log10|a|, log10|r| and their signs
// (series of -1, 0, 1; a missing scale is 1): the values, and the signs as colour codes (1 for
// negative, 2 for positive). A zero sign, or a value beyond float64, is not drawn (null).
geometricRow.memo = {};
function geometricRow(series, g, i) {
  i = clamp(series[g.ratio], i);
  const logScale = g.scale ? series[g.scale].raw[i] : 0;
  const scaleSign = g.scale_sign ? series[g.scale_sign].raw[i] : 1;
  const logRatio = series[g.ratio].raw[i];
  const ratioSign = g.ratio_sign ? series[g.ratio_sign].raw[i] : 1;
  const values = new Array(g.exponents + 1);
  const signs = new Array(g.exponents + 1);
  for (let k = 0; k <= g.exponents; k++) {
    const n = g.exponents - k;
    const v = 10 ** (logScale + logRatio * n);
    const sign = scaleSign * (n === 0 ? 1 : ratioSign ** n);
    const drawn = sign !== 0 && Number.isFinite(v) && v > 0;
    values[k] = drawn ? v : null;
    signs[k] = drawn ? (sign > 0 ? 2 : 1) : null;
  }
  return [values, signs];
}

// "{cost:.4g}", "{w_x:.4f}", "{i}", "{last}" filled from the series at iterate i.
function fillTemplate(template, state, i) {
  return template.replace(/\{(\w+)(?::\.(\d+)([fg]))?\}/g, (_, name, digits, kind) => {
    if (name === "i") return String(i);
    if (name === "last") return String(state.run.count - 1);
    const v = scalarAt(state.series, name, i);
    if (typeof v === "string") return v;
    const text = kind === "f" ? v.toFixed(Number(digits)) : formatG(v, Number(digits || 6));
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0" in a readout
  });
}

// Python's "%.Ng": N significant digits, no trailing zeros, exponent of at least two digits.
function formatG(v, digits) {
  if (v === 0 || !Number.isFinite(v)) return String(v === 0 ? 0 : v);
  const exponent = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(digits)))));
  if (exponent < -4 || exponent >= digits) {
    const [mantissa, power] = v.toExponential(digits - 1).split("e");
    const sign = power[0] === "-" ? "-" : "+";
    const magnitude = power.replace(/^[+-]/, "").padStart(2, "0");
    return `${trimZeros(mantissa)}e${sign}${magnitude}`;
  }
  return trimZeros(v.toFixed(Math.max(digits - 1 - exponent, 0)));
}

const trimZeros = (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);

// --------------------------------------------------------------------------- the page

function create(root) {
  root.innerHTML = `
    <div class="lp-root" tabindex="-1">
      <div class="lp-bar" role="toolbar" aria-label="animation">
        <button type="button" class="lp-play" aria-keyshortcuts="Space">▶ play</button>
        <label class="lp-speed-label">speed
          <select class="lp-speed" aria-label="speed">
            <option value="0.25">¼×</option><option value="0.5">½×</option>
            <option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option>
          </select>
        </label>
        <button type="button" class="lp-first" aria-label="first iteration" aria-keyshortcuts="Home">|◀</button>
        <button type="button" class="lp-back" aria-label="one iteration back" aria-keyshortcuts="ArrowLeft">◀</button>
        <button type="button" class="lp-forward" aria-label="one iteration on" aria-keyshortcuts="ArrowRight">▶</button>
        <button type="button" class="lp-last" aria-label="last iteration" aria-keyshortcuts="End">▶|</button>
        <input type="range" class="lp-scrub" min="0" max="0" step="1" value="0" aria-label="iteration">
        <span class="lp-iteration">0 / 0</span>
        <button type="button" class="lp-copy" title="a link to this view at this iteration">copy link</button>
        <button type="button" class="lp-png" title="this frame as a picture, at twice the screen's resolution">PNG</button>
        <button type="button" class="lp-svg" title="this frame as vector graphics (the surface stays a picture inside)">SVG</button>
        <button type="button" class="lp-fullscreen">fullscreen</button>
      </div>
      <div class="lp-notes" role="status"></div>
      <div class="lp-grid">
        ${PANELS.map((p) => `<section class="lp-panel lp-${p}"><h3 class="lp-title"></h3>
          ${p === "gradient" ? '<div class="lp-badge"></div>' : ""}
          ${p === "run" ? '<div class="lp-readout"></div>' : ""}
          <div class="lp-legend" role="group" aria-label="legend: show or hide"></div>
          <div class="lp-plot"></div></section>`).join("")}
      </div>
      <p class="lp-help">Keys: Space plays and pauses · ← → one iteration (with Shift, ten) ·
        Home, End · a click on the surface starts the run there</p>
    </div>`;
  const $ = (selector) => root.querySelector(selector);
  const state = {
    root,
    el: {
      box: $(".lp-root"), play: $(".lp-play"), speed: $(".lp-speed"), scrub: $(".lp-scrub"),
      iteration: $(".lp-iteration"), notes: $(".lp-notes"), readout: $(".lp-readout"),
      badge: $(".lp-badge"), fullscreen: $(".lp-fullscreen"), copy: $(".lp-copy"),
    },
    plots: Object.fromEntries(PANELS.map((p) => [p, $(`.lp-${p} .lp-plot`)])),
    titles: Object.fromEntries(PANELS.map((p) => [p, $(`.lp-${p} .lp-title`)])),
    legends: Object.fromEntries(PANELS.map((p) => [p, $(`.lp-${p} .lp-legend`)])),
    parts: {}, // name -> {id, value}
    run: null, series: {}, moving: [], traceIndex: {},
    index: 0, playing: false, carry: 0, lastTick: 0, raf: 0, drawing: null, ready: false,
    listeners: [],
  };
  wireControls(state);
  wireKeys(state);
  wireClicks(state);
  wirePointer(state);
  wireResize(state);
  return state;
}

function listen(state, target, type, handler, options) {
  target.addEventListener(type, handler, options);
  state.listeners.push(() => target.removeEventListener(type, handler, options));
}

function destroy(root) {
  const state = STATE.get(root);
  if (!state) return;
  state.destroyed = true; // draws and frames still queued find nothing to do
  pause(state);
  state.listeners.forEach((remove) => remove());
  if (state.resizeObserver) state.resizeObserver.disconnect();
  if (state.pageObserver) state.pageObserver.disconnect();
  for (const gd of Object.values(state.plots)) window.Plotly.purge(gd);
  STATE.delete(root);
}

// --------------------------------------------------------------------------- data in

function update(state, data) {
  if (typeof data.help === "string") state.root.querySelector(".lp-help").textContent = data.help;
  if (Number.isInteger(data.start_frame)) state.startFrame = data.start_frame;
  if (typeof data.export_name === "string") state.exportName = data.export_name;
  if (typeof data.version === "string") state.version = data.version;
  state.el.box.classList.toggle("lp-present", !!data.present);
  if (!receiveParts(state, data)) return;
  const key = Object.values(state.parts).map((p) => p.id).join("|");
  if (key === state.drawnKey) return; // a rerun that changed nothing here
  state.drawnKey = key;
  draw(state);
}

// Keeps the parts that came with their values; false (and asks for them with a "missing"
// trigger) when a part came by id alone that this plot does not hold: the server sends a part
// once per session, and a remounted plot has lost it.
export function receiveParts(state, data) {
  const missing = [];
  for (const [name, part] of Object.entries(data.parts || {})) {
    const known = state.parts[name];
    if (part.value !== undefined) state.parts[name] = { id: part.id, value: part.value };
    else if (!known || known.id !== part.id) missing.push(name);
  }
  if (missing.length) state.component.setTriggerValue("missing", missing);
  return missing.length === 0;
}

function draw(state) {
  const view = state.parts.view.value;
  const run = state.parts.run.value;
  const wasPlaying = state.playing;
  state.ready = false; // no frame is rendered until the new figures are drawn
  state.run = run;
  state.series = decodeAll(run.series);
  state.moving = run.moving;
  if (!state.startApplied && Number.isInteger(state.startFrame)) state.index = state.startFrame;
  state.startApplied = true; // a link's ?frame= counts once, when the plot first draws
  state.index = Math.min(state.index, Math.max(run.count - 1, 0));
  state.el.scrub.max = String(Math.max(run.count - 1, 0));
  state.el.notes.replaceChildren(...(run.notes || []).map((text) => {
    const p = document.createElement("p");
    p.textContent = text;
    return p;
  }));
  // Presenter mode sizes the figure to the screen less the notes above it (a race's notes
  // pushed the surface below the fold on a projector).
  state.el.box.style.setProperty("--lp-notes", `${state.el.notes.offsetHeight}px`);
  fitToScreen(state);
  for (const p of PANELS) state.titles[p].textContent = (view.titles || {})[p] || "";
  // The view's traces are resolved once per view and kept: plotly.js's react compares arrays
  // by identity, so unchanged ones (the hover grid, the valley, the probes) are not recomputed.
  if (state.viewTracesId !== state.parts.view.id) {
    state.viewTraces = Object.fromEntries(PANELS.map((p) => [p, resolve(view[p].traces || [], {})]));
    state.viewTracesId = state.parts.view.id;
  }
  const previous = state.drawn || Promise.resolve();
  state.drawn = previous.then(() => state.destroyed || Promise.all(PANELS.map((p) => {
    const traces = [...state.viewTraces[p], ...resolve((run.panels[p] || {}).traces || [], state.series)];
    state.traceIndex[p] = Object.fromEntries(traces.map((t, k) => [t.uid, k]));
    const layout = merge(view[p].layout || {}, (run.panels[p] || {}).layout || {});
    layout.uirevision = state.parts.view.id; // a zoom survives new runs, not a new view
    drawLegend(state, p, traces);
    return window.Plotly.react(state.plots[p], traces, layout, CONFIG);
  }))).then(() => {
    if (state.destroyed) return;
    state.ready = true;
    if (run.count) render(state, state.index);
    if (wasPlaying && run.count) play(state);
  }).catch(reportError);
}

function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && base[k] && typeof base[k] === "object"
      ? merge(base[k], v) : v;
  }
  return out;
}

function reportError(error) {
  // An interrupted Plotly.animate rejects with undefined (platform notes): nothing to report.
  if (error !== undefined) console.error("live plot:", error);
}

// --------------------------------------------------------------------------- legends

// Legends are HTML in the page's flow, above each plot: they wrap at any width and never
// cover data. plotly.js's own legends pushed the margins once but not after a resize, so in
// fullscreen they slid over the plots (issue 7). A key shows or hides its traces.
const GLYPHS = { circle: "●", "circle-open": "○", diamond: "◆", star: "★", "x-thin": "✕" };

function drawLegend(state, panel, traces) {
  const keys = [];
  const groups = new Map();
  traces.forEach((trace, index) => {
    const group = trace.legendgroup || trace.uid;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(index);
    if (trace.showlegend === false || !trace.name) return;
    const key = document.createElement("button");
    key.type = "button";
    key.className = "lp-key";
    key.setAttribute("aria-pressed", trace.visible === false ? "false" : "true");
    key.append(swatch(trace));
    richText(key, trace.name);
    listen(state, key, "click", () => {
      const shown = key.getAttribute("aria-pressed") !== "true";
      key.setAttribute("aria-pressed", String(shown));
      window.Plotly.restyle(state.plots[panel], { visible: shown }, groups.get(group)).catch(reportError);
    });
    keys.push(key);
  });
  state.legends[panel].replaceChildren(...keys);
}

function swatch(trace) {
  const span = document.createElement("span");
  span.className = "lp-swatch";
  const mode = trace.mode || "";
  const marker = trace.marker || {};
  if (mode.includes("lines")) {
    span.classList.add("lp-line");
    span.style.borderTopColor = (trace.line || {}).color || "#444";
    span.style.borderTopStyle = { dot: "dotted", dash: "dashed" }[(trace.line || {}).dash] || "solid";
  } else {
    span.textContent = GLYPHS[marker.symbol || "circle"] || "●";
    span.style.color = typeof marker.color === "string" ? marker.color : (marker.line || {}).color || "#444";
  }
  return span;
}

// Trace names use <sub> and <sup> (plotly's markup); anything else is shown as text.
function richText(parent, text) {
  const span = document.createElement("span");
  const parts = String(text).split(/(<su[bp]>.*?<\/su[bp]>)/);
  for (const part of parts) {
    const tag = /^<(su[bp])>(.*)<\/su[bp]>$/.exec(part);
    if (tag) {
      const element = document.createElement(tag[1]);
      element.textContent = tag[2];
      span.append(element);
    } else if (part) {
      span.append(document.createTextNode(part));
    }
  }
  parent.append(span);
}

// --------------------------------------------------------------------------- animation

function render(state, i) {
  const run = state.run;
  if (!run || !run.count || !state.ready || state.destroyed) return;
  i = Math.max(0, Math.min(run.count - 1, Math.round(i)));
  state.index = i;
  state.el.scrub.value = String(i);
  state.el.iteration.textContent = `${i} / ${run.count - 1}`;
  state.el.readout.replaceChildren(...run.readout.map((line) => {
    const div = document.createElement("div");
    div.textContent = fillTemplate(line, state, i);
    return div;
  }));
  state.el.badge.textContent = run.badge ? fillTemplate(run.badge, state, i) : "";
  const frames = {};
  const made = {}; // "panel/trace" -> this frame's update, for the edge markers below
  for (const m of state.moving) {
    const trace = m.edge ? beyondTheAxis(state, m, made[`${m.panel}/${m.edge}`]) : {};
    for (const [field, spec] of Object.entries(m)) {
      if (["panel", "trace", "edge", "side"].includes(field)) continue;
      const path = field.split(".");
      let into = trace;
      for (const step of path.slice(0, -1)) into = into[step] = into[step] || {};
      into[path[path.length - 1]] = fieldAt(spec, state.series, i);
    }
    made[`${m.panel}/${m.trace}`] = trace;
    const frame = (frames[m.panel] = frames[m.panel] || { data: [], traces: [] });
    frame.data.push(trace);
    frame.traces.push(state.traceIndex[m.panel][m.trace]);
  }
  const drawing = Object.entries(frames).map(([panel, frame]) =>
    window.Plotly.animate(state.plots[panel], frame, ANIMATE).catch(reportError));
  state.drawing = Promise.all(drawing).then(() => { state.drawing = null; });
}

// Points of another trace (m.edge) that lie beyond the y axis's range on one side (m.side),
// drawn at that edge, each with its value on hover and the farthest one labelled (a label on
// every one would overlap the next): on a log axis deeper than can be shown, nothing leaves
// the chart silently.
function beyondTheAxis(state, m, source) {
  const gd = state.plots[m.panel];
  const axis = gd._fullLayout && gd._fullLayout.yaxis;
  const out = { x: [], y: [], text: [], customdata: [], textposition: [] };
  if (!axis || !source || !source.y) return out;
  const [lo, hi] = axis.range; // log10 units on a log axis
  const log = axis.type === "log";
  const xs = gd.data[state.traceIndex[m.panel][m.edge]].x;
  const inset = (hi - lo) * 0.03;
  const farthest = { k: -1, at: 0 };
  source.y.forEach((v, k) => {
    if (v === null || !(v > 0 || !log)) return;
    const at = log ? Math.log10(v) : v;
    const beyond = m.side === "above" ? at > hi : at < lo;
    if (!beyond) return;
    const edge = m.side === "above" ? hi - inset : lo + inset;
    out.x.push(xs[k]);
    out.y.push(log ? 10 ** edge : edge);
    out.text.push("");
    out.customdata.push(formatG(v, 3));
    const far = m.side === "above" ? at > farthest.at : at < farthest.at;
    if (farthest.k < 0 || far) Object.assign(farthest, { k: out.x.length - 1, at });
  });
  if (farthest.k >= 0) out.text[farthest.k] = out.customdata[farthest.k];
  // the label beside its marker, kept inside the plot near either end of the x axis
  const xa = gd._fullLayout.xaxis;
  const place = m.side === "above" ? "bottom" : "top";
  out.textposition = out.x.map((x) => {
    const px = xa.d2p(x);
    return `${place} ${px > xa._length - 40 ? "left" : px < 40 ? "right" : "center"}`;
  });
  return out;
}

function play(state) {
  const run = state.run;
  if (!run || run.count < 2) return;
  if (state.index >= run.count - 1) render(state, 0); // play again from the start
  state.playing = true;
  state.carry = 0;
  state.lastTick = performance.now();
  state.el.play.textContent = "❚❚ pause";
  state.el.play.setAttribute("aria-pressed", "true");
  const tick = (now) => {
    if (!state.playing) return;
    state.carry += ((now - state.lastTick) / FRAME_MS) * Number(state.el.speed.value);
    state.lastTick = now;
    // A frame still being drawn is not interrupted: time carries over, iterates are skipped.
    if (state.carry >= 1 && !state.drawing) {
      const next = Math.min(state.index + Math.floor(state.carry), run.count - 1);
      state.carry -= Math.floor(state.carry);
      render(state, next);
      if (next >= run.count - 1) {
        pause(state);
        return;
      }
    }
    state.raf = requestAnimationFrame(tick);
  };
  state.raf = requestAnimationFrame(tick);
}

function pause(state) {
  state.playing = false;
  cancelAnimationFrame(state.raf);
  state.el.play.textContent = "▶ play";
  state.el.play.setAttribute("aria-pressed", "false");
}

const togglePlay = (state) => (state.playing ? pause(state) : play(state));

function seek(state, i) {
  pause(state);
  render(state, i);
}

// --------------------------------------------------------------------------- input

function wireControls(state) {
  const el = state.el;
  listen(state, el.play, "click", () => togglePlay(state));
  listen(state, el.box.querySelector(".lp-first"), "click", () => seek(state, 0));
  listen(state, el.box.querySelector(".lp-back"), "click", () => seek(state, state.index - 1));
  listen(state, el.box.querySelector(".lp-forward"), "click", () => seek(state, state.index + 1));
  listen(state, el.box.querySelector(".lp-last"), "click", () => seek(state, Infinity));
  listen(state, el.scrub, "input", () => seek(state, Number(el.scrub.value)));
  listen(state, el.copy, "click", () => {
    // This view's link (the page's own URL holds every setting) at the iteration shown.
    const link = new URL(window.location.href);
    link.searchParams.set("frame", String(state.index));
    const done = (text) => {
      el.copy.textContent = text;
      setTimeout(() => { el.copy.textContent = "copy link"; }, 1500);
    };
    if (!navigator.clipboard) return done("copy failed"); // plain http on another host
    navigator.clipboard.writeText(link.href).then(() => done("copied ✓"), () => done("copy failed"));
  });
  listen(state, el.box.querySelector(".lp-png"), "click", () => {
    const button = el.box.querySelector(".lp-png");
    button.disabled = true;
    snapshot(state, 2).then((url) => {
      const link = document.createElement("a");
      // the settings inside the file: this view's link, at the iteration shown
      link.href = withText(url, "rnnviz", settingsNote(state));
      link.download = `${state.exportName || "rnnviz"}-frame-${state.index}.png`;
      link.click();
    }).catch(reportError).finally(() => { button.disabled = false; });
  });
  listen(state, el.box.querySelector(".lp-svg"), "click", () => {
    const button = el.box.querySelector(".lp-svg");
    button.disabled = true;
    vectorSnapshot(state, settingsNote(state)).then((text) => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
      link.download = `${state.exportName || "rnnviz"}-frame-${state.index}.svg`;
      link.click();
    }).catch(reportError).finally(() => { button.disabled = false; });
  });
  listen(state, el.fullscreen, "click", () => {
    // The component's own fullscreen moves nothing out of the page: the same nodes, plots and
    // animation fill the screen (plotly's modebar fullscreen lost the frames, issue 7).
    const entering = !document.fullscreenElement;
    // The button would keep the focus, and Space on a focused button clicks it: a lecturer's
    // Space left fullscreen instead of playing. The plot takes the focus first, before the
    // screen changes (a key pressed meanwhile already goes to the plot).
    if (entering) el.box.focus({ preventScroll: true });
    const request = entering ? el.box.requestFullscreen() : document.exitFullscreen();
    Promise.resolve(request).catch(reportError);
  });
  listen(state, document, "fullscreenchange", () => {
    const full = document.fullscreenElement === el.box;
    el.box.classList.toggle("lp-full", full);
    el.fullscreen.textContent = full ? "exit fullscreen" : "fullscreen";
    if (full) el.box.focus({ preventScroll: true }); // however fullscreen was entered
  });
}

// Keys belong to the plot unless a text box, a list or a slider has the focus: Streamlit's
// sliders are [role=slider] and keep their arrows. Buttons keep Space and Enter (a click).
function wireKeys(state) {
  const handler = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    const ours = target === state.el.scrub;
    const editable = target instanceof Element && target.closest(
      "input, textarea, select, [contenteditable=''], [contenteditable=true], [role=slider], [role=combobox], [role=listbox]");
    if (editable && !ours) return;
    const isButton = target instanceof Element && target.closest("button, [role=button], a");
    const step = event.shiftKey ? 10 : 1;
    const actions = {
      " ": () => togglePlay(state),
      ArrowLeft: () => seek(state, state.index - step),
      ArrowRight: () => seek(state, state.index + step),
      Home: () => seek(state, 0),
      End: () => seek(state, Infinity),
    };
    // Digits go to the page (its stories, say): the plot only passes them on.
    if (/^[1-9]$/.test(event.key)) actions[event.key] = () => state.component.setTriggerValue("key", event.key);
    const action = actions[event.key];
    if (!action || (isButton && event.key === " ")) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  listen(state, document, "keydown", handler, { capture: true });
}

// A click (not a drag) on a clickable panel's plot area reports the exact point under the
// pointer, {panel, x, y}, read through the axes' own pixel-to-data maps (a heatmap's click
// gives a cell's centre). Which panels take clicks is the view's to say (view.clickable), so
// a new view (a map) needs no change here. "click", not "pointerup": plotly.js lays a cover
// over the page while the button is down, so the pointerup lands outside the plot.
// What a saved picture keeps inside, as every export writes it (rnnviz/cli.py's _note):
// "rnnviz <version> <this view's URL query> frame=<the iteration shown>".
function settingsNote(state) {
  return `rnnviz ${state.version || "?"} ${window.location.search || "?"} frame=${state.index}`;
}

// A PNG data URL with a tEXt chunk (keyword, ASCII text) after its header, as a blob URL.
function withText(dataUrl, keyword, text) {
  const png = Uint8Array.from(atob(dataUrl.split(",")[1]), (c) => c.charCodeAt(0));
  const data = new TextEncoder().encode(`${keyword}\0${text}`);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set([116, 69, 88, 116], 4); // "tEXt"
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const header = 33; // the signature (8 bytes) and the IHDR chunk (25): tEXt may follow
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, header));
  out.set(chunk, header);
  out.set(png.subarray(header), header + chunk.length);
  return URL.createObjectURL(new Blob([out], { type: "image/png" }));
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// The plot as one picture (a PNG data URL) at scale times the screen's pixels: each panel's
// plotly.js image where it sits, and the HTML around it (titles, badge, readout, legends) as
// text in its own font and colour, on white.
async function snapshot(state, scale) {
  const layout = frameLayout(state);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(layout.width * scale);
  canvas.height = Math.round(layout.height * scale);
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, layout.width, layout.height);
  for (const { box, colour } of layout.legends) {
    ctx.fillStyle = colour;
    ctx.fillRect(box.x, box.y, box.w, box.h);
  }
  for (const { gd, box } of layout.plots) {
    const url = await window.Plotly.toImage(gd, { format: "png", width: box.w, height: box.h, scale });
    const image = new Image();
    image.src = url;
    await image.decode();
    ctx.drawImage(image, box.x, box.y, box.w, box.h);
  }
  for (const { box, swatch, runs, style } of layout.texts) {
    const middle = box.y + box.h / 2;
    const size = parseFloat(style.fontSize);
    ctx.textBaseline = "middle";
    let x = box.x;
    if (swatch) {
      if (swatch.glyph) {
        ctx.font = `${size}px ${style.fontFamily}`;
        ctx.fillStyle = swatch.color;
        ctx.fillText(swatch.glyph, x, middle);
      } else {
        ctx.strokeStyle = swatch.color;
        ctx.lineWidth = 2.5;
        ctx.setLineDash(DASHES[swatch.dash] || []);
        ctx.beginPath();
        ctx.moveTo(x, middle);
        ctx.lineTo(x + 14, middle);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      x += 18;
    }
    for (const run of runs) {
      const scaled = run.shift ? size * 0.75 : size;
      ctx.font = `${style.fontWeight} ${scaled}px ${style.fontFamily}`;
      ctx.fillStyle = style.color;
      ctx.fillText(run.text, x, middle + run.shift * size);
      x += ctx.measureText(run.text).width;
    }
  }
  return canvas.toDataURL("image/png");
}

const DASHES = { dotted: [2, 2], dashed: [5, 3] };

// The frame on screen as boxes relative to the plot's grid, for the PNG and the SVG alike:
// the legends' backgrounds, each panel's plot, and every title, badge, readout line and
// legend key with its swatch and text runs (textRuns). Empty boxes are left out.
function frameLayout(state) {
  const grid = state.root.querySelector(".lp-grid");
  const origin = grid.getBoundingClientRect();
  const at = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
  };
  const legends = [...grid.querySelectorAll(".lp-legend")]
    .map((el) => ({ box: at(el), colour: getComputedStyle(el).backgroundColor }))
    .filter(({ box }) => box.w && box.h);
  const plots = Object.entries(state.plots)
    .map(([panel, gd]) => ({ panel, gd, box: at(gd) }))
    .filter(({ box }) => box.w && box.h);
  const texts = [...grid.querySelectorAll(".lp-title, .lp-badge, .lp-readout > div, .lp-key")]
    .filter((el) => el.textContent)
    .map((el) => ({ box: at(el), ...textRuns(el) }))
    .filter(({ box }) => box.w);
  return { width: origin.width, height: origin.height, legends, plots, texts };
}

// What a legend key, title or readout line shows, to draw it again as canvas or SVG text:
// its swatch (a glyph in a colour, or a line with its dash) and its text in runs, each raised
// or lowered as its <sup> or <sub> is (shift, in ems: the page's markup, not flattened).
function textRuns(el) {
  const style = getComputedStyle(el);
  let swatch = null;
  const mark = el.querySelector(".lp-swatch");
  if (mark) {
    const s = getComputedStyle(mark);
    swatch = mark.classList.contains("lp-line")
      ? { color: s.borderTopColor, dash: s.borderTopStyle }
      : { color: s.color, glyph: mark.textContent };
  }
  const runs = [];
  const walk = (node, shift) => {
    if (node === mark) return;
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.textContent) runs.push({ text: node.textContent, shift });
      return;
    }
    const tag = node.nodeName.toLowerCase();
    const inner = tag === "sub" ? 0.3 : tag === "sup" ? -0.4 : shift;
    for (const child of node.childNodes) walk(child, inner);
  };
  walk(el, 0);
  if (runs.length) runs[0].text = runs[0].text.replace(/^\s+/, "");
  return { swatch, runs, style };
}

// The plot as one SVG document (text), laid out as on screen: each panel's plotly.js SVG
// nested where it sits (vector: lines, markers, axes, text; the surface's picture stays a
// picture inside it), the HTML titles, badge, readout and legends as SVG text, and settings
// (this view's link and frame) in its <metadata>. Each panel's ids get a prefix of their own,
// so one panel's clip paths can never clip another's.
async function vectorSnapshot(state, settings) {
  const NS = "http://www.w3.org/2000/svg";
  const layout = frameLayout(state);
  const doc = document.implementation.createDocument(NS, "svg", null);
  const svg = doc.documentElement;
  const make = (name, attributes, parent = svg) => {
    const node = doc.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    parent.appendChild(node);
    return node;
  };
  const { width, height } = layout;
  svg.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  for (const [key, value] of Object.entries({ width, height, viewBox: `0 0 ${width} ${height}` })) {
    svg.setAttribute(key, String(value));
  }
  make("title", {}).textContent = state.exportName || "rnnviz";
  make("metadata", { id: "rnnviz-settings" }).textContent = settings;
  make("rect", { x: 0, y: 0, width, height, fill: "white" });
  for (const { box, colour } of layout.legends) {
    make("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: colour });
  }
  for (const { panel, gd, box } of layout.plots) {
    const url = await window.Plotly.toImage(gd, { format: "svg", width: box.w, height: box.h });
    const text = decodeURIComponent(url.slice(url.indexOf(",") + 1));
    const inner = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    prefixIds(inner, `${panel}-`);
    inner.setAttribute("x", String(box.x));
    inner.setAttribute("y", String(box.y));
    inner.setAttribute("class", `lp-svg-${panel}`);
    svg.appendChild(doc.importNode(inner, true));
  }
  for (const { box, swatch, runs, style } of layout.texts) {
    const middle = box.y + box.h / 2;
    const font = { "font-family": style.fontFamily, "font-size": style.fontSize };
    let x = box.x;
    if (swatch) {
      if (swatch.glyph) {
        make("text", { x, y: middle, "dominant-baseline": "middle", fill: swatch.color, ...font })
          .textContent = swatch.glyph;
      } else {
        make("line", { x1: x, y1: middle, x2: x + 14, y2: middle, stroke: swatch.color,
          "stroke-width": 2.5, "stroke-dasharray": (DASHES[swatch.dash] || []).join(" ") || "none" });
      }
      x += 18;
    }
    const text = make("text", { x, y: middle, "dominant-baseline": "middle",
      "font-weight": style.fontWeight, fill: style.color, ...font });
    for (const run of runs) {
      const span = make("tspan", run.shift ? { "font-size": "75%",
        "baseline-shift": run.shift > 0 ? "sub" : "super" } : {}, text);
      span.textContent = run.text;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

// Every id in an SVG tree and every reference to it (url(#id), href="#id") given a prefix.
function prefixIds(root, prefix) {
  const ids = new Set([...root.querySelectorAll("[id]")].map((node) => node.id));
  if (!ids.size) return;
  const rename = (text) => text.replace(/url\(\s*['"]?#([^)'"\s]+)['"]?\s*\)/g,
    (whole, id) => (ids.has(id) ? `url(#${prefix}${id})` : whole));
  for (const node of [root, ...root.querySelectorAll("*")]) {
    if (node.id && ids.has(node.id)) node.id = prefix + node.id;
    for (const attribute of [...node.attributes]) {
      const value = attribute.value;
      if ((attribute.name === "href" || attribute.name === "xlink:href") && value.startsWith("#")
          && ids.has(value.slice(1))) {
        node.setAttribute(attribute.name, `#${prefix}${value.slice(1)}`);
      } else if (value.includes("url(")) {
        node.setAttribute(attribute.name, rename(value));
      }
    }
  }
}

// Under the pointer on a panel, a row drawn in another: the view's pointer_probe says where.
// Row k is |a| |y|^(T-k) with a = x q(y) - c at the pointer's data point (x, y): a geometric
// row whose first term is a polynomial (coefficients q, ascending) in y times x, less c.
function wirePointer(state) {
  const probe = () => ((state.parts.view || {}).value || {}).pointer_probe;
  let latest = null;
  const show = () => {
    state.pointerFrame = 0;
    const p = probe();
    if (!p || !state.ready || state.destroyed) return;
    const gd = state.plots[p.from];
    const point = latest && dataAt(gd, latest);
    const [xlo, xhi] = gd._fullLayout.xaxis.range;
    const [ylo, yhi] = gd._fullLayout.yaxis.range;
    const inside = point && point.x >= Math.min(xlo, xhi) && point.x <= Math.max(xlo, xhi) &&
      point.y >= Math.min(ylo, yhi) && point.y <= Math.max(ylo, yhi);
    drawPointer(state, p, inside ? point : null);
  };
  for (const [panel, gd] of Object.entries(state.plots)) {
    listen(state, gd, "pointermove", (event) => {
      const p = probe();
      if (!p || p.from !== panel || event.buttons) return; // a drag is a zoom, not a probe
      latest = event;
      if (!state.pointerFrame) state.pointerFrame = requestAnimationFrame(show);
    });
    listen(state, gd, "pointerleave", () => {
      latest = null;
      if (!state.pointerFrame) state.pointerFrame = requestAnimationFrame(show);
    });
  }
}

function polynomial(coefficients, y) {
  let sum = 0;
  for (let j = coefficients.length - 1; j >= 0; j--) sum = sum * y + coefficients[j];
  return sum;
}

function drawPointer(state, p, point) {
  const index = (state.traceIndex[p.panel] || {})[p.trace];
  if (index === undefined) return;
  const T = p.exponents;
  const y = new Array(T + 1).fill(null);
  const text = new Array(T + 1).fill("");
  if (point) {
    const a = Math.abs(point.x * polynomial(p.coefficients, point.y) - p.offset);
    const r = Math.abs(point.y);
    for (let k = 0; k <= T; k++) {
      const v = a * r ** (T - k);
      y[k] = Number.isFinite(v) && v > 0 ? v : null;
    }
    const growth = r > 1 + 1e-9 ? p.growth.above : r < 1 - 1e-9 ? p.growth.below : p.growth.one;
    text[T] = p.badge.replace("{x:.2f}", point.x.toFixed(2)).replace("{y:.2f}", point.y.toFixed(2))
      .replace("{growth}", growth).replace("{ratio:.4g}", formatG(r, 4));
  }
  state.pointerShown = point;
  window.Plotly.restyle(state.plots[p.panel], { y: [y], text: [text] }, [index]).catch(reportError);
}

// The data coordinates {x, y} under a pointer event on a plot (null off its axes).
export function dataAt(gd, event) {
  const layout = gd._fullLayout;
  if (!layout || !layout.xaxis) return null;
  const box = gd.getBoundingClientRect();
  const x = layout.xaxis.p2d(event.clientX - box.left - layout.xaxis._offset);
  const y = layout.yaxis.p2d(event.clientY - box.top - layout.yaxis._offset);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

function wireClicks(state) {
  for (const [panel, gd] of Object.entries(state.plots)) {
    let down = null;
    listen(state, gd, "pointerdown", (event) => {
      const onPlotArea = event.target instanceof Element && event.target.closest(".nsewdrag");
      down = onPlotArea ? { x: event.clientX, y: event.clientY } : null;
    }, { capture: true });
    listen(state, gd, "click", (event) => {
      const clickable = ((state.parts.view || {}).value || {}).clickable || [];
      if (!down || !clickable.includes(panel)) return;
      if (Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
      down = null;
      const point = dataAt(gd, event);
      // with Shift, a point on the surface is pinned as a probe instead of starting a run
      if (point) state.component.setTriggerValue(event.shiftKey ? "pin" : "click", { panel, ...point });
    }, { capture: true });
  }
}

// A resize waits for any draw in progress: plotly.js drawing a plot twice at once leaves
// stale copies of its colour bars behind (seen here: three cost bars, one of them black).
// Presenter mode, out of fullscreen: the figure takes the screen below whatever the page
// shows above it (the story bar and its caption, the toolbar, the notes), measured, not
// guessed: a fixed 235 px left a 1280x720 projector's figure 40 px and more below the fold.
function fitToScreen(state) {
  const box = state.el.box;
  if (!box.classList.contains("lp-present") || box.classList.contains("lp-full")) return;
  const grid = state.root.querySelector(".lp-grid");
  const above = Math.round(grid.getBoundingClientRect().top + window.scrollY) + 8;
  if (box.style.getPropertyValue("--lp-above") !== `${above}px`) {
    box.style.setProperty("--lp-above", `${above}px`);
  }
}

function wireResize(state) {
  // the page above the figure may grow or shrink (a story's caption): fit again
  state.pageObserver = new ResizeObserver(() => fitToScreen(state));
  state.pageObserver.observe(document.body);
  let queued = false;
  state.resizeObserver = new ResizeObserver(() => {
    if (queued || !state.drawn) return;
    queued = true;
    state.drawn = state.drawn.then(() => {
      queued = false;
      if (state.destroyed) return undefined;
      const plots = Object.values(state.plots).filter((gd) => gd._fullLayout);
      return Promise.all(plots.map((gd) => window.Plotly.Plots.resize(gd)));
    }).catch(reportError);
  });
  Object.values(state.plots).forEach((gd) => state.resizeObserver.observe(gd));
}
