'use strict';
// What the filer responder answers: frames of one request in, the frames of its reply out.
// It never throws for bad input: a REP that does not reply wedges its requester for ever, so
// every request gets exactly one reply, an error reply with a SPEC.md section 3.5 code if
// need be (REQREP-3). File-system calls are synchronous: a REP serves one request at a time.

const fs = require('fs');
const path = require('path');
const { encode } = require('./messages');

const DEFAULT_MAX_SIZE = 16 * 1024 * 1024;
const MAX_SYMLINKS = 40; // as Linux: more hops than this is a loop (ELOOP)
const strictRequest = new TextDecoder('utf-8', { fatal: true });
// fatal: overlong forms, encoded surrogates and truncated sequences are errors;
// ignoreBOM: a leading U+FEFF is content, kept as it is.
const strictContent = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class FilerError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const quote = (text) => JSON.stringify(text);

// The path a request asks for: one frame of UTF-8 JSON {"path": <string>}.
function parseRequest(frames) {
  if (frames.length !== 1) {
    throw new FilerError('bad_request', `a request is one frame, not ${frames.length}`);
  }
  let text;
  try {
    text = strictRequest.decode(frames[0]);
  } catch {
    throw new FilerError('bad_request', 'the request is not UTF-8');
  }
  let request;
  try {
    request = JSON.parse(text);
  } catch (error) {
    throw new FilerError('bad_request', `the request is not JSON: ${error.message}`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request) ||
      typeof request.path !== 'string') {
    throw new FilerError('bad_request', 'a request is a JSON object {"path": <string>}');
  }
  return request.path;
}

class Filer {
  constructor(root, maxSize = DEFAULT_MAX_SIZE) {
    this.root = fs.realpathSync(root);
    this.prefix = this.root.endsWith('/') ? this.root : this.root + '/';
    this.maxSize = maxSize;
  }

  // The reply (a Buffer) to one request given as its frames.
  answer(frames) {
    try {
      const content = this.read(parseRequest(frames));
      return encode({ content, timestamp: Date.now(), pid: process.pid });
    } catch (error) {
      if (!(error instanceof FilerError)) {
        // a bug or an unforeseen error: still one reply, and serving goes on
        error = new FilerError('unreadable', `cannot serve the request: ${error.message}`);
      }
      return encode({
        error: { code: error.code, message: error.message },
        timestamp: Date.now(),
        pid: process.pid,
      });
    }
  }

  // Where PATH leads under the root, symlinks followed; refuses anything outside the root.
  resolve(request) {
    if (request === '' || request.includes('\0')) {
      throw new FilerError('bad_request', 'path must be a non-empty string without NUL');
    }
    if (!request.isWellFormed()) { // a lone surrogate from a "\ud800" escape: no file has it
      throw new FilerError('bad_request', `${quote(request)} cannot be a file name`);
    }
    if (path.isAbsolute(request)) {
      throw new FilerError('forbidden', `absolute paths are not served: ${quote(request)}`);
    }
    const target = this.follow(request);
    if (target !== this.root && !target.startsWith(this.prefix)) {
      throw new FilerError('forbidden', `${quote(request)} is outside the served root`);
    }
    return target;
  }

  // The physical path RELATIVE names from the root: component by component, each symlink
  // replaced by its target, ".." taken from the real directory. A component that does not
  // exist ends nothing: the rest is taken literally, so that a path that ends outside the
  // root is forbidden whether or not it exists (SPEC.md 3.3).
  follow(relative) {
    const pending = relative.split('/');
    let current = this.root;
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift();
      if (part === '' || part === '.') {
        continue;
      }
      if (part === '..') {
        current = path.dirname(current);
        continue;
      }
      const next = current === '/' ? `/${part}` : `${current}/${part}`;
      let link = null;
      try {
        if (fs.lstatSync(next).isSymbolicLink()) {
          link = fs.readlinkSync(next);
        }
      } catch {
        link = null; // missing, or not a directory on the way: taken literally
      }
      if (link === null) {
        current = next;
        continue;
      }
      hops += 1;
      if (hops > MAX_SYMLINKS) {
        throw new FilerError('not_found', `${quote(relative)}: too many levels of symbolic links`);
      }
      if (link.startsWith('/')) {
        current = '/';
      }
      pending.unshift(...link.split('/'));
    }
    return current;
  }

  // The text of the file REQUEST names, or a FilerError saying why not. Past the root check,
  // the kernel decides: a missing folder or a file followed by "/" (SPEC.md 3.3, BROKEN) is
  // not_found, as realpath(3) of the path as asked says.
  read(request) {
    const target = this.resolve(request);
    let status;
    try {
      fs.realpathSync.native(`${this.root}/${request}`);
      status = fs.statSync(target);
    } catch (error) {
      if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(error.code)) {
        throw new FilerError('not_found', `no such file: ${quote(request)}`);
      }
      throw new FilerError('unreadable', `cannot examine ${quote(request)}: ${error.code}`);
    }
    if (!status.isFile()) { // a directory, FIFO, socket, device: never opened
      const what = status.isDirectory() ? 'a directory' : 'not a regular file';
      throw new FilerError('not_a_file', `${quote(request)} is ${what}`);
    }
    if (status.size > this.maxSize) {
      throw new FilerError('too_large',
        `${quote(request)} has ${status.size} bytes; the limit is ${this.maxSize}`);
    }
    let data;
    let fd;
    try {
      // O_NONBLOCK: should the file have become a FIFO since the stat, opening cannot block
      fd = fs.openSync(target, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      if (!fs.fstatSync(fd).isFile()) {
        throw new FilerError('not_a_file', `${quote(request)} is not a regular file`);
      }
      data = readAtMost(fd, this.maxSize + 1);
    } catch (error) {
      if (error instanceof FilerError) {
        throw error;
      }
      throw new FilerError('unreadable', `cannot read ${quote(request)}: ${error.code}`);
    } finally {
      if (fd !== undefined) {
        fs.closeSync(fd);
      }
    }
    if (data.length > this.maxSize) { // it grew since the stat
      throw new FilerError('too_large', `${quote(request)} is over the limit of ${this.maxSize} bytes`);
    }
    try {
      return strictContent.decode(data);
    } catch {
      throw new FilerError('not_utf8', `${quote(request)} is not UTF-8 text`);
    }
  }
}

// Up to LIMIT bytes from FD.
function readAtMost(fd, limit) {
  const chunks = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit - total));
    const count = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (count === 0) {
      break;
    }
    chunks.push(chunk.subarray(0, count));
    total += count;
  }
  return Buffer.concat(chunks, total);
}

module.exports = { DEFAULT_MAX_SIZE, Filer, FilerError, parseRequest };
