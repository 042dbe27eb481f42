/** Public surface of traffic mirroring. */
export { createMirror, DEFAULT_REDACTED_HEADERS, REDACTED } from './mirror.js';
export type { Mirror, MirrorOptions, MirrorStats } from './mirror.js';
export { JsonlFileSink } from './jsonl-sink.js';
export { BodyCapture } from './capture.js';
export type { MirrorBody, MirrorEvent, MirrorSink, MirrorTap } from './types.js';
