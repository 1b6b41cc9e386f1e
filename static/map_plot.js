// The outcome maps: a plotly.js heatmap per panel, and a click on a cell reported as
// {panel, x, y}. Mounted by Streamlit's components v2 (map_plot in live_plot.py) with
// {parts: {<map name>: panel, ..., marks}} from rnnviz/map_panels.py; like live_plot.js it
// knows plotly.js, not RNNs, and shares its mount, config and clicks (mount.js, clicks.js).

import { wireClicks } from "./clicks.js";
import { keepPreview, wireMapHover } from "./map_hover.js";
import { CONFIG, MODEBAR_ROOM, listeners, modebarOutOfTabs, mounter, partsKey, receiveParts, resizeAfterDraws } from "./mount.js";

export const mount = mounter({ create, update, destroy });

function create(root) {
  root.innerHTML = '<div class="mp-grid"></div>';
  // plots and their click listeners by map name
  const state = { root, parts: {}, plots: {}, clicks: {}, drawn: Promise.resolve() };
  // A map's failed resize is not reported, as before the maps shared this code: plotly.js
  // rejects a resize of a plot that is not displayed.
  state.observer = resizeAfterDraws(state, () => Object.values(state.plots), () => {});
  state.observer.observe(root);
  return state;
}

function destroy(state) {
  state.observer.disconnect();
  for (const name of Object.keys(state.plots)) removePlot(state, name);
}

function removePlot(state, name) {
  state.clicks[name].clear();
  window.Plotly.purge(state.plots[name]);
  state.plots[name].parentElement.remove();
  delete state.plots[name];
  delete state.clicks[name];
}

function update(state, data) {
  if (!receiveParts(state, data)) return;
  const key = partsKey(state);
  if (key === state.drawnKey) return;
  state.drawnKey = key;
  state.drawn = state.drawn.then(() => draw(state)).catch((error) => console.warn(error));
}

function draw(state) {
  if (state.destroyed) return undefined;
  const marks = (state.parts.marks || {}).value || {};
  const panels = Object.entries(state.parts).filter(([name]) => !["marks", "hover"].includes(name))
    .map(([, p]) => p.value);
  const grid = state.root.querySelector(".mp-grid");
  const names = panels.map((p) => p.name);
  for (const name of Object.keys(state.plots)) {
    if (!names.includes(name)) removePlot(state, name);
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
      const name = panel.name;
      state.clicks[name] = listeners(); // the map's listeners and its modebar's watch
      state.clicks[name].add(modebarOutOfTabs(gd));
      // the pointer over a cell previews its run on the live plot (map_hover.js); a click
      // keeps the point previewed, if any
      const previewed = wireMapHover(
        state.clicks[name].on, gd, () => ((state.parts.hover || {}).value || {})[name]);
      wireClicks(state.clicks[name].on, gd, (point) => {
        state.component.setTriggerValue("click", { panel: name, ...(previewed() || point) });
        keepPreview(); // the previewed run stays until the page's arrives
      });
    }
    const section = gd.parentElement;
    section.querySelector(".mp-title").textContent = panel.title;
    const c = panel.counts;
    section.querySelector(".mp-counts").textContent =
      `${c.side} runs; ${c.diverged} of ${c.cells} diverged (grey).` +
      " Point at a cell to see its run; click to use it.";
    const traces = [...panel.traces, ...(marks[panel.name] ? [marks[panel.name]] : [])];
    const margin = { ...panel.layout.margin, t: Math.max((panel.layout.margin || {}).t || 0, MODEBAR_ROOM) };
    return window.Plotly.react(gd, traces, { ...panel.layout, margin, uirevision: panel.name }, CONFIG);
  }));
}
