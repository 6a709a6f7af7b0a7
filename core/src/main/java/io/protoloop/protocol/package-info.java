/**
 * The protocol side of the asyncio model: callbacks a transport calls when data arrives, when the connection
 * ends, and when writing should pause or resume.
 */
package io.protoloop.protocol;
