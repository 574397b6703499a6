/** Engine version recorded in every trace file. Bump when the same inputs would give a different trace. */
export const ENGINE_VERSION = '0.1.0';
