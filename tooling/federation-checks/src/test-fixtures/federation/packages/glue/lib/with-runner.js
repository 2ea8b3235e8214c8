import { run } from '@fixture/runner';
export function glueAndRun(thing) { return run({ glued: thing }); }
