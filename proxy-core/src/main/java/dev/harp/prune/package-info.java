/**
 * Pruning fixtures after a complete build: {@link dev.harp.prune.PrunePlan} turns a build's usage data
 * ({@link dev.harp.usage.BuildUsage}) into the entries, files and side files it would remove and the fixtures it
 * leaves alone (with why), prints it as a dry run, and applies it.
 */
package dev.harp.prune;
