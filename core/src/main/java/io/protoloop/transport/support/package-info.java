/**
 * Machinery shared by the selector-based transports: the base class with the one fatal-error path, write-buffer
 * accounting and flow control. Public for the transport packages; not an API for applications.
 */
package io.protoloop.transport.support;
