// Turns a platform Request into the core's event envelope (bindings/ABI.md "Events"),
// refusing a body larger than MAX_REQUEST_BODY_BYTES (bindings/ABI.md "Limits") with 413
// before the module sees any of it: a declared Content-Length is checked before reading,
// and the bytes are counted while streaming (a body without one, or one that lies, is cut
// off just past the limit). The rest of a refused body is left unread, never cancelled:
// cancelling it resets the client's connection before the 413 arrives (read-capped.js).
// Answers { event } or { refusal } (the Response to send).
import { declaredLength, readCapped } from './read-capped.js';

export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

function tooLarge() {
  // RFC 9110 §15.5.14 413 Content Too Large; the body in the error/error_description form
  // the server's OAuth endpoints use (RFC 6749 §5.2).
  return new Response(
    JSON.stringify({
      error: 'request_too_large',
      error_description: `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`,
    }),
    { status: 413, headers: { 'Content-Type': 'application/json' } },
  );
}

export async function requestEvent(type, request, extra = {}) {
  let body = '';
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const declared = declaredLength(request.headers);
    if (declared !== null && declared > MAX_REQUEST_BODY_BYTES) {
      return { refusal: tooLarge() };
    }
    body = await readCapped(request.body, MAX_REQUEST_BODY_BYTES, { cancel: false });
    if (body === null) return { refusal: tooLarge() };
  }
  return {
    event: {
      type,
      request: { method: request.method, url: request.url, headers: [...request.headers], body },
      ...extra,
    },
  };
}
