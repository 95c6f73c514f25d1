/**
 * Testcontainers support, needing {@code org.testcontainers:testcontainers} (1.21 or 2.x) on the test classpath:
 * {@link dev.harp.junit.testcontainers.HarpContainers} routes a container's outbound HTTP(S) through Harp.
 */
package dev.harp.junit.testcontainers;
