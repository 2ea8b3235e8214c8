'use strict';
exports.extraHelper = function extraHelper() { return 1; };
