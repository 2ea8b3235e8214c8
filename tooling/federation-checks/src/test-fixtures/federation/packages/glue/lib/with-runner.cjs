'use strict';
const { run } = require('@fixture/runner');
exports.glueAndRun = function glueAndRun(thing) { return run({ glued: thing }); };
