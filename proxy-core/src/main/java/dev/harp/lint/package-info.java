/**
 * Fixture lint: checks committed HAR fixtures before a test ever replays them ({@link dev.harp.lint.FixtureLint}),
 * for the CLI's {@code --lint} and the Maven plugin's {@code verify} goal.
 */
package dev.harp.lint;
