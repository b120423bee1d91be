// d1.*: the DB database (D1, the system of record). Parameters are always bound.
function database(host) {
  const db = host.env.DB;
  if (!db) throw new Error('D1 binding DB is not configured');
  return db;
}

function shape(result) {
  return { rows: result.results ?? [], changes: result.meta?.changes ?? 0 };
}

export const d1Effects = {
  async 'd1.query'(args, host) {
    const stmt = database(host)
      .prepare(args.sql)
      .bind(...(args.params ?? []));
    return shape(await stmt.all());
  },
  async 'd1.batch'(args, host) {
    const db = database(host);
    const statements = (args.statements ?? []).map((s) =>
      db.prepare(s.sql).bind(...(s.params ?? [])),
    );
    const results = await db.batch(statements);
    return { results: results.map(shape) };
  },
};
