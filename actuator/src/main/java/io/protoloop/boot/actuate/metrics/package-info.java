/** Micrometer meters for endpoints and loops, documented in {@link io.protoloop.boot.actuate.metrics.ProtoloopMeters}. */
package io.protoloop.boot.actuate.metrics;
