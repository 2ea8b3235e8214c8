export declare function extraHelper(): number;
