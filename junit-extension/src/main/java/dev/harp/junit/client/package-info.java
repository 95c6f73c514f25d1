/**
 * Client-side plumbing for Harp: the TLS trust clients need to accept Harp's certificates ({@link
 * dev.harp.junit.client.ClientTls}), a {@link java.net.ProxySelector} that sends HTTP(S) through Harp ({@link
 * dev.harp.junit.client.HarpProxySelector}), and the JVM-wide wiring with exact restore ({@link
 * dev.harp.junit.client.JvmWiring}). Usable without JUnit.
 */
package dev.harp.junit.client;
