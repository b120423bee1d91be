// The effect catalogue (bindings/ABI.md "Effects"): one performer per kind. A performer
// never throws for an I/O failure — it returns { ok:false, error:{code,message} } so the
// core decides — but an unknown kind is a contract violation and fails the call loudly.
import { fetchEffect } from './http-fetch.js';
import { kvEffects } from './kv.js';
import { d1Effects } from './d1.js';
import { storageEffects } from './object-storage.js';
import { responseEffects } from './response-stream.js';
import { coordinationEffects } from './coordination.js';
import { websocketEffects } from './websocket.js';
import { r2Effects } from './r2.js';
import { platformEffects } from './platform.js';

// Exported for tests/harness/effect-kinds.test.mjs, which reads each performer's arguments.
export const PERFORMERS = Object.freeze({
  'http.fetch': fetchEffect,
  ...kvEffects,
  ...d1Effects,
  ...storageEffects,
  ...responseEffects,
  ...coordinationEffects,
  ...websocketEffects,
  ...r2Effects,
  ...platformEffects,
});

export const EFFECT_KINDS = Object.keys(PERFORMERS);

export async function performEffect(effect, host) {
  const perform = PERFORMERS[effect.kind];
  if (!perform) throw new Error(`unknown effect kind "${effect.kind}" (wire version 1)`);
  try {
    const value = await perform(effect.args ?? {}, host);
    return { ok: true, value: value ?? null };
  } catch (err) {
    return {
      ok: false,
      error: { code: err?.effectCode ?? 'binding', message: String(err?.message ?? err) },
    };
  }
}

export function effectError(code, message) {
  const err = new Error(message);
  err.effectCode = code;
  return err;
}
