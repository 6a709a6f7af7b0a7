/** Running the application's endpoints: their definitions, start, graceful stop, and where they are bound. */
package io.protoloop.boot.endpoint;
