/** One event as the stream sends it, serialized once when its raft index is committed. */
export interface StreamEvent {
  readonly topic: string;
  readonly key: string;
  readonly namespace: string;
  readonly filterKeys: readonly string[];
  /** The whole `Event` object as JSON text. */
  readonly json: string;
}

/** The events of one raft index. */
export interface EventBatch {
  readonly index: number;
  readonly events: readonly StreamEvent[];
}

type Listener = (batch: EventBatch) => void;

/**
 * Nomad's event broker: a bounded buffer of batches plus live subscribers. Nomad's default buffer
 * holds 100 batches (`event_buffer_size`); older ones are dropped.
 */
export class EventBroker {
  private buffer: EventBatch[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(private readonly size: number) {}

  /** Appends the batch of `index` and hands it to every subscriber. */
  publish(batch: EventBatch): void {
    if (batch.events.length === 0) return;
    this.buffer.push(batch);
    if (this.buffer.length > this.size) this.buffer.splice(0, this.buffer.length - this.size);
    for (const listener of this.listeners) listener(batch);
  }

  /**
   * Subscribes from `index`, the way Nomad's `eventBuffer.StartAtClosest` does: index 0 replays
   * the whole buffer; otherwise the stream starts at the first batch with Index ≥ `index`, and when
   * `index` is past the newest batch, the newest batch is sent again.
   */
  subscribe(index: number, listener: Listener): { backlog: EventBatch[]; unsubscribe: () => void } {
    this.listeners.add(listener);
    return { backlog: this.backlogFrom(index), unsubscribe: () => this.listeners.delete(listener) };
  }

  /** Forgets every buffered batch (sandbox reset). */
  clear(): void {
    this.buffer = [];
  }

  private backlogFrom(index: number): EventBatch[] {
    if (index === 0) return [...this.buffer];
    const start = this.buffer.findIndex((b) => b.index >= index);
    if (start >= 0) return this.buffer.slice(start);
    const newest = this.buffer[this.buffer.length - 1];
    return newest ? [newest] : [];
  }
}
