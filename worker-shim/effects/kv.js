// kv.*: the CACHE namespace (Workers KV: a cache only; eventually consistent).
function namespace(host) {
  const kv = host.env.CACHE;
  if (!kv) throw new Error('KV binding CACHE is not configured');
  return kv;
}

export const kvEffects = {
  async 'kv.get'(args, host) {
    return { value: await namespace(host).get(args.key) };
  },
  async 'kv.put'(args, host) {
    const options = args.ttl ? { expirationTtl: Math.max(60, args.ttl) } : {};
    await namespace(host).put(args.key, args.value, options);
    return {};
  },
  async 'kv.delete'(args, host) {
    await namespace(host).delete(args.key);
    return {};
  },
};
