/**
 * The metrics SPI: recorders the transports call, free of any metrics library, so core stays dependency-free.
 */
package io.protoloop.metrics;
