/** TLS from Spring Boot's SSL bundles: core {@code TlsOptions} over a bundle, and the TLS state of connections. */
package io.protoloop.boot.ssl;
