/** What the event loops tell Spring Boot's application availability: a loop that dies breaks liveness. */
package io.protoloop.boot.availability;
