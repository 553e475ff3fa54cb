'use strict';
// Filer requester in a loop (REQ): COUNT requests for FILE, strictly one after another.
//
//   node zmq-filer-req-loop.js FILE [--count 3] [--connect tcp://localhost:5433] [--timeout S]
//
// Fixed from the book: COUNT is an option (the book's is 3); each request is sent once the
// previous reply has been printed; replies are printed as received; it exits after the last.

const args = require('./lib/args');
const { run } = require('./lib/lifecycle');
const { request } = require('./lib/requester');

const USAGE = 'node zmq-filer-req-loop.js FILE [--count 3] [--connect tcp://localhost:5433] ' +
  '[--timeout S]';

run(async () => {
  const options = args.parse({
    usage: USAGE,
    positionals: ['file'],
    options: {
      count: { type: 'string', default: '3' },
      connect: { type: 'string', default: 'tcp://localhost:5433' },
      timeout: { type: 'string' },
    },
  });
  const count = args.integer(USAGE, 'count', options.count, 0);
  const timeout = options.timeout === undefined ? null : Number(options.timeout);
  if (timeout !== null && !(timeout > 0)) {
    args.fail(USAGE, '--timeout must be a number of seconds > 0');
  }
  const numbers = Array.from({ length: count }, (_, index) => index + 1);
  await request({ file: options.file, endpoint: options.connect, numbers, timeout });
});
