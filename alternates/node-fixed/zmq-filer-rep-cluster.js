'use strict';
// Clustered filer responder: ROUTER + DEALER in the master, REP workers forked with Node's
// cluster module, as in the book; a drop-in replacement for zmq-filer-rep.js.
//
//   node zmq-filer-rep-cluster.js [--bind tcp://127.0.0.1:5433] [--backend ipc://filer-dealer.ipc]
//                                 [--workers 3] [--root DIR] [--max-size 16777216]
//
// Fixed from the book: workers reply as zmq-filer-rep.js does ("content", error replies);
// "Worker <pid> is online." once a worker's socket is set up, then the ready line once all the
// initial workers are; "Worker <pid> exited with code <code>" (minus the signal number for a
// signal) when one ends, and a replacement after a backoff (0.1 s, doubling up to 5 s while
// workers die within 10 s of their start); on SIGINT/SIGTERM the master stops and reaps its
// workers, removes its ipc files and exits 0; workers exit when the master is gone, even when
// it was SIGKILLed (their IPC channel to it closes: 'disconnect').

const cluster = require('cluster');
const os = require('os');
const zmq = require('zeromq');
const args = require('./lib/args');
const { DEFAULT_MAX_SIZE, Filer } = require('./lib/filer');
const { Forwarder } = require('./lib/forwarder');
const { say, warn, onShutdown, removeIpcFiles, run } = require('./lib/lifecycle');
const { READY_REP } = require('./lib/messages');

const USAGE = 'node zmq-filer-rep-cluster.js [--bind tcp://127.0.0.1:5433] ' +
  '[--backend ipc://filer-dealer.ipc] [--workers 3] [--root DIR] [--max-size BYTES]';
const READY_DEADLINE_MS = 10000; // a new worker that is not online by then is killed
const STOP_DEADLINE_MS = 3000; // workers get SIGTERM, then SIGKILL after this long

const options = args.parse({
  usage: USAGE,
  options: {
    bind: { type: 'string', default: 'tcp://127.0.0.1:5433' },
    backend: { type: 'string', default: 'ipc://filer-dealer.ipc' },
    workers: { type: 'string', default: '3' },
    root: { type: 'string', default: '.' },
    'max-size': { type: 'string', default: String(DEFAULT_MAX_SIZE) },
  },
});
const workers = args.integer(USAGE, 'workers', options.workers, 1);
const maxSize = args.integer(USAGE, 'max-size', options['max-size'], 0);

// Delay before the next restart: doubles while workers keep dying young.
class Backoff {
  constructor({ first = 100, longest = 5000, young = 10000 } = {}) {
    Object.assign(this, { first, longest, young, streak: 0 });
  }

  delay(lifetime) {
    if (lifetime >= this.young) {
      this.streak = 0;
      return 0;
    }
    this.streak += 1;
    return Math.min(this.first * 2 ** (this.streak - 1), this.longest);
  }
}

async function master() {
  try {
    new Filer(options.root, maxSize); // fail here, not in every worker
  } catch (error) {
    args.fail(USAGE, `--root ${JSON.stringify(options.root)}: ${error.code || error.message}`);
  }
  const forwarder = new Forwarder();
  const pool = new Map(); // pid -> { worker, started, exited: Promise }
  const timers = new Set();
  const backoff = new Backoff();
  let online = 0;

  const stopping = onShutdown(async () => {
    for (const timer of timers) {
      clearTimeout(timer);
    }
    const running = [...pool.values()];
    for (const { worker } of running) {
      worker.process.kill('SIGTERM');
    }
    const all = Promise.all(running.map((entry) => entry.exited));
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, STOP_DEADLINE_MS);
    });
    await Promise.race([all, late]);
    clearTimeout(timer);
    for (const { worker } of pool.values()) {
      worker.process.kill('SIGKILL');
    }
    await all;
    forwarder.close();
    removeIpcFiles(forwarder.bound);
  });

  function spawn() {
    const worker = cluster.fork();
    const pid = worker.process.pid;
    const started = Date.now();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    pool.set(pid, { worker, started, exited });
    const deadline = setTimeout(() => {
      warn(`worker ${pid} did not come online in ${READY_DEADLINE_MS / 1000} s; killing it`);
      worker.process.kill('SIGKILL');
    }, READY_DEADLINE_MS);
    worker.on('message', (message) => {
      if (message && message.online && !stopping()) {
        clearTimeout(deadline);
        say(`Worker ${pid} is online.`);
        online += 1;
        if (online === workers) { // the initial workers (or their replacements) are all up
          say(READY_REP);
        }
      }
    });
    worker.once('exit', (code, signal) => {
      clearTimeout(deadline);
      pool.delete(pid);
      const status = signal ? -os.constants.signals[signal] : code;
      say(`Worker ${pid} exited with code ${status}`);
      if (stopping()) {
        return;
      }
      const delay = backoff.delay(Date.now() - started);
      warn(`restarting a worker in ${(delay / 1000).toFixed(1)} s`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping()) {
          spawn();
        }
      }, delay);
      timers.add(timer);
    });
  }

  await forwarder.start(options.bind, options.backend);
  for (let i = 0; i < workers; i++) {
    spawn();
  }
}

async function worker() {
  const filer = new Filer(options.root, maxSize);
  const responder = new zmq.Reply({ linger: 0 });
  let stopping = false;
  const stop = () => {
    if (!stopping) {
      stopping = true;
      responder.close();
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop); // the master is gone, however it ended
  responder.connect(options.backend);
  process.send({ online: true });
  try {
    for await (const frames of responder) {
      await responder.send(filer.answer(frames));
    }
  } catch (error) {
    if (!stopping) {
      throw error;
    }
  }
}

run(cluster.isPrimary ? master : worker);
