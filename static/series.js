// A run's series as the browser reads them: decoded from base64 typed arrays (rnnviz/parts.py),
// and what each moving trace's field, readout line or badge holds at iterate i.

export function decodeSeries(spec) {
  const bytes = Uint8Array.from(atob(spec.bdata), (c) => c.charCodeAt(0));
  const types = { f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, u2: Uint16Array };
  const raw = new types[spec.dtype](bytes.buffer);
  return { raw, shape: spec.shape, log10: !!spec.log10, mask: spec.mask || null };
}

export function decodeAll(specs) {
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

// A trace (or any value) with every {"series": name} in it replaced by that series.
export function resolve(value, series) {
  if (Array.isArray(value)) return value.map((v) => resolve(v, series));
  if (value && typeof value === "object") {
    if (typeof value.series === "string") return wholeSeries(series, value);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolve(v, series);
    return out;
  }
  return value;
}

// The geometric row last formed from each decoded run's series (a WeakMap: it goes with them).
const GEOMETRIC = new WeakMap();

// What a moving trace's field holds at iterate i.
export function fieldAt(spec, series, i) {
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
    // y, marker.color and marker.symbol of one trace read the same row: formed once per frame
    let memo = GEOMETRIC.get(series);
    if (!memo || memo.g !== spec.geometric || memo.i !== i) {
      memo = { g: spec.geometric, i, row: geometricRow(series, spec.geometric, i) };
      GEOMETRIC.set(series, memo);
    }
    const [values, signs] = memo.row;
    if (!spec.signs) return values;
    // "signs": true gives the colour codes; a pair gives its values for < 0 and > 0 (symbols)
    return Array.isArray(spec.signs) ? signs.map((code) => (code === null ? null : spec.signs[code - 1])) : signs;
  }
  throw new Error(`unknown moving field ${JSON.stringify(spec)}`);
}

// Row i of a geometric series, a r^(T-k) for k = 0..T, from log10|a|, log10|r| and their signs
// (series of -1, 0, 1; a missing scale is 1): the values, and the signs as colour codes (1 for
// negative, 2 for positive). A zero sign, or a value beyond float64, is not drawn (null).
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

// "{cost:.4g}", "{w_x:.4f}", "{i}", "{last}" filled from the series at iterate i of count.
export function fillTemplate(template, series, count, i) {
  return template.replace(/\{(\w+)(?::\.(\d+)([fg]))?\}/g, (_, name, digits, kind) => {
    if (name === "i") return String(i);
    if (name === "last") return String(count - 1);
    const v = scalarAt(series, name, i);
    if (typeof v === "string") return v;
    const text = kind === "f" ? v.toFixed(Number(digits)) : formatG(v, Number(digits || 6));
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0" in a readout
  });
}

// Python's "%.Ng": N significant digits, no trailing zeros, exponent of at least two digits.
export function formatG(v, digits) {
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
