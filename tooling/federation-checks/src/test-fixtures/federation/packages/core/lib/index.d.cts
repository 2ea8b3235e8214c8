export interface ThingOptions {
  label?: string;
}
export declare const thingVersion = 3;
export declare function createThing(options?: ThingOptions): { label: string };
/** @deprecated use createThing */
export declare function oldThing(options?: ThingOptions): { label: string };
