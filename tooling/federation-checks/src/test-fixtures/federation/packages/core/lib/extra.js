export function extraHelper() { return 1; }
