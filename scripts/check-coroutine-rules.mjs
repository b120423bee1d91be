// GCC 12 (the native compiler) miscompiles two coroutine patterns that clang accepts, so
// both are refused here, before a build:
//   1. co_await inside an if/while condition: the frame is later resumed at an invalid
//      point (an illegal instruction, or a call that never finishes).
//   2. a braced temporary inside a co_await expression (`co_await f({{"k", v}})`,
//      `co_await g(Type{…})`): it fails to compile, or is destroyed twice at run time.
// The fix is always the same: await into a named value, or build the argument in a local.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const problems = [];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(cpp|hpp)$/.test(name)) yield path;
  }
}

// The text between the parenthesis at `open` and its match, or null.
function parenthesized(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

// The co_await expression starting at `at`, up to the end of its statement.
function awaitedExpression(text, at) {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) return text.slice(at, i);
      depth--;
    } else if (c === ';' && depth === 0) return text.slice(at, i);
  }
  return text.slice(at);
}

for (const top of ['src', 'bindings', 'tests']) {
  for (const file of sources(join(root, top))) {
    const text = readFileSync(file, 'utf8').replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
    const line = (i) => text.slice(0, i).split('\n').length;
    for (const m of text.matchAll(/\b(if|while)\s*\(/g)) {
      const cond = parenthesized(text, m.index + m[0].length - 1);
      if (cond && /\bco_await\b/.test(cond)) {
        problems.push(
          `${relative(root, file)}:${line(m.index)}: co_await inside an ${m[1]} condition; await into a named value first`,
        );
      }
    }
    for (const m of text.matchAll(/\bco_await\b/g)) {
      const expr = awaitedExpression(text, m.index);
      if (
        /[A-Za-z_>]\s*\{|[(,]\s*\{/.test(expr) &&
        !/^co_await\s+[\w:]*(Awaiter|Never)\{/.test(expr)
      ) {
        problems.push(
          `${relative(root, file)}:${line(m.index)}: braced temporary inside a co_await expression; build it in a local first`,
        );
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
