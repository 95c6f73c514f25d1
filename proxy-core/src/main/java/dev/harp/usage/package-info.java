/**
 * What happened to each fixture in a build: one {@link dev.harp.usage.FixtureUse} per use of a HAR file by a test,
 * a Maven execution or a CLI session, written by {@link dev.harp.usage.UsageLog} as one small JSON file each into a
 * build's usage folder ({@code target/harp/} in a Maven module), and read back to report, prune and summarise.
 */
package dev.harp.usage;
