export interface ServerTimingMetric {
  name: string;
  dur?: number;
  desc?: string;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM_VALUE = `(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")`;
const METRIC = new RegExp(`^(${TOKEN})((?:\\s*;\\s*${TOKEN}\\s*=\\s*${PARAM_VALUE})*)$`);
const PARAM = new RegExp(`;\\s*(${TOKEN})\\s*=\\s*(${PARAM_VALUE})`, 'g');

/** Parses a Server-Timing header strictly by the W3C grammar; throws on anything invalid. */
export function parseServerTiming(header: string | undefined): ServerTimingMetric[] {
  if (!header) throw new Error('no Server-Timing header');
  return header.split(/\s*,\s*/).map((entry) => {
    const match = METRIC.exec(entry);
    if (!match) throw new Error(`invalid Server-Timing entry: ${entry}`);
    const metric: ServerTimingMetric = { name: match[1] };
    for (const [, key, raw] of match[2].matchAll(PARAM)) {
      const value = raw.startsWith('"') ? raw.slice(1, -1) : raw;
      if (key === 'dur') metric.dur = Number(value);
      if (key === 'desc') metric.desc = value;
    }
    return metric;
  });
}
