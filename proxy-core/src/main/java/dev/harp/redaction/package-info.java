/**
 * The redaction rules shared by recording, replay diagnostics and log lines: which names and shapes hold secrets,
 * the one {@code REDACTED} marker, and {@link dev.harp.redaction.Redaction#forLog(String)} for every URL a log line
 * shows. It sits below recording and replay (it depends on neither); users configure redaction through the
 * recorder's {@code Redactor}.
 */
package dev.harp.redaction;
