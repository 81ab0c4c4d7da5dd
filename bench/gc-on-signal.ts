/**
 * Preloaded (node --expose-gc --require) into the API process that `--soak` measures, never part
 * of the API itself: SIGUSR2 runs a full garbage collection, so the soak's last sample reads the
 * memory the process still holds, not garbage the collector had no reason to reclaim yet.
 */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
if (!collectGarbage) throw new Error('bench/gc-on-signal needs node --expose-gc');
process.on('SIGUSR2', () => collectGarbage());

export {};
