export declare function run(thing: unknown): { ran: unknown };
