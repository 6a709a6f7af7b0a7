/** Ahead-of-time processing support for {@code @ProtocolEndpoint} beans. */
package io.protoloop.boot.aot;
