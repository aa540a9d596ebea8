import type { FastifyReply } from 'fastify';

/** The parts of a FastifyReply that handlers use, recording what they set, for handler unit tests. */
export interface RecordingReply {
  /** Status set with `code()`. @default 200 */
  statusCode: number;
  /** Headers set with `header()`. */
  readonly headers: Record<string, string>;
  /** Pass to the handler. */
  readonly reply: FastifyReply;
}

/** Creates a reply that records the status and headers a handler sets. */
export function recordingReply(): RecordingReply {
  const recorded: RecordingReply = { statusCode: 200, headers: {}, reply: undefined as never };
  const reply = {
    code(statusCode: number) {
      recorded.statusCode = statusCode;
      return reply;
    },
    header(name: string, value: string) {
      recorded.headers[name] = value;
      return reply;
    },
  };
  return Object.assign(recorded, { reply: reply as unknown as FastifyReply });
}
