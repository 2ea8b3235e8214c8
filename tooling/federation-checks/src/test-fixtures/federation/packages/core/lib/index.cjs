'use strict';
const warned = new Set();
function warnDeprecated(name, replacement) {
  if (warned.has(name)) return;
  warned.add(name);
  process.emitWarning(`${name} is deprecated; use ${replacement} instead.`, { type: 'DeprecationWarning', code: 'FIXTURE_DEP_OLD_THING' });
}
const thingVersion = 3;
function createThing(options) {
  return { label: options?.label ?? 'thing' };
}
function oldThing(options) {
  warnDeprecated('oldThing', 'createThing');
  return createThing(options);
}
module.exports = { thingVersion, createThing, oldThing };
