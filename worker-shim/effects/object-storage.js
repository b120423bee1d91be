// storage.*: the storage of the Durable Object the call runs in (strongly consistent).
function storage(host) {
  if (!host.object) throw new Error('storage effects need a Durable Object');
  return host.object.state.storage;
}

export const storageEffects = {
  async 'storage.get'(args, host) {
    const value = await storage(host).get(args.key);
    return { value: value === undefined ? null : value };
  },
  async 'storage.put'(args, host) {
    await storage(host).put(args.key, args.value);
    return {};
  },
  async 'storage.delete'(args, host) {
    await storage(host).delete(args.key);
    return {};
  },
};
