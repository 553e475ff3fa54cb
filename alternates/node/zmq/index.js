'use strict';
// The book does require('zmq') (the 2013 binding, long unmaintained, which needs a system
// libzmq and a compiler). zeromq v6 ships a compatibility layer with that API:
// zmq.socket('rep'), socket.on('message', ...), socket.send(...), bind(ep, callback).
module.exports = require('zeromq/v5-compat');
