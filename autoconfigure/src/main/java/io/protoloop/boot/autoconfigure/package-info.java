/** Auto-configuration and the {@code protoloop.*} properties. */
package io.protoloop.boot.autoconfigure;
