/**
 * The worker's order queue, in process. A real worker would read the `orders` queue of a broker;
 * this example has none, so a producer adds synthetic orders at a steady rate instead.
 */

export interface Order {
  readonly id: number;
  readonly items: number;
}

/** Beyond this many waiting orders the producer skips a beat, as a full queue would push back. */
export const MAX_DEPTH = 1_000;

export class OrderQueue {
  private readonly waiting: Order[] = [];
  private readonly takers: ((order: Order | undefined) => void)[] = [];

  get depth(): number {
    return this.waiting.length;
  }

  /** Adds an order, or refuses it (false) when the queue is full. */
  push(order: Order): boolean {
    const taker = this.takers.shift();
    if (taker) return taker(order), true;
    if (this.waiting.length >= MAX_DEPTH) return false;
    this.waiting.push(order);
    return true;
  }

  /** The next order; waits for one, or resolves undefined once `signal` aborts. */
  take(signal: AbortSignal): Promise<Order | undefined> {
    const next = this.waiting.shift();
    if (next || signal.aborted) return Promise.resolve(next);
    return new Promise((resolve) => {
      const taker = (order: Order | undefined): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(order);
      };
      const onAbort = (): void => {
        this.takers.splice(this.takers.indexOf(taker), 1);
        resolve(undefined);
      };
      this.takers.push(taker);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Adds an order every `intervalMs` (0 = never); returns the function that stops it. */
export function startProducer(queue: OrderQueue, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let id = 0;
  const timer = setInterval(() => {
    id++;
    queue.push({ id, items: 1 + (id % 5) });
  }, intervalMs);
  return () => clearInterval(timer);
}
