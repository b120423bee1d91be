// Turns a platform Request into the core's event envelope (bindings/ABI.md "Events").
export async function requestEvent(type, request, extra = {}) {
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  return {
    type,
    request: { method: request.method, url: request.url, headers: [...request.headers], body },
    ...extra,
  };
}
