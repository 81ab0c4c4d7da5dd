/*
 * Part of the LEGACY REFERENCE (bench/legacy), deliberately slow: "the same data structure was
 * being serialized to logs three times per item". Each write serializes the whole item. The lines
 * go to the null device: the cost being reproduced is the serialization and the write call, not
 * the disk filling up during a bench. Never imported by src/.
 */
import { createWriteStream } from 'node:fs';
import { devNull } from 'node:os';

const stream = createWriteStream(devNull);

export function logItem(event: string, item: unknown): void {
  stream.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', event, item })}\n`);
}
