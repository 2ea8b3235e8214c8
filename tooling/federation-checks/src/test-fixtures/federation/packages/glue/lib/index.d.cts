export declare function glue(thing: unknown): { glued: unknown };
