/** The Node flags the fundflow command runs with (see node-flags.mjs). */
export declare const NODE_FLAGS: readonly string[];
