// The outcome maps: a plotly.js heatmap per panel, and a click on a cell reported as
// {panel, x, y}. Mounted by Streamlit's components v2 (map_plot in live_plot.py) with
// {parts: {<map name>: panel, ..., marks}} from rnnviz/map_panels.py; like live_plot.js it knows plotly.js, not
// RNNs, and keeps its state per mounted element.

import { dataAt, receiveParts } from "./live_plot.js";

const STATE = new WeakMap();
const CONFIG = { displaylogo: false, responsive: false, scrollZoom: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

export function mount(component) {
  const root = component.parentElement;
  let state = STATE.get(root);
  if (!state) {
    state = { root, parts: {}, plots: {}, listeners: [], drawn: Promise.resolve() };
    root.innerHTML = '<div class="mp-grid"></div>';
    STATE.set(root, state);
    const observer = new ResizeObserver(() => {
      state.drawn = state.drawn.then(() => Promise.all(
        Object.values(state.plots).map((gd) => gd.isConnected && window.Plotly.Plots.resize(gd)),
      )).catch(() => {});
    });
    observer.observe(root);
    state.observer = observer;
  }
  state.component = component;
  update(state, component.data || {});
  return () => setTimeout(() => {
    if (root.isConnected) return; // a cleanup of a mount call that newer data overtook
    state.observer.disconnect();
    for (const gd of Object.values(state.plots)) window.Plotly.purge(gd);
    STATE.delete(root);
  }, 0);
}

function update(state, data) {
  if (!receiveParts(state, data)) return;
  const key = Object.values(state.parts).map((p) => p.id).join("|");
  if (key === state.drawnKey) return;
  state.drawnKey = key;
  state.drawn = state.drawn.then(() => draw(state)).catch((error) => console.warn(error));
}

function draw(state) {
  const marks = (state.parts.marks || {}).value || {};
  const panels = Object.entries(state.parts).filter(([name]) => name !== "marks").map(([, p]) => p.value);
  const grid = state.root.querySelector(".mp-grid");
  const names = panels.map((p) => p.name);
  for (const name of Object.keys(state.plots)) {
    if (!names.includes(name)) {
      window.Plotly.purge(state.plots[name]);
      grid.querySelector(`.mp-${name}`).remove();
      delete state.plots[name];
    }
  }
  return Promise.all(panels.map((panel) => {
    let gd = state.plots[panel.name];
    if (!gd) {
      const section = document.createElement("section");
      section.className = `mp-panel mp-${panel.name}`;
      section.innerHTML = '<h3 class="mp-title"></h3><p class="mp-counts"></p><div class="mp-plot"></div>';
      grid.appendChild(section);
      gd = section.querySelector(".mp-plot");
      state.plots[panel.name] = gd;
      wireClick(state, panel.name, gd);
    }
    const section = gd.parentElement;
    section.querySelector(".mp-title").textContent = panel.title;
    const c = panel.counts;
    section.querySelector(".mp-counts").textContent =
      `${c.side} runs; ${c.diverged} of ${c.cells} diverged (grey).` +
      (state.component.offline ? "" : " Click a cell to use it.");
    const traces = [...panel.traces, ...(marks[panel.name] ? [marks[panel.name]] : [])];
    return window.Plotly.react(gd, traces, { ...panel.layout, uirevision: panel.name }, CONFIG);
  }));
}

function wireClick(state, panel, gd) {
  let down = null;
  const listen = (type, handler) => {
    gd.addEventListener(type, handler, { capture: true });
  };
  listen("pointerdown", (event) => {
    const onPlotArea = event.target instanceof Element && event.target.closest(".nsewdrag");
    down = onPlotArea ? { x: event.clientX, y: event.clientY } : null;
  });
  // "click", not "pointerup": plotly.js covers the page while the button is down
  listen("click", (event) => {
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
    down = null;
    const point = dataAt(gd, event);
    if (point) state.component.setTriggerValue("click", { panel, ...point });
  });
}
