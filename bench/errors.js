'use strict';
// The one error class of the bench: a run that cannot be trusted (a server that does not start, a
// request that errors or is not answered 2xx). run.js prints its message and exits 1.

class BenchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchError';
  }
}

module.exports = { BenchError };
