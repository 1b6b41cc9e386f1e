// Legends are HTML in the page's flow, above each plot: they wrap at any width and never
// cover data. plotly.js's own legends pushed the margins once but not after a resize, so in
// fullscreen they slid over the plots (issue 7). A key shows or hides its traces.

import { reportError } from "./mount.js";

const GLYPHS = { circle: "●", "circle-open": "○", diamond: "◆", star: "★", "x-thin": "✕", hexagram: "✶" };

// The keys of traces (as given to plotly.js, drawn in gd) into box; on: the legend's own
// listener group (mount.js), cleared before the legend is drawn again.
export function drawLegend(box, gd, traces, on) {
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
    on(key, "click", () => {
      const shown = key.getAttribute("aria-pressed") !== "true";
      key.setAttribute("aria-pressed", String(shown));
      window.Plotly.restyle(gd, { visible: shown }, groups.get(group)).catch(reportError);
    });
    keys.push(key);
  });
  box.replaceChildren(...keys);
}

function swatch(trace) {
  const span = document.createElement("span");
  span.className = "lp-swatch";
  const mode = trace.mode || "";
  const marker = trace.marker || {};
  if (mode.includes("lines")) {
    span.classList.add("lp-line");
    span.style.borderTopColor = (trace.line || {}).color || "var(--rnnviz-ink-soft)";
    span.style.borderTopStyle = { dot: "dotted", dash: "dashed" }[(trace.line || {}).dash] || "solid";
  } else {
    span.textContent = GLYPHS[marker.symbol || "circle"] || "●";
    span.style.color = typeof marker.color === "string" ? marker.color : (marker.line || {}).color || "var(--rnnviz-ink-soft)";
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
