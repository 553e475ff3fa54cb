'use strict';
// The book shows the ROUTER/DEALER forwarder as a snippet ("Routing and Dealing Messages");
// this is that snippet made a program: the two sockets and the two forwarding handlers as the
// book writes them, bound where the book's cluster master binds them. Like the snippet it
// prints nothing.
//
// The binds are chained through the book's bind callback, DEALER first: zeromq v6 binds in a
// background thread, and a send on a socket whose bind is still running throws EBUSY ("Socket
// is blocked by a bind or unbind operation"). With the cluster master's two unchained
// .bind() calls, a request that reached the ROUTER before the DEALER was bound killed this
// program under the suite (BROKER-2, many clients sending at once).
const
  zmq = require('zmq'),
  router = zmq.socket('router'),
  dealer = zmq.socket('dealer');

// forward messages between router and dealer
router.on('message', function() {
  let frames = Array.prototype.slice.call(arguments);
  dealer.send(frames);
});

dealer.on('message', function() {
  let frames = Array.prototype.slice.call(arguments);
  router.send(frames);
});

dealer.bind('ipc://filer-dealer.ipc', function(err) {
  router.bind('tcp://127.0.0.1:5433');
});
