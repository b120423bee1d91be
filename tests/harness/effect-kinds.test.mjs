// The effect kinds are one list in four places — the core's wrappers (src/effects/host_api.cpp),
// the shim's performers (worker-shim/effects/index.js), the native fake platform
// (tests/support/fake_host.cpp) and the contract (bindings/ABI.md "Effects") — kept in step
// by hand. This test fails when they drift: a kind the core can request that the shim cannot
// perform (a call failing in production), one the fake host does not simulate (untested), or
// one the contract does not describe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EFFECT_KINDS } from '../../worker-shim/effects/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const KIND = /^(?:[a-z0-9]+\.[a-z_]+|sleep)$/;
const sorted = (set) => [...set].sort();

function coreKinds() {
  // Effect effect = {"kv.get", …} and the fallback effects spelled {"kv.put", {…}}.
  const text = read('src/effects/host_api.cpp');
  const kinds = new Set();
  for (const [, kind] of text.matchAll(/Effect \w+ *= *\{"([a-z0-9._]+)"/g)) kinds.add(kind);
  for (const [, kind] of text.matchAll(/\{"([a-z0-9]+\.[a-z_]+)", /g)) kinds.add(kind);
  return new Set([...kinds].filter((k) => KIND.test(k)));
}

function fakeHostKinds() {
  const kinds = new Set();
  for (const [, kind] of read('tests/support/fake_host.cpp').matchAll(/kind == "([a-z0-9._]+)"/g)) kinds.add(kind);
  return new Set([...kinds].filter((k) => KIND.test(k)));
}

function contractKinds() {
  // The rows of the effects table: | `kv.get` / `kv.put` / `kv.delete` | args → value | notes |
  const text = read('bindings/ABI.md');
  const table = text.slice(text.indexOf('| `http.fetch`'));
  const kinds = new Set();
  for (const line of table.split('\n')) {
    if (!line.startsWith('| `')) break;
    const first = line.split('|')[1];
    for (const [, kind] of first.matchAll(/`([a-z0-9._]+)`/g)) kinds.add(kind);
  }
  return kinds;
}

test('the core, the shim, the fake host and ABI.md name the same effect kinds', () => {
  const shim = new Set(EFFECT_KINDS);
  const core = coreKinds();
  assert.ok(core.size >= 25, `found ${core.size} kinds in host_api.cpp`);
  assert.deepEqual(sorted(shim), sorted(core), 'worker-shim/effects performs exactly what the core requests');
  assert.deepEqual(sorted(fakeHostKinds()), sorted(core), 'tests/support/fake_host.cpp simulates exactly what the core requests');
  assert.deepEqual(sorted(contractKinds()), sorted(core), 'bindings/ABI.md describes exactly what the core requests');
});
