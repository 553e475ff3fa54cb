'use strict';
// The ROUTER/DEALER forwarder of the book ("Routing and Dealing Messages"), on zeromq v6:
// every message that arrives on one socket is sent on the other with all its frames, unchanged
// (the ROUTER's identity frame in front, which routes the reply back to its client).

const zmq = require('zeromq');

class Forwarder {
  constructor() {
    this.router = new zmq.Router({ linger: 0 });
    this.dealer = new zmq.Dealer({ linger: 0 });
    this.bound = [];
    this.closed = false;
  }

  // Bind both sockets (awaited: once this resolves, peers can connect), then forward.
  async start(frontend, backend) {
    await this.router.bind(frontend);
    this.bound.push(frontend);
    await this.dealer.bind(backend);
    this.bound.push(backend);
    this.pump(this.router, this.dealer);
    this.pump(this.dealer, this.router);
  }

  // One loop per direction, so each socket has one receiver and one sender. A DEALER with no
  // worker connected holds the message (send waits) instead of dropping it.
  async pump(from, to) {
    try {
      for await (const frames of from) {
        await to.send(frames);
      }
    } catch (error) {
      if (!this.closed) {
        throw error;
      }
    }
  }

  close() {
    this.closed = true;
    this.router.close();
    this.dealer.close();
  }
}

module.exports = { Forwarder };
