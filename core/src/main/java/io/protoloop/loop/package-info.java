/**
 * The event loop: one thread per loop running callbacks, timers and selector readiness; groups of loops for
 * several cores; the exception handler and debug mode.
 */
package io.protoloop.loop;
