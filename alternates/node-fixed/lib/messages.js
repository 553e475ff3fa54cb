'use strict';
// Wire formats and transcript lines (SPEC.md section 3).

const READY_PUB = 'Listening for zmq subscribers...';
const READY_REP = 'Listening for zmq requesters...';

// Compact JSON (as the book): JSON.stringify escapes CR, LF and every control character, and
// writes a lone surrogate as a \u escape, so the result is one line of well-formed UTF-8.
function encode(value) {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function changed(file) {
  return encode({ type: 'changed', file, timestamp: Date.now() });
}

function fileRequest(path) {
  return encode({ path });
}

module.exports = { READY_PUB, READY_REP, encode, changed, fileRequest };
