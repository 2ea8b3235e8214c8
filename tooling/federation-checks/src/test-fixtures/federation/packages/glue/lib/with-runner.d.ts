export declare function glueAndRun(thing: unknown): { ran: unknown };
