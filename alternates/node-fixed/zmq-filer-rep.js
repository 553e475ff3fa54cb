'use strict';
// Filer responder (REP): answers {"path": P} with the text of P under the root.
//
//   node zmq-filer-rep.js [--bind tcp://127.0.0.1:5433 | --connect ENDPOINT] [--root DIR]
//                         [--max-size 16777216]
//
// Fixed from the book: every request gets exactly one reply, an error reply with a SPEC.md
// code when the request is bad or the file cannot be served (the book throws and dies); only
// files under --root are served; the ready line comes once the socket is bound; SIGINT and
// SIGTERM close the socket, remove a bound ipc file and exit 0.

const zmq = require('zeromq');
const args = require('./lib/args');
const { DEFAULT_MAX_SIZE, Filer } = require('./lib/filer');
const { say, onShutdown, removeIpcFiles, run } = require('./lib/lifecycle');
const { READY_REP } = require('./lib/messages');

const USAGE = 'node zmq-filer-rep.js [--bind tcp://127.0.0.1:5433 | --connect ENDPOINT] ' +
  '[--root DIR] [--max-size BYTES]';

async function main() {
  const options = args.parse({
    usage: USAGE,
    options: {
      bind: { type: 'string' },
      connect: { type: 'string' },
      root: { type: 'string', default: '.' },
      'max-size': { type: 'string', default: String(DEFAULT_MAX_SIZE) },
    },
  });
  if (options.bind !== undefined && options.connect !== undefined) {
    args.fail(USAGE, '--bind and --connect exclude each other');
  }
  const maxSize = args.integer(USAGE, 'max-size', options['max-size'], 0);
  let filer;
  try {
    filer = new Filer(options.root, maxSize);
  } catch (error) {
    args.fail(USAGE, `--root ${JSON.stringify(options.root)}: ${error.code || error.message}`);
  }

  const responder = new zmq.Reply({ linger: 0 });
  const bound = [];
  const stopping = onShutdown(() => {
    responder.close();
    removeIpcFiles(bound);
  });
  if (options.connect !== undefined) {
    responder.connect(options.connect);
  } else {
    const endpoint = options.bind || 'tcp://127.0.0.1:5433';
    await responder.bind(endpoint);
    bound.push(endpoint);
  }
  say(READY_REP);
  try {
    for await (const frames of responder) {
      await responder.send(filer.answer(frames));
    }
  } catch (error) {
    if (!stopping()) {
      throw error;
    }
  }
}

run(main);
