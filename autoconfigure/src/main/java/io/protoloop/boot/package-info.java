/** What applications use: the {@code @ProtocolEndpoint} stereotype, endpoint kinds and the shutdown notice. */
package io.protoloop.boot;
