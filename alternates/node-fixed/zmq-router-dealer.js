'use strict';
// ROUTER/DEALER broker: forwards every message unchanged, both ways (the book's snippet made
// a program). Requesters connect to the frontend, responders (REP) to the backend.
//
//   node zmq-router-dealer.js [--frontend tcp://127.0.0.1:5433] [--backend ipc://filer-dealer.ipc]
//
// Prints "Forwarding requests from <frontend> to <backend>..." once both are bound; SIGINT
// and SIGTERM close both sockets, remove the ipc files bound and exit 0.

const args = require('./lib/args');
const { Forwarder } = require('./lib/forwarder');
const { say, onShutdown, removeIpcFiles, run } = require('./lib/lifecycle');

const USAGE = 'node zmq-router-dealer.js [--frontend tcp://127.0.0.1:5433] ' +
  '[--backend ipc://filer-dealer.ipc]';

run(async () => {
  const options = args.parse({
    usage: USAGE,
    options: {
      frontend: { type: 'string', default: 'tcp://127.0.0.1:5433' },
      backend: { type: 'string', default: 'ipc://filer-dealer.ipc' },
    },
  });
  const forwarder = new Forwarder();
  onShutdown(() => {
    forwarder.close();
    removeIpcFiles(forwarder.bound);
  });
  await forwarder.start(options.frontend, options.backend);
  say(`Forwarding requests from ${options.frontend} to ${options.backend}...`);
});
