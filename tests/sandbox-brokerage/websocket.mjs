// A minimal RFC 6455 WebSocket server endpoint built on node:crypto and the
// raw socket from an HTTP 'upgrade' event: handshake, masked client frames,
// fragmentation, text and binary messages, ping/pong and the close handshake.

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { CONT: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa };
const MAX_MESSAGE = 4 * 1024 * 1024;

function reject(socket, status, text, extra = '') {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`,
  );
}

/**
 * Completes the opening handshake for an 'upgrade' request. Returns a
 * WebSocketConnection, or null after answering the request with an error.
 */
export function acceptWebSocket(req, socket, head) {
  const upgrade = String(req.headers.upgrade || '').toLowerCase();
  const connection = String(req.headers.connection || '').toLowerCase();
  const key = req.headers['sec-websocket-key'];
  if (
    req.method !== 'GET' ||
    upgrade !== 'websocket' ||
    !connection.split(/\s*,\s*/).includes('upgrade')
  ) {
    reject(socket, 400, 'Bad Request');
    return null;
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    reject(socket, 426, 'Upgrade Required', 'Sec-WebSocket-Version: 13\r\n');
    return null;
  }
  if (!key || Buffer.from(key, 'base64').length !== 16) {
    reject(socket, 400, 'Bad Request');
    return null;
  }
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  const ws = new WebSocketConnection(socket);
  if (head && head.length) ws.feed(head);
  return ws;
}

export class WebSocketConnection extends EventEmitter {
  constructor(socket) {
    super();
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.fragments = null;
    this.fragmentOpcode = 0;
    this.closeSent = false;
    this.closed = false;
    this.decoder = new TextDecoder('utf-8', { fatal: true });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.feed(chunk));
    socket.on('close', () => this.finish(1006, ''));
    socket.on('error', () => this.finish(1006, ''));
  }

  get open() {
    return !this.closed && !this.closeSent;
  }

  feed(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      while (this.parseFrame());
    } catch (err) {
      this.fail(err.code || 1002, err.message);
    }
  }

  /** Parses one frame from the buffer; returns false when more bytes are needed. */
  parseFrame() {
    const buf = this.buffer;
    if (buf.length < 2 || this.closed) return false;
    const fin = (buf[0] & 0x80) !== 0;
    if (buf[0] & 0x70) throw protocolError(1002, 'reserved bits set without an extension');
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    let len = buf[1] & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (buf.length < 4) return false;
      len = buf.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (buf.length < 10) return false;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(MAX_MESSAGE)) throw protocolError(1009, 'frame too large');
      len = Number(big);
      offset = 10;
    }
    if (!masked) throw protocolError(1002, 'client frames must be masked');
    if (buf.length < offset + 4 + len) return false;
    const mask = buf.subarray(offset, offset + 4);
    const payload = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) payload[i] = buf[offset + 4 + i] ^ mask[i & 3];
    this.buffer = buf.subarray(offset + 4 + len);
    this.handleFrame(fin, opcode, payload);
    return true;
  }

  handleFrame(fin, opcode, payload) {
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) throw protocolError(1002, 'invalid control frame');
      if (opcode === OP.PING) this.sendFrame(OP.PONG, payload);
      else if (opcode === OP.PONG) this.emit('pong', payload);
      else if (opcode === OP.CLOSE) this.onClose(payload);
      else throw protocolError(1002, `unknown opcode ${opcode}`);
      return;
    }
    if (opcode === OP.CONT) {
      if (!this.fragments) throw protocolError(1002, 'unexpected continuation frame');
      this.fragments.push(payload);
    } else if (opcode === OP.TEXT || opcode === OP.BINARY) {
      if (this.fragments) throw protocolError(1002, 'expected a continuation frame');
      this.fragments = [payload];
      this.fragmentOpcode = opcode;
    } else {
      throw protocolError(1002, `unknown opcode ${opcode}`);
    }
    const size = this.fragments.reduce((a, b) => a + b.length, 0);
    if (size > MAX_MESSAGE) throw protocolError(1009, 'message too large');
    if (!fin) return;
    const data = Buffer.concat(this.fragments);
    this.fragments = null;
    if (this.fragmentOpcode === OP.TEXT) {
      let text;
      try {
        text = this.decoder.decode(data);
      } catch {
        throw protocolError(1007, 'invalid UTF-8');
      }
      this.emit('message', text, false);
    } else {
      this.emit('message', data, true);
    }
  }

  onClose(payload) {
    let code = 1005;
    let reason = '';
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      reason = payload.subarray(2).toString('utf8');
    } else if (payload.length === 1) {
      throw protocolError(1002, 'invalid close payload');
    }
    if (!this.closeSent) this.sendClose(code === 1005 ? 1000 : code, '');
    this.socket.end();
    this.finish(code, reason);
  }

  sendFrame(opcode, payload) {
    if (this.closed || this.socket.destroyed) return;
    const len = payload.length;
    let header;
    if (len < 126) {
      header = Buffer.from([0x80 | opcode, len]);
    } else if (len < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(len, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(len), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  send(data) {
    if (!this.open) return;
    if (typeof data === 'string') this.sendFrame(OP.TEXT, Buffer.from(data, 'utf8'));
    else this.sendFrame(OP.BINARY, Buffer.from(data));
  }

  ping(data = Buffer.alloc(0)) {
    if (this.open) this.sendFrame(OP.PING, Buffer.from(data));
  }

  sendClose(code, reason) {
    const r = Buffer.from(reason || '', 'utf8').subarray(0, 123);
    const payload = Buffer.alloc(2 + r.length);
    payload.writeUInt16BE(code, 0);
    r.copy(payload, 2);
    this.sendFrame(OP.CLOSE, payload);
    this.closeSent = true;
  }

  /** Starts the closing handshake; the socket ends after the peer answers (or 2 s). */
  close(code = 1000, reason = '') {
    if (this.closeSent || this.closed) return;
    this.sendClose(code, reason);
    const timer = setTimeout(() => this.terminate(), 2000);
    timer.unref();
  }

  fail(code, reason) {
    if (!this.closeSent) this.sendClose(code, reason);
    this.socket.end();
    this.finish(code, reason);
  }

  terminate() {
    this.socket.destroy();
    this.finish(1006, '');
  }

  finish(code, reason) {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', code, reason);
  }
}

function protocolError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}
