/**
 * Host classes and log sinks: names shared by the model schema, the Scenario and the catalog
 * (kept apart so that neither of those imports the other for them).
 */

/** Host classes: the costs that cross CPUs or the hypervisor differ between them. */
export const HOST_CLASSES = ['bare-metal', 'vm'] as const;
export type HostClass = (typeof HOST_CLASSES)[number];

/** Where a reader writes its log: a slow sink blocks the reader now and then. */
export const LOG_SINKS = ['terminal', 'pipe', 'file', 'none'] as const;
export type LogSink = (typeof LOG_SINKS)[number];
