'use strict';
// Watcher publisher (PUB): one message {"type":"changed","file":FILE,"timestamp":<ms>} per
// change of FILE.
//
//   node zmq-watcher-pub.js FILE [--bind tcp://127.0.0.1:5432]
//
// Fixed from the book: it watches FILE's directory and filters by name, because a watch on
// the file itself (the book's fs.watch(filename)) dies when an editor renames a new file over
// it; it binds loopback by default; the ready line comes once the socket is bound and the
// watch armed; SIGINT/SIGTERM close everything and remove a bound ipc file.

const fs = require('fs');
const path = require('path');
const zmq = require('zeromq');
const args = require('./lib/args');
const { say, warn, onShutdown, removeIpcFiles, run } = require('./lib/lifecycle');
const messages = require('./lib/messages');

const USAGE = 'node zmq-watcher-pub.js FILE [--bind tcp://127.0.0.1:5432]';

async function main() {
  const options = args.parse({
    usage: USAGE,
    positionals: ['file'],
    options: { bind: { type: 'string', default: 'tcp://127.0.0.1:5432' } },
  });
  const filename = options.file;
  let stats;
  try {
    stats = fs.statSync(filename);
  } catch (error) {
    args.fail(USAGE, `FILE ${JSON.stringify(filename)}: ${error.code}`);
  }
  if (!stats.isFile()) {
    args.fail(USAGE, `FILE ${JSON.stringify(filename)} is not a file`);
  }
  const target = path.resolve(filename);
  const directory = path.dirname(target);
  const name = path.basename(target);

  const publisher = new zmq.Publisher({ linger: 0 });
  const bound = [];
  let watcher = null;
  onShutdown(() => {
    if (watcher) {
      watcher.close();
    }
    publisher.close();
    removeIpcFiles(bound);
  });

  // One send at a time, in the order of the events (a PUB never blocks: it drops what a
  // subscriber cannot take).
  let sending = Promise.resolve();
  watcher = fs.watch(directory, { persistent: true }, (event, changed) => {
    if (changed !== null && changed !== name) {
      return; // another file of the directory (e.g. the temp file of a rename-over)
    }
    const message = messages.changed(filename);
    sending = sending
      .then(() => publisher.send(message))
      .catch((error) => warn(`cannot publish: ${error.message}`));
  });
  watcher.on('error', (error) => warn(`watch error: ${error.message}`));

  await publisher.bind(options.bind);
  bound.push(options.bind);
  say(messages.READY_PUB);
}

run(main);
