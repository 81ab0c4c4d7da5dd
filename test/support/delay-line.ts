import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** How late deliveries were against their due time, in microseconds. */
export interface Lateness {
  deliveries: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/** Alarm slot values besides a due time in nanoseconds. */
const IDLE = 0n;
const CLOSE = -1n;
/** Delivered entries dropped from the queue's front now and then: under steady load it never empties. */
const COMPACT_AFTER = 1024;

/**
 * The alarm thread. Node's timers count whole milliseconds of a loop clock read once per
 * iteration, so `setTimeout(fn, 0.5)` runs after anything from ~0 to ~2 ms. A worker blocked in
 * Atomics.wait with a fractional timeout wakes a little after the due time and posts a message,
 * which wakes the owning event loop at once.
 */
const ALARM_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const generation = new Int32Array(workerData.generation);
const due = new BigInt64Array(workerData.due);
for (;;) {
  const seen = Atomics.load(generation, 0);
  const at = Atomics.load(due, 0);
  if (at === ${CLOSE}n) break;
  if (at === ${IDLE}n) { Atomics.wait(generation, 0, seen); continue; }
  const remainingMs = Number(at - process.hrtime.bigint()) / 1e6;
  if (remainingMs > 0) { Atomics.wait(generation, 0, seen, remainingMs); continue; }
  if (Atomics.compareExchange(due, 0, at, ${IDLE}n) === at) parentPort.postMessage(null);
}`;

interface Pending {
  dueNs: bigint;
  deliver: () => void;
}

/**
 * Runs each pushed delivery a fixed delay after it was pushed, never earlier, in the order pushed,
 * each on its own (nothing is held back to be batched). One delay for all, so the queue is always
 * in due order and one alarm for its head suffices.
 */
export class DelayLine {
  private readonly delayNs: bigint;
  private readonly queue: Pending[] = [];
  private head = 0;
  private readonly generation = new Int32Array(new SharedArrayBuffer(4));
  private readonly due = new BigInt64Array(new SharedArrayBuffer(8));
  private readonly alarm: Worker;
  private late: RecordableHistogram = createHistogram();
  private polling = false;

  constructor(delayMs: number) {
    this.delayNs = BigInt(Math.round(delayMs * 1e6));
    this.alarm = new Worker(ALARM_THREAD, { eval: true, workerData: { generation: this.generation.buffer, due: this.due.buffer } });
    this.alarm.on('message', () => this.deliverDue());
    this.alarm.unref();
  }

  push(deliver: () => void): void {
    const dueNs = process.hrtime.bigint() + this.delayNs;
    this.queue.push({ dueNs, deliver });
    if (this.queue.length - this.head === 1 && !this.polling) this.setAlarm(dueNs);
  }

  /** How late deliveries were since the last call. */
  takeLateness(): Lateness {
    const late = this.late;
    this.late = createHistogram();
    const us = (value: number) => (late.count === 0 ? 0 : value);
    return { deliveries: late.count, p50Us: us(late.percentile(50)), p99Us: us(late.percentile(99)), maxUs: us(late.max) };
  }

  /**
   * Keeps this thread's event loop polling instead of sleeping, and delivers from it. Sleeping,
   * each wake-up (data arriving at the relay, the alarm's message) cost tens to hundreds of
   * microseconds on this machine, a VM; polling, the relayed side of a request at one connection
   * took what the delay adds and no more. It costs a core: for when latency is what is measured.
   */
  poll(on: boolean): void {
    if (on === this.polling) return;
    this.polling = on;
    if (on) return void setImmediate(this.pollOnce);
    if (this.head < this.queue.length) this.setAlarm(this.queue[this.head].dueNs);
  }

  /** Drops what is still queued and ends the alarm thread. */
  async close(): Promise<void> {
    this.polling = false;
    this.queue.length = 0;
    this.head = 0;
    const exited = new Promise((resolve) => this.alarm.once('exit', resolve));
    this.setAlarm(CLOSE);
    await exited;
  }

  private readonly pollOnce = (): void => {
    if (!this.polling) return;
    this.deliverDue();
    setImmediate(this.pollOnce);
  };

  private setAlarm(at: bigint): void {
    Atomics.store(this.due, 0, at);
    Atomics.add(this.generation, 0, 1);
    Atomics.notify(this.generation, 0);
  }

  private deliverDue(): void {
    const now = process.hrtime.bigint();
    while (this.head < this.queue.length && this.queue[this.head].dueNs <= now) {
      const { dueNs, deliver } = this.queue[this.head];
      this.head += 1;
      this.late.record(Math.max(1, Number((now - dueNs) / 1000n)));
      deliver();
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    if (this.head > COMPACT_AFTER) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (!this.polling) this.setAlarm(this.queue[this.head].dueNs);
  }
}
