import { Writable } from 'node:stream';
import pino from 'pino';
import { runInRequestContext } from '../request-context/request-context';
import { AppLogger, rootLoggerOptions } from './app-logger';

function capturingLogger(level = 'info'): { logger: AppLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: new AppLogger(pino(rootLoggerOptions({ LOG_LEVEL: level, LOG_PRETTY: false }), sink)), lines };
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('AppLogger: Nest logging on pino', () => {
  it("writes Nest's context and message", async () => {
    const { logger, lines } = capturingLogger();
    logger.log('database pool closed (SIGTERM)', 'Database');
    await flushed();
    expect(lines).toEqual([expect.objectContaining({ level: 30, context: 'Database', msg: 'database pool closed (SIGTERM)' })]);
  });

  it('merges an object message and redacts passwords', async () => {
    const { logger, lines } = capturingLogger();
    logger.warn({ msg: 'slow statement', durationMs: 120, user: { email: 'a@b.c', password: 'secret' } }, 'SlowQueries');
    await flushed();
    expect(lines[0]).toMatchObject({ level: 40, context: 'SlowQueries', msg: 'slow statement', durationMs: 120, user: { password: '[redacted]' } });
  });

  it("keeps an error's stack, given as Nest passes it (message, stack, context) or as an Error", async () => {
    const { logger, lines } = capturingLogger();
    const error = new Error('boom');
    logger.error(error.message, error.stack, 'ExceptionsHandler');
    logger.error(error.message, error.stack);
    logger.error(error, 'Shutdown');
    await flushed();
    expect(lines[0]).toMatchObject({ level: 50, context: 'ExceptionsHandler', msg: 'boom', err: { stack: error.stack } });
    expect(lines[1]).toMatchObject({ msg: 'boom', err: { stack: error.stack } });
    expect(lines[1].context).toBeUndefined();
    expect(lines[2]).toMatchObject({ context: 'Shutdown', msg: 'boom', err: { message: 'boom', stack: error.stack } });
  });

  it('tags a line written inside a request with its id, and no other', async () => {
    const { logger, lines } = capturingLogger();
    runInRequestContext({ requestId: 'req-42' }, () => logger.warn('inside', 'Test'));
    logger.warn('outside', 'Test');
    await flushed();
    expect(lines[0]).toMatchObject({ msg: 'inside', req: { id: 'req-42' } });
    expect(lines[1].req).toBeUndefined();
  });

  it('builds nothing for a level that is off', async () => {
    const { logger, lines } = capturingLogger('warn');
    logger.log('dropped', 'Test');
    logger.debug('dropped', 'Test');
    logger.verbose('dropped', 'Test');
    await flushed();
    expect(lines).toEqual([]);
  });
});
