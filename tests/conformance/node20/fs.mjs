// node:fs as the conformance suite imports it on Node 20 (see ./register.mjs).
import fs from 'node:fs';

export * from 'node:fs';
export default fs;

export function globSync() {
  throw new Error('fs.globSync needs Node 22 or newer (used only by `conformance tier-check`)');
}
