// The frame on screen saved as a picture: a PNG (at twice the screen's pixels) or an SVG
// (vector), each with this view's settings inside, laid out as the page shows it.

// Saves the frame shown as a file named after the settings: kind "png" or "svg".
export function savePicture(state, kind) {
  const made = kind === "png"
    // the settings inside the file: this view's link, at the iteration shown
    ? snapshot(state, 2).then((url) => withText(url, "rnnviz", settingsNote(state)))
    : vectorSnapshot(state, settingsNote(state))
      .then((text) => URL.createObjectURL(new Blob([text], { type: "image/svg+xml" })));
  return made.then((url) => {
    const link = document.createElement("a");
    link.href = url;
    link.download = `${state.exportName || "rnnviz"}-frame-${state.index}.${kind}`;
    link.click();
  });
}

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
    const drawn = previewOver(gd); // a run the page trained, drawn over the plot (preview.js)
    if (drawn) ctx.drawImage(drawn.canvas, box.x + drawn.x, box.y + drawn.y, drawn.w, drawn.h);
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
// the legends' backgrounds, each panel's plot, and every title, line of a panel's texts (the
// badge, the readout) and legend key with its swatch and text runs (textRuns). Empty boxes are
// left out.
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
  const texts = [...grid.querySelectorAll(".lp-title, .lp-text > div, .lp-key")]
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
    const drawn = previewOver(gd);
    if (drawn) {
      make("image", { href: drawn.canvas.toDataURL("image/png"), x: box.x + drawn.x, y: box.y + drawn.y,
        width: drawn.w, height: drawn.h });
    }
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

// The canvas a run trained in the page is drawn on over a plot (static/preview_canvas.js), and
// where it lies in the plot's box, or null: a picture of the frame shows that run too (the
// offline lecture's kept run, a preview under the hand).
function previewOver(gd) {
  const canvas = gd.querySelector(":scope > canvas.lp-preview");
  if (!canvas || !canvas.width) return null;
  const style = canvas.style;
  return { canvas, x: parseFloat(style.left), y: parseFloat(style.top), w: parseFloat(style.width), h: parseFloat(style.height) };
}
