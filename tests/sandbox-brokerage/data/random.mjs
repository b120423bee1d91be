// Deterministic pseudo-random numbers for generated market data. Everything
// here is a pure function of its seed, so the same symbol and day always give
// the same prices. Not for anything security related.

/** FNV-1a over the string form of the parts, mixed to 32 bits. */
export function hash32(...parts) {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small fast generator (mulberry32) returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform generator (Box–Muller, cached pair). */
export function gaussian(next) {
  let spare = null;
  return function draw() {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = next();
    while (u <= 1e-12) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Uniform float in [0, 1) from a hash of the parts. */
export function unit(...parts) {
  return hash32(...parts) / 4294967296;
}

/** Integer in [lo, hi] from a hash of the parts. */
export function intBetween(lo, hi, ...parts) {
  return lo + (hash32(...parts) % (hi - lo + 1));
}
