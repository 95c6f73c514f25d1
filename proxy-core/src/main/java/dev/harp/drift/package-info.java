/**
 * Drift between two recordings of the same requests ({@code harp diff OLD NEW}, {@code mvn harp:diff}): entries are
 * paired by request as replay matches them, and each pair's responses are compared semantically (status, the headers
 * that matter, JSON bodies as JSON, other bodies as text or bytes), ignoring what changes on every recording
 * (timings, dates, timestamps, request ids, redacted values). Entry point: {@link dev.harp.drift.HarDrift}.
 */
package dev.harp.drift;
