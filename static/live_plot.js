// The dashboard's persistent plot: plotly.js panels, the animation, its keys and clicks.
//
// Mounted by Streamlit's components v2 (live_plot.py, through static/loader.js) and by the
// offline HTML export, with the same data: {parts: {view, run}} from rnnviz/live.py. This code
// knows plotly.js, not RNNs: it merges the parts into one figure per panel the view lists and,
// for iterate i, fills each moving trace from row i of its series. Its rooms: series.js (the
// numbers), panels.js and legend.js (the boxes), player.js (the animation), controls.js (the
// toolbar and keys), snapshot.js (PNG, SVG), probe.js and clicks.js (the pointer), mount.js
// (what the outcome maps share). State lives per mounted element, never in globals.

import { TOOLBAR, wireControls, wireKeys } from "./controls.js";
import { CONFIG, listeners, mounter, partsKey, receiveParts, reportError, resizeAfterDraws } from "./mount.js";
import { followHistory } from "./history.js";
import { clearPanels, layoutPanels, legendOf } from "./panels.js";
import { pause, play, render } from "./player.js";
import { PREVIEW_EVENT } from "./map_hover.js";
import { awaitRun, endPreview, forgetKept, keepPreview, keptNotes, previewSettings, runArrived } from "./preview.js";
import { decodeAll, resolve } from "./series.js";
import { STAGE, arrangeStage, holdingKnobs, pressSidebarButton, updateStage, wireStage } from "./stage.js";

export const mount = mounter({ create, update, destroy });

function create(root) {
  root.innerHTML = `
    <div class="lp-root" tabindex="-1">${STAGE}${TOOLBAR}
      <div class="lp-notes" role="status"></div>
      <div class="lp-grid"></div>
      <p class="lp-help"></p>
    </div>`;
  const $ = (selector) => root.querySelector(selector);
  const state = {
    root,
    el: {
      box: $(".lp-root"), play: $(".lp-play"), speed: $(".lp-speed"), scrub: $(".lp-scrub"),
      iteration: $(".lp-iteration"), notes: $(".lp-notes"), help: $(".lp-help"),
      fullscreen: $(".lp-fullscreen"), copy: $(".lp-copy"),
    },
    grid: $(".lp-grid"),
    // the panels' own (panels.js): built when the view arrives
    plots: {}, titles: {}, legends: {}, legendListeners: {}, texts: [], traceIndex: {},
    parts: {}, // name -> {id, value}
    run: null, series: {}, moving: [],
    index: 0, playing: false, carry: 0, lastTick: 0, raf: 0, drawing: null, ready: false,
    listeners: listeners(), // the plot's own, for its life
    panelListeners: listeners(), // its panels', until they are built anew
  };
  wireControls(state, state.listeners.on);
  wireKeys(state, state.listeners.on);
  wireStage(state, state.listeners.on);
  // A new size (fullscreen, a window resized, a projector's) is drawn anew, ticks fitted to
  // it: resizing alone left stale pixels of the old size on screen (issue 17).
  const redraw = () => {
    clearTimeout(state.redrawTimer);
    // no frame is drawn at the old size meanwhile: a frame animated while the plot was resized
    // and redrawn left the surface's old clip on screen (issue 17: fullscreen while playing)
    state.ready = false;
    state.redrawTimer = setTimeout(() => {
      if (!state.destroyed && state.parts.view && state.parts.run) draw(state);
    }, 150);
  };
  state.listeners.on(window, "resize", () => {
    fitToScreen(state); // a window only made shorter may change the arrangement too
    redraw();
  });
  state.listeners.on(document, "fullscreenchange", () => {
    arrangeStage(state); // controls.js has just said whether the figure is fullscreen
    redraw();
  });
  // the panels' room changes with what the figure shows above them (a story's knobs, notes)
  let gridSize = "";
  state.gridObserver = new ResizeObserver(() => {
    const size = `${state.grid.clientWidth}x${state.grid.clientHeight}`;
    if (size !== gridSize && state.ready) redraw();
    gridSize = size;
  });
  state.gridObserver.observe(state.grid);
  state.listeners.on(state.el.notes, "click", (event) => {
    const note = event.target.closest("p");
    if (note) note.classList.toggle("lp-open");
  });
  holdingKnobs(state, state.listeners.on);
  // a run previewed from the outcome maps (map_hover.js): drawn at once (the map waited for
  // the screen's refresh), gone when the pointer leaves unless a click asked for it
  state.listeners.on(window, PREVIEW_EVENT, (event) => {
    const { settings, at, kept } = event.detail || {};
    if (kept && state.component.offline) keepPreview(state); // no server: the run stays
    else if (kept) awaitRun(state); // a click on the map: its run is on its way
    else if (settings) previewSettings(state, settings, at);
    else if (!state.awaitingRun) endPreview(state, false);
  });
  // the page above the figure may grow or shrink (a story's caption): fit again
  state.pageObserver = new ResizeObserver(() => fitToScreen(state));
  state.pageObserver.observe(document.body);
  state.resizeObserver = resizeAfterDraws(state, () => Object.values(state.plots), reportError);
  return state;
}

function destroy(state) {
  pause(state);
  clearTimeout(state.redrawTimer);
  cancelAnimationFrame(state.pointerFrame);
  state.listeners.clear();
  state.pageObserver.disconnect();
  state.gridObserver.disconnect();
  state.resizeObserver.disconnect();
  clearPanels(state);
}

function update(state, data) {
  if (typeof data.help === "string") state.help = data.help;
  if (Number.isInteger(data.start_frame)) state.startFrame = data.start_frame;
  if (typeof data.export_name === "string") state.exportName = data.export_name;
  if (typeof data.version === "string") state.version = data.version;
  state.el.box.classList.toggle("lp-present", !!data.present);
  // the offline lecture shows its stage on the page too: it has no sidebar
  state.el.box.classList.toggle("lp-staged", !!data.lecture);
  arrangeStage(state);
  updateStage(state, data.stage);
  followHistory(state); // a settled new view: an entry for Back (static/history.js)
  if (!receiveParts(state, data)) return;
  const key = partsKey(state);
  if (key === state.drawnKey) { // a rerun that changed nothing here
    // (a map's current cell clicked, say: the server's run is the one on screen already)
    if (state.awaitingRun) runArrived(state);
    return;
  }
  state.drawnKey = key;
  draw(state);
}

function draw(state) {
  const view = state.parts.view.value;
  const viewId = state.parts.view.id;
  const run = state.parts.run.value;
  const panels = view.panels || [];
  const wasPlaying = state.playing;
  state.ready = false; // no frame is rendered until the new figures are drawn
  state.run = run;
  state.series = decodeAll(run.series);
  state.moving = run.moving;
  if (!state.startApplied && Number.isInteger(state.startFrame)) state.index = state.startFrame;
  state.startApplied = true; // a link's ?frame= counts once, when the plot first draws
  state.index = Math.min(state.index, Math.max(run.count - 1, 0));
  state.el.scrub.max = String(Math.max(run.count - 1, 0));
  const keeping = state.kept && state.drawnRunId === state.parts.run.id; // a size's redraw
  state.el.notes.replaceChildren(...(keeping ? keptNotes(state) : (run.notes || []).map((text) => {
    const p = document.createElement("p");
    p.textContent = text;
    p.title = text; // on a projector a note is one line: the whole of it on hover or a click
    return p;
  })));
  state.el.help.textContent = state.help ?? view.help ?? "";
  state.el.play.title = state.el.help.textContent; // (a narrow column hides the help line)
  fitToScreen(state);
  // The view's traces are resolved once per view and kept: plotly.js's react compares arrays
  // by identity, so unchanged ones (the hover grid, the valley, the probes) are not recomputed.
  if (state.viewTracesId !== viewId) {
    state.viewTraces = Object.fromEntries(panels.map(({ name }) => [name, resolve(view[name].traces || [], {})]));
    state.viewTracesId = viewId;
  }
  const viewTraces = state.viewTraces;
  const previous = state.drawn || Promise.resolve();
  // after the draw before, and after the frame being animated: plotly.js must not purge or
  // redraw a plot mid-draw
  state.drawn = previous.then(() => state.drawing).then(() => {
    if (state.destroyed) return undefined;
    layoutPanels(state, panels);
    return Promise.all(panels.map(({ name }) => {
      const own = run.panels[name] || {};
      const traces = fitColourBars([...viewTraces[name], ...resolve(own.traces || [], state.series)], state.plots[name]);
      state.traceIndex[name] = Object.fromEntries(traces.map((t, k) => [t.uid, k]));
      const layout = fitTicks(merge(view[name].layout || {}, own.layout || {}), state.plots[name]);
      layout.uirevision = viewId; // a zoom survives new runs, not a new view
      legendOf(state, name, traces);
      return window.Plotly.react(state.plots[name], traces, layout, CONFIG);
    }));
  }).then(() => {
    if (state.destroyed) return;
    state.ready = true;
    if (state.drawnRunId !== state.parts.run.id) { // the server's run is here
      forgetKept(state); // (the offline lecture's next scene)
      runArrived(state); // the preview goes, unless it is of a later value still asked for
    }
    state.drawnRunId = state.parts.run.id;
    if (run.count) render(state, state.index);
    if (wasPlaying && run.count) play(state);
  }).catch(reportError);
}

// As many ticks as the plot's size has room for, so tick labels never overlap (issue 17: a
// 64 px gradient plot crowded 39 pairs): fewer ticks on a small plot, not smaller text.
// plotly.js takes nticks as an upper bound, for log axes too.
function fitTicks(layout, gd) {
  const width = gd.clientWidth;
  const height = gd.clientHeight;
  if (!width || !height) return layout;
  const out = { ...layout };
  const cap = (axis, room, spacing) => {
    if (!out[axis]) return;
    const range = out[axis].range;
    let fits = Math.floor(room / spacing);
    // A log axis over a decade or more labels whole decades only: given room for more ticks
    // than 1.4 a decade, plotly.js labels 2 and 5 between them in 70 % text (10.5 px on a
    // 2560x1440 projector). Its rule: whole decades while span / nticks > 0.7.
    if (out[axis].type === "log" && Array.isArray(range) && Math.abs(range[1] - range[0]) >= 1) {
      fits = Math.min(fits, Math.floor(Math.abs(range[1] - range[0]) / 0.71));
    }
    out[axis] = { ...out[axis], nticks: Math.max(2, Math.min(out[axis].nticks || 99, fits)) };
    // A log axis with room for two labels or fewer shows its ends alone: plotly.js's own
    // choice at nticks 2 still drew three 10^k labels in 60 px.
    if (out[axis].type === "log" && fits <= 2 && Array.isArray(range)) {
      const lo = Math.ceil(range[0]);
      const hi = Math.floor(range[1]);
      const decades = fits >= 2 && hi > lo ? [lo, hi] : [Math.max(lo, hi)]; // too short: the top
      out[axis].tickmode = "array";
      out[axis].tickvals = decades.map((k) => 10 ** k);
      out[axis].ticktext = decades.map((k) => (k === 0 ? "1" : `10<sup>${k}</sup>`));
    }
  };
  cap("yaxis", height - 70, 34); // a tick label (10^-21) is two lines of text high, less margins
  cap("xaxis", width - 90, 56); // "-2.5", "1000": a few characters wide
  // x labels a little below the axis, clear of the lowest y label at the corner
  // (plotly.js's automargin leaves the standoff out: the title moves down by as much, or it
  // sat on the labels of a short run chart)
  if (out.xaxis && out.yaxis) {
    const title = out.xaxis.title || {};
    out.xaxis = { ticklabelstandoff: 8, ...out.xaxis, title: { ...title, standoff: (title.standoff || 0) + 8 } };
  }
  // A plot too short for its margins to grow (a run chart on an 800x600 projector) keeps its
  // x labels and drops the axis title, which plotly.js would draw on them: the panel's title
  // and readout say what runs along it.
  if (out.xaxis && height < 170) out.xaxis = { ...out.xaxis, title: { text: "" } };
  return out;
}

// A colour bar on a short plot keeps every k-th of its labels, so none sits on the next
// (issue 17: a 150 px surface crowded its cost bar's seven decades into 80 px); the others
// stay on hover in the surface's own.
const LABEL_PX = 20; // a decade's label, 10 with its exponent, in 12-15 px text
const BAR_TITLE_PX = 40; // the bar's title, above its labels inside its length
function fitColourBars(traces, gd) {
  // the plot area's height as last drawn (the margins barely change), or about it
  const area = gd._fullLayout?.yaxis?._length || gd.clientHeight - 100;
  const thin = (bar) => {
    if (!bar || !Array.isArray(bar.tickvals) || !(area > 0)) return bar;
    const room = Math.max((bar.len ?? 1) * area - (bar.title ? BAR_TITLE_PX : 0), 1);
    const step = Math.ceil((bar.tickvals.length * LABEL_PX) / room);
    if (step <= 1) return bar;
    const keep = (_, k) => k % step === 0;
    return { ...bar, tickvals: bar.tickvals.filter(keep), ...(bar.ticktext && { ticktext: bar.ticktext.filter(keep) }) };
  };
  return traces.map((trace) => {
    if (trace.colorbar) return { ...trace, colorbar: thin(trace.colorbar) };
    if (trace.marker && trace.marker.colorbar) return { ...trace, marker: { ...trace.marker, colorbar: thin(trace.marker.colorbar) } };
    return trace;
  });
}

function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && base[k] && typeof base[k] === "object"
      ? merge(base[k], v) : v;
  }
  return out;
}

// A screen too small for the figure beside the sidebar (800x600 leaves a 468 px column: the
// three views stacked, 1580 px of page) opens with the sidebar folded, as Streamlit folds it on
// a phone: the figure has the screen's width and fits it. Once a page load: opened again by
// hand, the sidebar stays open, the views stacked and the page scrolling.
let sidebarDecided = false;
function foldSidebarOnce(fits) {
  if (sidebarDecided) return;
  sidebarDecided = true;
  if (!fits && document.querySelector("[data-testid=stSidebar][data-collapsed=false]")) {
    pressSidebarButton();
  }
}

// Presenter mode, out of fullscreen: the figure takes the screen below whatever the page
// shows above it, measured, not guessed (a fixed 235 px left a 1280x720 projector's figure
// 40 px and more below the fold); its own parts share the rest (live_plot.css).
function fitToScreen(state) {
  const box = state.el.box;
  const present = box.classList.contains("lp-present");
  const full = box.classList.contains("lp-full");
  // Side by side (a column wider than 700 px) the panels share the screen's height; in a
  // narrower column on a screen tall enough for three plots, the surface stands over the
  // other two; else (a phone, a short window) they stack, each a height of its own, and the
  // page scrolls.
  const width = box.clientWidth;
  const narrow = !present && !full && width > 480 && width <= 700 && window.innerHeight >= 640;
  const fitted = present || full || width > 700 || narrow;
  box.classList.toggle("lp-fitted", fitted);
  box.classList.toggle("lp-narrow", narrow);
  if (width > 0) foldSidebarOnce(fitted);
  // a short screen's toolbar takes one line, its help the play button's tooltip
  box.classList.toggle("lp-compact", narrow || (fitted && !present && window.innerHeight < 900));
  arrangeStage(state);
  // Streamlit's header lies over the page's top: a figure scrolled to sits below it
  const header = document.querySelector("[data-testid=stHeader]");
  const covered = `${present || !header ? 0 : header.offsetHeight}px`;
  if (box.style.getPropertyValue("--lp-header") !== covered) box.style.setProperty("--lp-header", covered);
  if (!present || full) return;
  const above = Math.round(box.getBoundingClientRect().top + window.scrollY) + 8;
  if (box.style.getPropertyValue("--lp-above") !== `${above}px`) {
    box.style.setProperty("--lp-above", `${above}px`);
  }
}
