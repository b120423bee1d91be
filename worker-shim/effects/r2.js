// r2.*: the KNOWLEDGE bucket (R2 objects: the knowledge documents, text only).
function bucket(host) {
  const b = host.env.KNOWLEDGE;
  if (!b) throw new Error('R2 binding KNOWLEDGE is not configured');
  return b;
}

export const r2Effects = {
  async 'r2.get'(args, host) {
    const obj = await bucket(host).get(String(args.key ?? ''));
    if (!obj) return { value: null, contentType: null };
    return { value: await obj.text(), contentType: obj.httpMetadata?.contentType ?? null };
  },
  async 'r2.list'(args, host) {
    const listed = await bucket(host).list({ prefix: String(args.prefix ?? ''), limit: 1000 });
    return { keys: listed.objects.map((o) => o.key) };
  },
  async 'r2.put'(args, host) {
    const options = args.contentType
      ? { httpMetadata: { contentType: String(args.contentType) } }
      : {};
    await bucket(host).put(String(args.key ?? ''), String(args.value ?? ''), options);
    return {};
  },
};
