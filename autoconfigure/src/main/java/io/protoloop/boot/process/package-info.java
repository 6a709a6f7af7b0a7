/** The child processes the application's loops run: ended when the application context closes. */
package io.protoloop.boot.process;
