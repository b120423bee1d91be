// The effect kinds and their argument names are defined once, by the core: the BMCP_EFFECTS
// table of src/effects/effect_args.hpp, from which the core's argument structs and their JSON
// are expanded. Three other places must follow it and are checked against it here: the
// shim's performers (worker-shim/effects/index.js, which reads `args.name`), the native fake
// platform (tests/support/fake_host.cpp, which reads `get_string(a, "name")` and the like)
// and the contract (bindings/ABI.md "Effects", which documents `{name, …}`). The test fails
// when they drift: a kind or an argument the core sends that the shim does not perform or
// read (a call failing in production), one the fake host simulates under another name (a
// test that passes for the wrong reason), or one the contract does not describe.
//
// The places are read as text, so each keeps a shape this test can follow: the table one
// entry a line; a performer reads its arguments as `args.name` (itself, or in a helper of
// its module called with `args`); the fake host reads them from `a` inside an
// `if (kind == "…")` block; the contract gives each kind of a row its `{args}`, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EFFECT_KINDS, PERFORMERS } from '../../worker-shim/effects/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const sorted = (iterable) => [...iterable].sort();
const DEFINITION = 'src/effects/effect_args.hpp';

// The text from the bracket at `open` to its match (inclusive), for (), {} and [].
function balanced(text, open) {
  const close = { '(': ')', '{': '}', '[': ']' }[text[open]];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced ${text[open]} at ${open}`);
}

const withoutLineComments = (text) => text.replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));

// ---- the definition ---------------------------------------------------------------------
// Map kind → {struct, args: Map wire name → {optional}}.
function definition() {
  const text = read(DEFINITION);
  const start = text.indexOf('#define BMCP_EFFECTS(');
  assert.ok(start >= 0, `${DEFINITION} defines BMCP_EFFECTS`);
  const kinds = new Map();
  let current = null;
  for (const line of text.slice(start).split('\n').slice(1)) {
    const body = line
      .replace(/\\\s*$/, '')
      .replace(/\/\*.*?\*\//g, '')
      .trim();
    let m;
    if ((m = body.match(/^EFFECT\((\w+), "([a-z0-9._]+)"\)$/))) {
      assert.equal(current, null, `${DEFINITION}: EFFECT(${m[1]}) before the previous END()`);
      assert.ok(!kinds.has(m[2]), `${DEFINITION}: ${m[2]} is defined twice`);
      current = { kind: m[2], struct: m[1], args: new Map() };
    } else if ((m = body.match(/^ARG\((.+), (\w+), "(\w+)"\)$/))) {
      assert.ok(current, `${DEFINITION}: ARG(${m[2]}) outside an EFFECT`);
      current.args.set(m[3], { optional: /^std::optional</.test(m[1]) });
    } else if (body === 'END()') {
      assert.ok(current, `${DEFINITION}: END() without an EFFECT`);
      kinds.set(current.kind, current);
      current = null;
    } else if (body !== '') {
      assert.fail(`${DEFINITION}: cannot read this line of BMCP_EFFECTS: ${line.trim()}`);
    }
    if (!line.trimEnd().endsWith('\\')) break; // the end of the macro
  }
  assert.equal(current, null, `${DEFINITION}: the last EFFECT has no END()`);
  return kinds;
}

const names = (args) => sorted(args.keys());

function* cppFiles(dir) {
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) yield* cppFiles(path);
    else if (/\.(cpp|hpp)$/.test(entry)) yield path;
  }
}

// ---- the shim: what each performer reads of `args` --------------------------------------
const SHIM_MODULES = readdirSync(join(ROOT, 'worker-shim/effects'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => read(`worker-shim/effects/${f}`));

// The source of `function name(args, …) { … }` in one of the shim's effect modules.
function shimHelper(name) {
  for (const text of SHIM_MODULES) {
    const m = new RegExp(`function ${name}\\(args\\b`).exec(text);
    if (m)
      return (
        text.slice(m.index, m.index + m[0].length) + balanced(text, text.indexOf('{', m.index))
      );
  }
  return null;
}

// The argument names a function's source reads: `args.name`, `args?.name`, and those read by
// helpers it passes `args` to. Any other use of `args` is refused: this test could not see it.
function argsRead(source, where, seen = new Set()) {
  const reads = new Set();
  let rest = source.replace(/^[^(]*\(\s*args\b/, ''); // the parameter
  rest = rest.replace(/\bargs\??\.(\w+)/g, (_, name) => (reads.add(name), ''));
  rest = rest.replace(/\b(\w+)\(args\b/g, (_, helper) => {
    const text = shimHelper(helper);
    assert.ok(
      text,
      `${where}: passes args to ${helper}(), which no module of worker-shim/effects defines`,
    );
    if (!seen.has(helper)) {
      seen.add(helper);
      for (const name of argsRead(text, `${where} → ${helper}()`, seen)) reads.add(name);
    }
    return '';
  });
  assert.ok(
    !/\bargs\b/.test(rest),
    `${where}: reads args other than as args.name (destructuring, args[…]); write args.name so this test sees it`,
  );
  return reads;
}

function shimArgs(kind) {
  const perform = PERFORMERS[kind];
  const source = perform.toString();
  assert.match(
    source,
    /^[^(]*\(\s*args\b/,
    `worker-shim/effects: the performer of ${kind} names its first parameter args`,
  );
  return argsRead(source, `worker-shim/effects ${kind}`);
}

// ---- the fake host: what each `if (kind == "…")` block reads of `a` ---------------------
const FAKE_HOST = 'tests/support/fake_host.cpp';
const fakeHostText = withoutLineComments(read(FAKE_HOST));

// The body of `FakeHost::name(…) { … }`.
function fakeHostFunction(signature) {
  const at = fakeHostText.indexOf(signature);
  if (at < 0) return null;
  return balanced(fakeHostText, fakeHostText.indexOf('{', at));
}

// Names read from the Json `variable` in `text`, including through FakeHost helpers that
// are handed all of it (`d1_query(a)` reads what FakeHost::d1_query reads of its `args`).
function jsonReads(text, variable) {
  const reads = new Set();
  const v = variable;
  for (const re of [
    new RegExp(
      `\\b(?:get_string|get_int|get_number|get_bool|find_member)\\(${v}, "(\\w+)"\\)`,
      'g',
    ),
    new RegExp(`(?<![.\\w])${v}\\.(?:value|contains)\\("(\\w+)"`, 'g'),
    new RegExp(`(?<![.\\w])${v}\\["(\\w+)"\\]`, 'g'),
  ])
    for (const [, name] of text.matchAll(re)) reads.add(name);
  for (const [, helper] of text.matchAll(new RegExp(`\\b(\\w+)\\(${v}\\)`, 'g'))) {
    const body = fakeHostFunction(`FakeHost::${helper}(const Json& args)`);
    if (body) for (const name of jsonReads(body, 'args')) reads.add(name);
  }
  return reads;
}

// Map kind → Set of names, from the blocks of FakeHost::perform. A read belongs to the
// innermost `if (kind == …)` around it (its condition included); names read before any
// block into a local (`auto key = get_string(a, "key")…`) belong to each block using it.
function fakeHostArgs() {
  const perform = fakeHostFunction('std::optional<EffectOutcome> FakeHost::perform(');
  assert.ok(perform, `${FAKE_HOST} defines FakeHost::perform`);
  const byKind = new Map();
  const blocks = []; // {kinds, text (own text, inner blocks blanked)}

  // Blanks each `if (… kind == "x" …) body` of `text` (recording it), returns what is left.
  function split(text, kinds) {
    let own = text;
    const re = /\bif\s*\(/g;
    let m;
    while ((m = re.exec(text))) {
      const open = m.index + m[0].length - 1;
      const condition = balanced(text, open);
      const blockKinds = [...condition.matchAll(/(?<![.\w])kind == "([a-z0-9._]+)"/g)].map(
        (k) => k[1],
      );
      if (blockKinds.length === 0) continue; // an ordinary if: its reads are its block's
      let end = open + condition.length;
      while (/\s/.test(text[end])) end++;
      end = text[end] === '{' ? end + balanced(text, end).length : text.indexOf(';', end) + 1;
      const whole = text.slice(m.index, end);
      blocks.push({ kinds: blockKinds, text: split(whole.slice(m[0].length - 1), blockKinds) });
      own = own.slice(0, m.index) + ' '.repeat(end - m.index) + own.slice(end);
      re.lastIndex = end;
    }
    return own;
  }
  const outside = split(perform.slice(1, -1), []);

  const locals = new Map();
  for (const [, local, name] of outside.matchAll(
    /\b(?:auto|std::string|const std::string)\s+(\w+)\s*=\s*get_\w+\(a, "(\w+)"\)/g,
  ))
    locals.set(local, name);
  const stray = jsonReads(
    outside.replace(
      /\b(?:auto|std::string|const std::string)\s+\w+\s*=\s*get_\w+\(a, "\w+"\)/g,
      '',
    ),
    'a',
  );
  assert.deepEqual(
    sorted(stray),
    [],
    `${FAKE_HOST}: FakeHost::perform reads arguments outside any if (kind == …) block`,
  );

  for (const { kinds, text } of blocks) {
    const reads = jsonReads(text, 'a');
    for (const [local, name] of locals)
      if (new RegExp(`(?<![.\\w>"])${local}\\b(?!")`).test(text)) reads.add(name);
    for (const kind of kinds) {
      if (!byKind.has(kind)) byKind.set(kind, new Set());
      for (const name of reads) byKind.get(kind).add(name);
    }
  }

  // A trapped call's fallback effects (FakeHost::trap): `e.value("kind", "") == "x"` … `e["args"].value("name", …)`.
  const trap = fakeHostFunction('void FakeHost::trap(') ?? '';
  for (const [, kind, statement] of trap.matchAll(/== "([a-z0-9._]+)"\)([^;]*);/g)) {
    if (!byKind.has(kind)) byKind.set(kind, new Set());
    for (const [, name] of statement.matchAll(/\["args"\]\.value\("(\w+)"/g))
      byKind.get(kind).add(name);
  }
  return byKind;
}

// ---- the contract: the args of each kind in bindings/ABI.md's effects table ------------------
// Map kind → Map name → {optional}. A row `| `a` / `b` | `{x}` → `{v}`; `{x, y?}` | notes |`.
function splitTopLevel(text, separator) {
  const parts = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if ('{[('.includes(text[i])) depth++;
    else if ('}])'.includes(text[i])) depth--;
    else if (text[i] === separator && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function contractArgs() {
  const text = read('bindings/ABI.md');
  const table = text.slice(text.indexOf('| `http.fetch`'));
  const byKind = new Map();
  for (const line of table.split('\n')) {
    if (!line.startsWith('| `')) break;
    const cells = line.split(/(?<!\\)\|/);
    const kinds = [...cells[1].matchAll(/`([a-z0-9._]+)`/g)].map((k) => k[1]);
    const specs = splitTopLevel(cells[2].replace(/`/g, ''), ';');
    assert.equal(
      specs.length,
      kinds.length,
      `bindings/ABI.md: the row of ${kinds.join(', ')} gives ${specs.length} argument lists for ${kinds.length} kinds`,
    );
    kinds.forEach((kind, i) => {
      const args = specs[i].trimStart().startsWith('{')
        ? balanced(specs[i].trimStart(), 0).slice(1, -1)
        : '';
      const fields = new Map();
      for (const field of splitTopLevel(args, ',')) {
        const name = field.split(':')[0].trim();
        fields.set(name.replace(/\?$/, ''), { optional: name.endsWith('?') });
      }
      byKind.set(kind, fields);
    });
  }
  return byKind;
}

// ---- the checks -------------------------------------------------------------------------------
const DEFINED = definition();

test('the core, the shim, the fake host and ABI.md name the same effect kinds', () => {
  const core = sorted(DEFINED.keys());
  assert.ok(core.length >= 25, `found ${core.length} kinds in ${DEFINITION}`);
  for (const { kind, args } of DEFINED.values()) assert.ok(args.size > 0, `${kind} has arguments`);
  assert.deepEqual(
    sorted(EFFECT_KINDS),
    core,
    'worker-shim/effects performs exactly the kinds the core defines',
  );
  const simulated = new Set(
    [...fakeHostText.matchAll(/kind == "([a-z0-9._]+)"/g)].map((m) => m[1]),
  );
  assert.deepEqual(
    sorted(simulated),
    core,
    `${FAKE_HOST} simulates exactly the kinds the core defines`,
  );
  assert.deepEqual(
    sorted(contractArgs().keys()),
    core,
    'bindings/ABI.md describes exactly the kinds the core defines',
  );
});

test('the core builds every effect from its definition, and requests every kind defined', () => {
  const sources = [...cppFiles('src')].filter((f) => !f.startsWith('src/effects/effect_args.'));
  const text = sources.map((f) => withoutLineComments(read(f))).join('\n');
  for (const { kind, struct } of DEFINED.values()) {
    assert.match(
      text,
      new RegExp(`\\beffects::${struct}\\b`),
      `${kind}: no code in src/ builds effects::${struct}`,
    );
    assert.ok(
      !text.includes(`{"kind", "${kind}"}`),
      `${kind}: an effect spelled as JSON in src/; build it with effects::to_effect(effects::${struct}{…})`,
    );
  }
  assert.ok(
    !/Effect \w+ *= *\{"/.test(text),
    'an Effect built from a string kind in src/; use effects::to_effect',
  );
});

test('the shim reads exactly the arguments the core sends', () => {
  for (const [kind, { args }] of DEFINED) {
    assert.deepEqual(
      sorted(shimArgs(kind)),
      names(args),
      `worker-shim/effects ${kind} reads exactly the arguments of ${DEFINITION}`,
    );
  }
});

test('the fake host reads no argument the core does not send', () => {
  const simulated = fakeHostArgs();
  for (const [kind, { args }] of DEFINED) {
    const unknown = sorted(simulated.get(kind) ?? []).filter((name) => !args.has(name));
    assert.deepEqual(
      unknown,
      [],
      `${FAKE_HOST} ${kind} reads arguments ${DEFINITION} does not define`,
    );
  }
});

test('ABI.md documents exactly the arguments the core sends, and which may be absent', () => {
  const documented = contractArgs();
  for (const [kind, { args }] of DEFINED) {
    const doc = documented.get(kind);
    assert.deepEqual(
      names(doc),
      names(args),
      `bindings/ABI.md ${kind} documents exactly the arguments of ${DEFINITION}`,
    );
    for (const [name, { optional }] of args)
      assert.equal(
        doc.get(name).optional,
        optional,
        `bindings/ABI.md ${kind}: ${name}${optional ? '?' : ''} as in ${DEFINITION}`,
      );
  }
});
