/**
 * Harp for JUnit Jupiter: {@link dev.harp.junit.Harp @Harp} records a test class's HTTP(S) traffic into one HAR
 * fixture per test and replays it afterwards, offline. {@link dev.harp.junit.HarpExtension} is the extension and its
 * programmatic builder; {@link dev.harp.junit.HarpProxy} is injected into tests to configure clients by hand.
 * Works with JUnit 5.14 and 6.
 */
package dev.harp.junit;
