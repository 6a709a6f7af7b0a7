/** Where endpoints are bound, for tests and logs: {@code @LocalEndpointPort}. */
package io.protoloop.boot.context;
