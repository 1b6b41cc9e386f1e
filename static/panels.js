// The panels' boxes as the view describes them (rnnviz/live.py's view_part, "panels"): each a
// <section class="lp-panel lp-NAME"> holding its title, the run part's texts it shows (a badge,
// a readout: filled at each iterate by player.js), its HTML legend and its plotly.js plot.
// A new panel needs Python (its figures and this description) and CSS (its place), not this file.

import { wireClicks } from "./clicks.js";
import { drawLegend } from "./legend.js";
import { listeners, modebarOutOfTabs } from "./mount.js";
import { wirePointer } from "./probe.js";
import { wireStartDrag } from "./start_drag.js";

// The panels of specs [{name, title, texts}] in state.grid, built anew only when their names
// or texts change (their plots are kept across runs and views otherwise), titles set.
export function layoutPanels(state, specs) {
  const shape = JSON.stringify(specs.map(({ name, texts }) => [name, texts || []]));
  if (shape !== state.panelShape) {
    clearPanels(state);
    specs.forEach((spec) => addPanel(state, spec));
    wirePointer(state, state.panelListeners.on);
    state.panelShape = shape;
  }
  for (const { name, title } of specs) state.titles[name].textContent = title || "";
}

// Every panel gone: plots purged, listeners removed, boxes emptied.
export function clearPanels(state) {
  state.panelListeners.clear();
  for (const legend of Object.values(state.legendListeners)) legend.clear();
  for (const gd of Object.values(state.plots)) {
    state.resizeObserver.unobserve(gd);
    window.Plotly.purge(gd);
  }
  state.grid.replaceChildren();
  Object.assign(state, { plots: {}, titles: {}, legends: {}, legendListeners: {}, texts: [], traceIndex: {} });
  state.panelShape = undefined;
}

function addPanel(state, { name, texts = [] }) {
  const section = element("section", `lp-panel lp-${name}`);
  const title = element("h3", "lp-title");
  section.append(title);
  for (const text of texts) {
    const box = element("div", `lp-text lp-${text}`);
    section.append(box);
    state.texts.push({ el: box, name: text });
  }
  const legend = element("div", "lp-legend");
  legend.setAttribute("role", "group");
  legend.setAttribute("aria-label", "legend: show or hide");
  const gd = element("div", "lp-plot");
  section.append(legend, gd);
  state.grid.append(section);
  state.plots[name] = gd;
  state.titles[name] = title;
  state.legends[name] = legend;
  state.legendListeners[name] = listeners();
  state.resizeObserver.observe(gd);
  state.panelListeners.add(modebarOutOfTabs(gd));
  // the start point is dragged on the surface, ahead of its clicks (start_drag.js)
  if (name === "surface") wireStartDrag(state, state.panelListeners.on, section, gd);
  // Which panels take clicks is the view's to say (view.clickable): a click there reports its
  // exact point, {panel, x, y}; with Shift, a point is pinned as a probe instead.
  wireClicks(state.panelListeners.on, gd, (point, event) => {
    const clickable = ((state.parts.view || {}).value || {}).clickable || [];
    if (!clickable.includes(name)) return;
    state.component.setTriggerValue(event.shiftKey ? "pin" : "click", { panel: name, ...point });
  });
}

// The legend of one panel for the traces just given to its plot.
export function legendOf(state, name, traces) {
  const legend = state.legendListeners[name];
  legend.clear();
  drawLegend(state.legends[name], state.plots[name], traces, legend.on);
}

function element(tag, className) {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
