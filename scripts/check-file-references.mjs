#!/usr/bin/env node
// Every file a comment names exists: a header that says "see mcp/session_host.hpp" or
// "(tests/fixtures/dxlink)" must name something a reader can open. Scans the comments of
// src/, bindings/, worker-shim/ and tests/ (C++ `//` and JS `//` comments); a name is looked
// up as written from the repository root, from src/, and beside the file that names it.
// Exits 1 and lists each stale reference; run by `npm test` (scripts/test.sh).
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = [
  'src',
  'bindings',
  'worker-shim',
  'tests/unit',
  'tests/support',
  'tests/conformance',
  'tests/harness',
  'tests/e2e',
  'tests/interop',
];
const SOURCE = /\.(hpp|cpp|js|mjs)$/;
// A path-like name with a known extension, e.g. mcp/sse.hpp, worker-shim/run-call.js, bindings/ABI.md.
const NAMED = /(?<![\w./-])((?:[\w.-]+\/)*[\w-]+\.(?:hpp|cpp|js|mjs|md|sql|toml|json))(?![\w/])/g;

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'fixtures') continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else if (SOURCE.test(entry)) yield path;
  }
}

function comments(text) {
  const out = [];
  text.split('\n').forEach((line, i) => {
    const at = line.indexOf('//');
    // Not a URL's "//" inside a string or comment text.
    if (at >= 0 && line[at - 1] !== ':') out.push({ line: i + 1, text: line.slice(at + 2) });
  });
  return out;
}

function exists(name, from) {
  if (/^https?:/.test(name)) return true;
  return [join(ROOT, name), join(ROOT, 'src', name), join(dirname(from), name)].some((p) =>
    existsSync(p),
  );
}

const stale = [];
for (const top of SCANNED) {
  const dir = join(ROOT, top);
  if (!existsSync(dir)) continue;
  for (const file of files(dir)) {
    for (const { line, text } of comments(readFileSync(file, 'utf8'))) {
      for (const [, name] of text.matchAll(NAMED)) {
        if (!name.includes('/') && !/\.(hpp|cpp)$/.test(name)) continue; // a bare word like "package.json"
        if (!exists(name, file))
          stale.push(`${relative(ROOT, file)}:${line}: names ${name}, which does not exist`);
      }
    }
  }
}
if (stale.length) {
  console.error(stale.join('\n'));
  console.error(
    `${stale.length} comment(s) name files that do not exist: fix the comment (or the name).`,
  );
  process.exit(1);
}
console.log('every file a comment names exists');
