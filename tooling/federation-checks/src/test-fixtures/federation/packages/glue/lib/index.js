export function glue(thing) { return { glued: thing }; }
