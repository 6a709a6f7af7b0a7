/** The {@code protoloop} Actuator endpoint. */
package io.protoloop.boot.actuate.endpoint;
