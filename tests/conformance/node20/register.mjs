// Lets @modelcontextprotocol/conformance (0.1.16, and 0.2.0-alpha.12 installed as
// conformance-2026) start on Node 20. Its bundle imports
// `globSync` from "fs", which Node only has from version 22, and uses it only in its
// `tier-check` command (never in `server`). Loaded with `node --import` by
// scripts/conformance.sh when Node is older than 22: the suite's "fs" import resolves to
// ./fs.mjs, i.e. node:fs plus a globSync that says what is missing.
import { register } from 'node:module';

register(import.meta.url);

const FS_WITH_GLOB = new URL('./fs.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const fromSuite = /\/@modelcontextprotocol\/conformance(-2026)?\//.test(context.parentURL ?? '');
  if (fromSuite && (specifier === 'fs' || specifier === 'node:fs')) {
    return { url: FS_WITH_GLOB, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
