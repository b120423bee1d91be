// Fails when core.wasm imports anything the shim does not provide (bindings/ABI.md):
// an unexpected import would otherwise surface only as a LinkError at the first request.
import { readFileSync } from 'node:fs';

const ALLOWED = new Set([
  'env.host_sha256',
  'env.host_hmac_sha256',
  'env.host_aes256gcm_seal',
  'env.host_aes256gcm_open',
  'env.host_random_bytes',
  'env.host_constant_time_equal',
  'env.host_log',
  'env.emscripten_notify_memory_growth',
  'wasi_snapshot_preview1.proc_exit',
]);
const REQUIRED_EXPORTS = [
  'memory',
  '_initialize',
  'bmcp_abi_version',
  'bmcp_alloc',
  'bmcp_free',
  'bmcp_configure',
  'bmcp_start',
  'bmcp_resume',
  'bmcp_cancel',
  'bmcp_live_calls',
];

const path = process.argv[2];
const module = new WebAssembly.Module(readFileSync(path));
const unexpected = WebAssembly.Module.imports(module)
  .map((i) => `${i.module}.${i.name}`)
  .filter((name) => !ALLOWED.has(name));
const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
const absent = REQUIRED_EXPORTS.filter((e) => !exports.has(e));
if (unexpected.length || absent.length) {
  if (unexpected.length) console.error(`${path}: unexpected imports: ${unexpected.join(', ')}`);
  if (absent.length) console.error(`${path}: missing exports: ${absent.join(', ')}`);
  process.exit(1);
}
