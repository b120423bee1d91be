// Small HTTP helpers shared by every route of the sandbox brokerage: body
// parsing, query-array parsing in the three spellings brokers accept, a tiny
// path router, and plain response values that the dispatcher writes out.

export class HttpError extends Error {
  constructor(response) {
    super(`http ${response.status}`);
    this.response = response;
  }
}

const MAX_BODY = 1024 * 1024;

export function readBody(req, limit = MAX_BODY) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function contentType(headers) {
  return String(headers['content-type'] || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/** Parses an x-www-form-urlencoded body into a plain object (first value wins). */
export function parseForm(buf) {
  const out = {};
  for (const [k, v] of new URLSearchParams(buf.toString('utf8'))) {
    if (!(k in out)) out[k] = v;
  }
  return out;
}

/** Parses a JSON body; returns undefined when the body is not valid JSON. */
export function parseJson(buf) {
  if (!buf || buf.length === 0) return undefined;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Reads a list-valued query parameter written as repeated keys (`a=1&a=2`),
 * bracketed keys (`a[]=1&a[]=2`) or comma-joined values (`a=1,2`).
 */
export function queryList(params, name) {
  const raw = [...params.getAll(name), ...params.getAll(`${name}[]`)];
  const out = [];
  for (const value of raw) {
    for (const part of value.split(',')) {
      const trimmed = part.trim();
      if (trimmed) out.push(trimmed);
    }
  }
  return out;
}

/** Like queryList, but does not split on commas (for values that may contain them). */
export function queryListNoSplit(params, name) {
  return [...params.getAll(name), ...params.getAll(`${name}[]`)].filter((v) => v !== '');
}

export function queryBool(params, name, fallback) {
  const v = params.get(name);
  if (v === null || v === '') return fallback;
  return v === 'true' || v === '1';
}

export function queryNumber(params, name) {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

export function parseBasicAuth(header) {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const idx = decoded.indexOf(':');
  if (idx < 0) return null;
  return { id: decoded.slice(0, idx), secret: decoded.slice(idx + 1) };
}

export function bearerToken(header) {
  if (!header) return null;
  const m = /^bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1].trim() : null;
}

export function escapeHtml(s) {
  return String(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// ---- response values -------------------------------------------------------

export function json(status, body, headers = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function empty(status, headers = {}) {
  return { status, headers: { 'content-length': '0', ...headers }, body: '' };
}

export function html(status, body, headers = {}) {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body };
}

export function text(status, body, headers = {}) {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

export function redirect(location, headers = {}) {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers }, body: '' };
}

export function writeResponse(res, r) {
  const body = r.body ?? '';
  const headers = { ...r.headers };
  if (!('content-length' in headers)) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(r.status, headers);
  res.end(body);
}

// ---- router ----------------------------------------------------------------

/** Matches `/a/:b/c` style patterns against a path, first registered route wins. */
export class Router {
  constructor() {
    this.routes = [];
  }

  add(method, pattern, handler, options = {}) {
    const names = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, regex: new RegExp(`^${source}/?$`), names, handler, options });
    return this;
  }

  match(method, path) {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params = {};
      route.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1]);
        } catch {
          params[name] = m[i + 1];
        }
      });
      return { route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : null;
  }
}

/** A frozen lookup table without a prototype, safe to index with request input. */
export function table(entries) {
  return Object.freeze(Object.assign(Object.create(null), entries));
}
