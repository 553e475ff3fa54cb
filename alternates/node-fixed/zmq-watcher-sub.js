'use strict';
// Watcher subscriber (SUB): one line "File '<file>' changed at <date>" per change message.
//
//   node zmq-watcher-sub.js [--connect tcp://localhost:5432]
//
// Fixed from the book: the date is ISO 8601 in UTC (toISOString), independent of time zone;
// a message it cannot read is reported on stderr and skipped instead of killing the process.
// ZeroMQ reconnects by itself when the publisher restarts.

const zmq = require('zeromq');
const args = require('./lib/args');
const { say, warn, onShutdown, run } = require('./lib/lifecycle');

const USAGE = 'node zmq-watcher-sub.js [--connect tcp://localhost:5432]';
const utf8 = new TextDecoder('utf-8', { fatal: true });

// The line for one message, or an Error saying why it is not a change message.
function describe(frames) {
  if (frames.length !== 1) {
    throw new Error(`expected one frame, got ${frames.length}`);
  }
  const message = JSON.parse(utf8.decode(frames[0]));
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw new Error('not a JSON object');
  }
  const { file, timestamp } = message;
  if (typeof file !== 'string' || !Number.isInteger(timestamp)) {
    throw new Error('expected {"file": <string>, "timestamp": <integer>}');
  }
  return `File '${file}' changed at ${new Date(timestamp).toISOString()}`;
}

async function main() {
  const options = args.parse({
    usage: USAGE,
    options: { connect: { type: 'string', default: 'tcp://localhost:5432' } },
  });
  const subscriber = new zmq.Subscriber({ linger: 0 });
  const stopping = onShutdown(() => subscriber.close());
  subscriber.subscribe(); // everything, as the book's subscribe("")
  subscriber.connect(options.connect);
  try {
    for await (const frames of subscriber) {
      let line;
      try {
        line = describe(frames);
      } catch (error) {
        warn(`ignored a message: ${error.message}`);
        continue;
      }
      say(line);
    }
  } catch (error) {
    if (!stopping()) {
      throw error;
    }
  }
}

run(main);
