/**
 * Answering a request whose body has not been read, e.g. 413 for a body over the limit. Fastify then closes the
 * connection (`connection: close`, since the rest of the body would be taken for the next request), and Node closes
 * the socket as soon as the answer is written. A client still sending its body gets EPIPE, or a reset that can
 * discard the answer before the client reads it (RFC 9112, section 9.6, "Tear-down"). So such an answer is written at
 * once but ended, which is when Node closes the connection, only after the rest of the body has been read and
 * discarded: up to {@link DRAIN_LIMIT_BYTES} or for up to {@link DRAIN_TIMEOUT_MS}, so that a client cannot keep the
 * connection busy at will.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Most bytes of an unread body read and discarded before the connection closes anyway. */
export const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;
/** Longest wait for the rest of an unread body before the connection closes anyway. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** Resolves once the rest of `request`'s body is read and discarded, the request closes, or a bound is reached. */
function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const done = () => {
      clearTimeout(timer);
      request.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    // Past a bound, reading stops: the connection closes with the rest unread.
    const giveUp = () => {
      request.pause();
      done();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > DRAIN_LIMIT_BYTES) giveUp();
    };
    const timer = setTimeout(giveUp, DRAIN_TIMEOUT_MS);
    request.on('data', onData).once('end', done).once('close', done).once('error', done);
    request.resume();
  });
}

/** Whether answering now would close the connection while the client may still be sending the body. */
export function closesBeforeBodyIsRead(request: IncomingMessage, reply: FastifyReply): boolean {
  return !request.complete && String(reply.getHeader('connection')).toLowerCase() === 'close';
}

/**
 * Sends `body` as JSON at once, with its content-length, so the client has the whole answer, but ends the response
 * (and so lets Node close the connection) only once the request's unread body is drained (see the module comment).
 */
export function sendWhileDraining(reply: FastifyReply, body: unknown): FastifyReply {
  const json = JSON.stringify(body);
  const payload = new PassThrough();
  payload.write(json);
  void drain(reply.request.raw).then(() => payload.end());
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-length', Buffer.byteLength(json))
    .send(payload);
}
