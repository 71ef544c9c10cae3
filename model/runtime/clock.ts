// Both browsers (window and workers) and Node ≥16 provide a global `performance.now()`;
// declare just that, so model/ stays free of DOM and node: typings.
declare const performance: { now(): number };

export const now = (): number => performance.now();
