/** Server-Sent Events framing for the legacy Streamable HTTP transport (2025-11-25 basic/transports). */
export { encodeSseEvent, encodeSseJson, encodeSseMessage, encodeSseComment, encodeSsePriming } from './encode.ts';
export type { SseEventFields } from './encode.ts';
export { createSseDecoder, readSseStream } from './decode.ts';
export type { SseEvent, SseDecoder, SseDecoderOptions } from './decode.ts';
