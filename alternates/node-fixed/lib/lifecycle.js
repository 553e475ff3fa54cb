'use strict';
// Process lifecycle shared by every program: transcript lines, clean shutdown on
// SIGINT/SIGTERM, removal of the ipc socket files a program bound (SPEC.md section 5).

const fs = require('fs');

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'];

// One transcript line on stdout. Under a harness stdout is a pipe, and Node writes to pipes
// (and files) synchronously on Linux: the line is out before the next statement runs, also
// before a process.exit().
function say(line) {
  process.stdout.write(line + '\n');
}

// A diagnostic on stderr (never parsed by the harness).
function warn(text) {
  process.stderr.write(text + '\n');
}

// The file of an ipc:// endpoint; null for other transports and abstract (ipc://@name) ones.
function ipcPath(endpoint) {
  if (!endpoint.startsWith('ipc://')) {
    return null;
  }
  const path = endpoint.slice('ipc://'.length);
  return path && !path.startsWith('@') ? path : null;
}

// Delete the socket files of the ipc endpoints this process bound. libzmq unlinks them when
// a bound socket is closed, but in its I/O thread, after close() has returned; this makes the
// removal happen before the process exits.
function removeIpcFiles(endpoints) {
  for (const endpoint of endpoints) {
    const path = ipcPath(endpoint);
    if (path !== null) {
      try {
        fs.rmSync(path, { force: true });
      } catch (error) {
        warn(`cannot remove ${path}: ${error.message}`);
      }
    }
  }
}

// On the first SIGINT or SIGTERM run CLEANUP (sync or async), then exit 0. Further signals
// are ignored while it runs, so a second Ctrl-C cannot cut the cleanup short. Returns a
// function that tells whether the shutdown has begun.
function onShutdown(cleanup) {
  let stopping = false;
  const handler = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    Promise.resolve()
      .then(cleanup)
      .catch((error) => warn(`error during shutdown: ${error && error.stack}`))
      .finally(() => process.exit(0));
  };
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, handler);
  }
  return () => stopping;
}

// Run an async main; an unexpected error is reported on stderr and exits 1.
function run(main) {
  main().catch((error) => {
    warn(error && error.stack ? error.stack : String(error));
    process.exit(1);
  });
}

module.exports = { SHUTDOWN_SIGNALS, say, warn, ipcPath, removeIpcFiles, onShutdown, run };
