// The MCP TypeScript SDK client against the conformance fixture build under `wrangler dev`
// (started by scripts/conformance.sh, URL in FIXTURE_URL), over both transports: progress,
// an elicitation round trip, sampling, and a cancelled call — the server-to-client paths
// that need the session Durable Object to route a separate POST back to the waiting call.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const BASE = process.env.FIXTURE_URL ?? 'http://127.0.0.1:8790';

async function connect(kind, { onElicit, onSample } = {}) {
  const client = new Client(
    { name: 'e2e-transport', version: '1.0.0' },
    { capabilities: { elicitation: {}, sampling: {} } },
  );
  client.setRequestHandler(
    ElicitRequestSchema,
    onElicit ??
      (async () => ({ action: 'accept', content: { username: 'ada', email: 'ada@example.com' } })),
  );
  client.setRequestHandler(
    CreateMessageRequestSchema,
    onSample ??
      (async (req) => ({
        model: 'test-model',
        role: 'assistant',
        content: { type: 'text', text: `echo: ${req.params.messages[0].content.text}` },
      })),
  );
  const transport =
    kind === 'sse'
      ? new SSEClientTransport(new URL(`${BASE}/sse`))
      : new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`));
  await client.connect(transport);
  return client;
}

// ---- the legacy HTTP+SSE transport on the wire ---------------------------------------------

// Reads SSE events ({event, data}) from a streaming fetch body.
async function* sseEvents(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event.event = line.slice(6).trim();
        else if (line.startsWith('data:')) event.data += line.slice(5).trimStart();
      }
      yield event;
    }
  }
}

test('legacy SSE: every progress notification is on the stream, in order, before the response (on the wire)', async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  try {
    const stream = await fetch(`${BASE}/sse`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    assert.equal(stream.status, 200);
    const events = sseEvents(stream.body);
    const endpoint = (await events.next()).value;
    assert.equal(endpoint.event, 'endpoint');
    const post = (message) =>
      fetch(new URL(endpoint.data, BASE), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
    const next = async () => JSON.parse((await events.next()).value.data);
    assert.equal(
      (
        await post({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2024-11-05',
            capabilities: {},
            clientInfo: { name: 'wire', version: '1' },
          },
        })
      ).status,
      202,
    );
    assert.equal((await next()).id, 1);
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await post({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p-1' } },
    });
    const progress = [];
    for (;;) {
      const m = await next();
      if (m.method === 'notifications/progress') {
        assert.equal(m.params.progressToken, 'p-1');
        progress.push(m.params.progress);
        continue;
      }
      assert.equal(m.id, 2);
      assert.ok(m.result.content.length > 0);
      break;
    }
    assert.deepEqual(progress, [0, 50, 100]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
});

for (const kind of ['streamable-http', 'sse']) {
  describe(`transport: ${kind}`, () => {
    test('initialize, list and call tools, prompts and resources', async () => {
      const client = await connect(kind);
      try {
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'test_simple_text'));
        const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
        assert.equal(r.content[0].type, 'text');
        const { prompts } = await client.listPrompts();
        assert.ok(prompts.length > 0);
        const p = await client.getPrompt({
          name: 'test_prompt_with_arguments',
          arguments: { arg1: 'one', arg2: 'two' },
        });
        assert.match(JSON.stringify(p.messages), /one.*two/);
        const res = await client.readResource({ uri: 'test://static-text' });
        assert.ok(res.contents[0].text.length > 0);
      } finally {
        await client.close();
      }
    });

    test('a progress-reporting call delivers increasing progress before its result', async () => {
      const client = await connect(kind);
      try {
        const seen = [];
        const r = await client.callTool(
          { name: 'test_tool_with_progress', arguments: {} },
          undefined,
          { onprogress: (p) => seen.push(p.progress) },
        );
        assert.ok(r.content.length > 0);
        // The SDK's Protocol handles a response synchronously but a notification in a
        // microtask, so a last progress notification that arrives in the same chunk as the
        // response is dropped by the client (its handler is already gone). What the server
        // sends is checked on the wire below ("… on the wire"); here, what a client sees.
        assert.ok(seen.length >= 2, `progress notifications: ${seen.length}`);
        assert.deepEqual(seen, [0, 50, 100].slice(0, seen.length));
      } finally {
        await client.close();
      }
    });

    test('an elicitation round trip reaches the waiting tool call', async () => {
      let asked = null;
      const client = await connect(kind, {
        onElicit: async (req) => {
          asked = req.params;
          return { action: 'accept', content: { username: 'grace', email: 'grace@example.com' } };
        },
      });
      try {
        const r = await client.callTool({
          name: 'test_elicitation',
          arguments: { message: 'Who are you?' },
        });
        assert.equal(asked.message, 'Who are you?');
        assert.match(JSON.stringify(r.content), /grace/);
      } finally {
        await client.close();
      }
    });

    test('a sampling request is answered by the client', async () => {
      const client = await connect(kind);
      try {
        const r = await client.callTool({
          name: 'test_sampling',
          arguments: { prompt: 'hello there' },
        });
        assert.match(JSON.stringify(r.content), /echo: hello there/);
      } finally {
        await client.close();
      }
    });

    test('a cancelled call ends without a result and the session goes on', async () => {
      let release;
      const held = new Promise((r) => {
        release = r;
      });
      const client = await connect(kind, {
        onElicit: async () => {
          await held;
          return { action: 'decline' };
        },
      });
      try {
        const controller = new AbortController();
        const pending = client.callTool(
          { name: 'test_elicitation', arguments: { message: 'wait' } },
          undefined,
          { signal: controller.signal },
        );
        await new Promise((r) => setTimeout(r, 300));
        controller.abort('changed my mind');
        await assert.rejects(pending, /abort|cancel|changed my mind/i);
        release();
        const again = await client.callTool({ name: 'test_simple_text', arguments: {} });
        assert.equal(again.content[0].type, 'text');
      } finally {
        release();
        await client.close();
      }
    });
  });
}
