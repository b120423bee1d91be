// npm run size, the report: reads a core.wasm linked with its function names kept
// (CMake target core_named) and prints where the module's bytes go — code by source area
// (the C++ namespace or library a function belongs to), the biggest functions, and the
// data segments (string literals, tables). Sizes are raw bytes of the module, with what each
// part is compressed alone (gzip -9): the upload is measured compressed, and code and text do
// not shrink alike. An area compressed alone loses what it shares with the rest, so the
// areas' compressed sizes add up to a little more than the whole.
//
// Usage: node scripts/size/report.mjs build/wasm/core_named.wasm [how many functions]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] ?? 25);
let pos = 8; // magic and version

function u32() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return result;
    shift += 7;
  }
}
function name() {
  const len = u32();
  const s = bytes.toString('utf8', pos, pos + len);
  pos += len;
  return s;
}

let importedFunctions = 0;
const bodies = []; // {len, at}, in function-index order after the imports
const names = new Map();
const data = [];
const sections = {};
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const start = pos;
  const end = pos + size;
  if (id === 0) {
    const custom = name();
    sections[`custom:${custom}`] = size;
    if (custom === 'name') {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = u32(); n > 0; n--) {
            const index = u32();
            names.set(index, name());
          }
        }
        pos = subEnd;
      }
    }
  } else {
    sections[id] = size;
    if (id === 2) {
      // imports: function imports take the first indices
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) {
          u32();
          importedFunctions++;
        } else if (kind === 1) {
          pos++;
          const flags = u32();
          u32();
          if (flags & 1) u32();
        } else if (kind === 2) {
          const flags = u32();
          u32();
          if (flags & 1) u32();
        } else if (kind === 3) {
          pos += 2;
        }
      }
    } else if (id === 10) {
      for (let n = u32(); n > 0; n--) {
        const len = u32();
        bodies.push({ len, at: pos });
        pos += len;
      }
    } else if (id === 11) {
      for (let n = u32(); n > 0; n--) {
        const flags = u32();
        if (flags === 0) {
          while (bytes[pos++] !== 0x0b);
        } else if (flags === 2) {
          u32();
          while (bytes[pos++] !== 0x0b);
        }
        const len = u32();
        data.push({
          len,
          at: pos,
          preview: bytes
            .toString('latin1', pos, pos + Math.min(len, 60))
            .replace(/[^\x20-\x7e]/g, '.'),
        });
        pos += len;
      }
    }
  }
  pos = end;
  void start;
}

// The area a function belongs to: its C++ namespace (bmcp::mcp, nlohmann, std) or library.
function area(fn) {
  const n = fn
    .replace(/^(virtual thunk to |non-virtual thunk to )/, '')
    .replace(/\(anonymous namespace\)::/g, '');
  const own = /^(?:[\w:<>, *&]+ )?(bmcp::[a-z_]+)::/.exec(n);
  if (own) return own[1];
  if (/nlohmann/.test(n)) return 'nlohmann::json';
  if (/std::__2::(basic_regex|__match|__bracket|__state|__node|regex)/.test(n) || /regex/.test(n))
    return 'std::regex';
  if (/^std::/.test(n) || /^void std::|^bool std::/.test(n)) return 'std (other)';
  if (/^(bmcp_|host_)/.test(n)) return 'bindings';
  if (/^[a-z_0-9]+$/.test(n)) return 'libc';
  const inner = /(bmcp::[a-z_]+)::/.exec(n);
  if (inner) return `${inner[1]} (in templates)`;
  return 'other';
}

const functions = bodies.map(({ len, at }, i) => ({
  len,
  at,
  name: names.get(importedFunctions + i) ?? `#${importedFunctions + i}`,
}));
const byArea = new Map();
for (const f of functions) {
  const a = area(f.name);
  const entry = byArea.get(a) ?? { len: 0, count: 0, parts: [] };
  entry.len += f.len;
  entry.count++;
  entry.parts.push(bytes.subarray(f.at, f.at + f.len));
  byArea.set(a, entry);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gzipped = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const codeTotal = functions.reduce((s, f) => s + f.len, 0);
const dataTotal = data.reduce((s, d) => s + d.len, 0);
console.log(
  `core.wasm ${kb(bytes.length)}: code ${kb(codeTotal)} in ${functions.length} functions ` +
    `(${kb(gzipped(functions.map((f) => bytes.subarray(f.at, f.at + f.len))))} gzip), ` +
    `data ${kb(dataTotal)} in ${data.length} segments ` +
    `(${kb(gzipped(data.map((d) => bytes.subarray(d.at, d.at + d.len))))} gzip)` +
    (sections['custom:name']
      ? ` (the name section, ${kb(sections['custom:name'])}, is only in this variant)`
      : ''),
);
console.log('\ncode by area                    raw      gzip alone');
for (const [a, e] of [...byArea].sort((x, y) => y[1].len - x[1].len))
  console.log(
    `  ${a.padEnd(26)}${kb(e.len).padStart(10)}${kb(gzipped(e.parts)).padStart(10)}  ${String(e.count).padStart(5)} functions`,
  );
console.log(`\nthe ${top} biggest functions`);
for (const f of [...functions].sort((x, y) => y.len - x.len).slice(0, top))
  console.log(
    `  ${kb(f.len).padStart(9)}  ${f.name.length > 150 ? `${f.name.slice(0, 147)}...` : f.name}`,
  );
console.log('\nthe biggest data segments');
for (const d of [...data].sort((x, y) => y.len - x.len).slice(0, 5))
  console.log(`  ${kb(d.len).padStart(9)}  ${d.preview}`);
