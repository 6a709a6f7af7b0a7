/** Startup failures that name the endpoint, the property and the fix, and the analyzers that report them. */
package io.protoloop.boot.diagnostics;
