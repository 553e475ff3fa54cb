'use strict';
// The requesters (REQ): COUNT requests for FILE in lockstep, each reply printed exactly as
// received, then exit 0 (the book's never close their socket, so they never end).

const zmq = require('zeromq');
const { say, warn, onShutdown } = require('./lifecycle');
const { fileRequest } = require('./messages');

const EXIT_TIMEOUT = 3;

// One reply, or null after TIMEOUT seconds (null: wait for ever, as REQ does).
function receive(socket, timeout) {
  if (timeout === null) {
    return socket.receive();
  }
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), timeout * 1000);
  });
  return Promise.race([socket.receive(), expired]).finally(() => clearTimeout(timer));
}

// numbers: [null] for the single request of filer-req, [1..COUNT] for the loop.
async function request({ file, endpoint, numbers, timeout }) {
  const requester = new zmq.Request({ linger: 0 });
  onShutdown(() => requester.close());
  // connect() needs no peer: the request waits in the socket until the responder is up
  requester.connect(endpoint);
  for (const number of numbers) {
    say(number === null ? `Sending request for ${file}` : `Sending request ${number} for ${file}`);
    await requester.send(fileRequest(file));
    const reply = await receive(requester, timeout);
    if (reply === null) {
      warn(`no reply within ${timeout} s`);
      requester.close();
      process.exit(EXIT_TIMEOUT);
    }
    say('Received response: ' + reply[0].toString('utf8'));
  }
  requester.close();
  process.exit(0);
}

module.exports = { request };
