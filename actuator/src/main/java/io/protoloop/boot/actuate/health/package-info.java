/** The Protoloop health indicator. */
package io.protoloop.boot.actuate.health;
