'use strict';
exports.run = function run(thing) { return { ran: thing }; };
