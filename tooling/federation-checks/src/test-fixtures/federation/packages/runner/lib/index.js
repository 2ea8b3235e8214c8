export function run(thing) { return { ran: thing }; }
