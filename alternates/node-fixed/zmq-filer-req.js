'use strict';
// Filer requester (REQ): asks for FILE once, prints the reply as received, exits 0.
//
//   node zmq-filer-req.js FILE [--connect tcp://localhost:5433] [--timeout S]
//
// Fixed from the book: it prints "Received response: " + the reply exactly as it came (the
// book prints the parsed object in Node's inspect format) and exits after the reply.

const args = require('./lib/args');
const { run } = require('./lib/lifecycle');
const { request } = require('./lib/requester');

const USAGE = 'node zmq-filer-req.js FILE [--connect tcp://localhost:5433] [--timeout S]';

run(async () => {
  const options = args.parse({
    usage: USAGE,
    positionals: ['file'],
    options: {
      connect: { type: 'string', default: 'tcp://localhost:5433' },
      timeout: { type: 'string' },
    },
  });
  const timeout = options.timeout === undefined ? null : Number(options.timeout);
  if (timeout !== null && !(timeout > 0)) {
    args.fail(USAGE, '--timeout must be a number of seconds > 0');
  }
  await request({ file: options.file, endpoint: options.connect, numbers: [null], timeout });
});
