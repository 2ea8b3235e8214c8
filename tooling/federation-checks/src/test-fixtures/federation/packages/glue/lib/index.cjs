'use strict';
exports.glue = function glue(thing) { return { glued: thing }; };
