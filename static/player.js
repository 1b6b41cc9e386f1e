// The animation: iterate i drawn in every panel (its moving traces, its texts, the scrubber),
// played one iterate per screen refresh at speed 1, paused, stepped and sought.

import { reportError } from "./mount.js";
import { renderKept, shownCount } from "./preview.js";
import { fieldAt, fillTemplate, formatG } from "./series.js";

const FRAME_MS = 16; // one iterate per screen refresh at speed 1
const ANIMATE = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };
const OWN_KEYS = ["panel", "trace", "edge", "side"]; // a moving trace's keys that are no field

// Iterate i on screen: state.run's moving traces filled from its series, and each panel's
// texts (state.texts: {el, name}) from the run's template or lines of that name.
export function render(state, i) {
  if (state.kept) { // the offline lecture's run, trained in the page (preview.js)
    renderKept(state, i);
    return;
  }
  const run = state.run;
  if (!run || !run.count || !state.ready || state.destroyed) return;
  i = Math.max(0, Math.min(run.count - 1, Math.round(i)));
  state.index = i;
  state.el.scrub.value = String(i);
  state.el.iteration.textContent = `${i} / ${run.count - 1}`;
  for (const { el, name } of state.texts) {
    const value = run[name];
    const lines = Array.isArray(value) ? value : value ? [value] : [];
    const filled = lines.map((line) => fillTemplate(line, state.series, run.count, i));
    el.replaceChildren(...filled.map((text) => {
      const div = document.createElement("div");
      div.textContent = text;
      return div;
    }));
    el.title = filled.join("\n"); // cut to one line on a short screen: the whole of it on hover
  }
  const frames = {};
  const made = {}; // "panel/trace" -> this frame's update, for the edge markers below
  for (const m of state.moving) {
    const trace = m.edge ? beyondTheAxis(state, m, made[`${m.panel}/${m.edge}`]) : {};
    for (const [field, spec] of Object.entries(m)) {
      if (OWN_KEYS.includes(field)) continue;
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

export function play(state) {
  const count = shownCount(state);
  if (count < 2) return;
  if (state.index >= count - 1) render(state, 0); // play again from the start
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
      const next = Math.min(state.index + Math.floor(state.carry), count - 1);
      state.carry -= Math.floor(state.carry);
      render(state, next);
      if (next >= count - 1) {
        pause(state);
        return;
      }
    }
    state.raf = requestAnimationFrame(tick);
  };
  state.raf = requestAnimationFrame(tick);
}

export function pause(state) {
  state.playing = false;
  cancelAnimationFrame(state.raf);
  state.el.play.textContent = "▶ play";
  state.el.play.setAttribute("aria-pressed", "false");
}

export const togglePlay = (state) => (state.playing ? pause(state) : play(state));

export function seek(state, i) {
  pause(state);
  render(state, i);
}
