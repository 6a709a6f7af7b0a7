/** Auto-configuration of Protoloop's meters, Actuator endpoint and health indicator. */
package io.protoloop.boot.actuate.autoconfigure;
