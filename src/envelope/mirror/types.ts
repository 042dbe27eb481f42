/**
 * Traffic mirroring: a copy of request/response metadata (and, when configured, size-capped
 * bodies) handed to plug-ins such as an IDS, off the request path.
 */

export interface MirrorBody {
  /** Bytes seen on the wire (the full size, even when truncated). */
  size: number;
  truncated: boolean;
  base64: string;
}

export interface MirrorEvent {
  /** ISO 8601, when the exchange started. */
  time: string;
  direction: 'ingress' | 'egress';
  kind: 'http' | 'tunnel';
  method?: string;
  host: string;
  /** Absent when a refused target could not be parsed. */
  port?: number;
  /** Path without the query string (queries often carry identifiers). */
  path?: string;
  status?: number;
  durationMs: number;
  /** The refusal reason (egress) or stage (ingress), when the exchange was blocked. */
  blocked?: string;
  /** Ingress: the caller's verified SPIFFE ID (never a header the caller sent). */
  caller?: string;
  sni?: string;
  bytesIn?: number;
  bytesOut?: number;
  requestHeaders?: Record<string, string | string[]>;
  responseHeaders?: Record<string, string | string[]>;
  requestBody?: MirrorBody;
  responseBody?: MirrorBody;
}

/** What a traffic source (egress proxy, ingress) holds: a non-blocking offer. */
export interface MirrorTap {
  /** Largest body prefix to capture per message; 0 = metadata only. */
  readonly bodyLimit: number;
  /** Never blocks and never throws; false when the event was dropped (queue full or closed). */
  offer(event: MirrorEvent): boolean;
}

/** A plug-in that receives mirrored events in batches. Failures are counted, never surfaced to traffic. */
export interface MirrorSink {
  readonly name: string;
  write(batch: readonly MirrorEvent[]): Promise<void>;
  close?(): Promise<void>;
}
