/**
 * A build's fixture usage ({@link dev.harp.usage.BuildUsage}) made readable: one self-contained HTML page
 * ({@code report.html}: no script, no network, every value escaped), a machine-readable {@code summary.json} beside
 * it, and a one-screen text summary for consoles. {@link dev.harp.report.BuildReport} is the entry point the faces
 * use.
 */
package dev.harp.report;
