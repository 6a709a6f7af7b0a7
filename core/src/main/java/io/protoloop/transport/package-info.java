/**
 * The transport side of the asyncio model: how bytes are sent and received, write-buffer flow control, and
 * listening servers.
 */
package io.protoloop.transport;
