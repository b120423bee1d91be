// The synchronous host imports core.wasm needs (bindings/host_imports.hpp), over
// node:crypto — BoringSSL inside workerd with nodejs_compat, OpenSSL under Node. Only
// primitives live here; everything built on them is in the core.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomFillSync,
  timingSafeEqual,
} from 'node:crypto';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

// `memory()` returns the module's current memory (it changes when memory grows).
export function hostImports(memory, onFatal) {
  const bytes = (ptr, len) => new Uint8Array(memory().buffer, ptr, len);
  const text = new TextDecoder();
  return {
    env: {
      host_sha256(ptr, len, out) {
        bytes(out, 32).set(createHash('sha256').update(bytes(ptr, len)).digest());
      },
      host_hmac_sha256(keyPtr, keyLen, ptr, len, out) {
        const mac = createHmac('sha256', bytes(keyPtr, keyLen)).update(bytes(ptr, len)).digest();
        bytes(out, 32).set(mac);
      },
      host_aes256gcm_seal(keyPtr, ivPtr, ptr, len, aadPtr, aadLen, out) {
        try {
          const c = createCipheriv('aes-256-gcm', bytes(keyPtr, 32), bytes(ivPtr, 12));
          if (aadLen) c.setAAD(bytes(aadPtr, aadLen));
          const body = Buffer.concat([c.update(bytes(ptr, len)), c.final(), c.getAuthTag()]);
          bytes(out, body.length).set(body);
          return body.length;
        } catch {
          return -1;
        }
      },
      host_aes256gcm_open(keyPtr, ivPtr, ptr, len, aadPtr, aadLen, out) {
        try {
          if (len < 16) return -1;
          const sealed = bytes(ptr, len);
          const d = createDecipheriv('aes-256-gcm', bytes(keyPtr, 32), bytes(ivPtr, 12));
          d.setAuthTag(sealed.slice(len - 16));
          if (aadLen) d.setAAD(bytes(aadPtr, aadLen));
          const plain = Buffer.concat([d.update(sealed.slice(0, len - 16)), d.final()]);
          bytes(out, plain.length).set(plain);
          return plain.length;
        } catch {
          return -1; // authentication failed
        }
      },
      host_random_bytes(out, len) {
        randomFillSync(bytes(out, len));
      },
      host_constant_time_equal(a, b, len) {
        return timingSafeEqual(bytes(a, len), bytes(b, len)) ? 1 : 0;
      },
      host_log(level, ptr, len) {
        const line = text.decode(bytes(ptr, len));
        const name = LOG_LEVELS[level] ?? 'info';
        (level >= 4 ? console.error : console.log)(`[${name}] ${line}`);
      },
      emscripten_notify_memory_growth() {},
    },
    wasi_snapshot_preview1: {
      // abort() in the core ends up here: make it a trap the shim recognises.
      proc_exit(code) {
        onFatal?.(code);
        throw new WebAssembly.RuntimeError(`core exited with code ${code}`);
      },
    },
  };
}
